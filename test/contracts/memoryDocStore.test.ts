import { docStoreContract } from './docStore.contract';
import { MemoryDocStore } from '../support/memoryDocStore';

docStoreContract('MemoryDocStore', async () => ({ store: new MemoryDocStore(), cleanup: async () => {} }));
