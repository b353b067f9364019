export * from './documentAdmission';
export { DEFAULT_COMPACT_EVERY } from './documentLog';
export { DEFAULT_EARLY_LIMITS, type DocHandle, type EarlyLimits } from './documentRegistry';
export * from './documentRelay';
export * from './origins';
export * from './presenceOwnership';
export * from './roomDocuments';
export * from './syncMessages';
