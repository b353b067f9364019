import { docStoreContract } from '../../test/contracts/docStore.contract';
import { MemoryDocStore } from './memoryDocStore';

docStoreContract('MemoryDocStore', async () => ({ store: new MemoryDocStore(), cleanup: async () => {} }));
