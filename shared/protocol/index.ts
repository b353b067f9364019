export * from './version';
export * from './errors';
export * from './rooms';
export * from './events';
export * from './agreements';
