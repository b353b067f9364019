export * from './roomDocuments';
export * from './syncProtocol';
export { MemoryDocStore } from './memoryDocStore';
