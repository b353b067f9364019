export * from './categories';
export * from './hash';
export * from './markdown';
export * from './model';
export * from './records';
export * from './starters';
export * from './text';
export * from './versions';
