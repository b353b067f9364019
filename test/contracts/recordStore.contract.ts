import { expect, it } from 'vitest';
import type { KeyValueStore } from '../../server/storage/types';
import { describeStoreContract, type StoreFixture } from '../support/storeContract';

/**
 * What every KeyValueStore must do. `recordStoreContract('LevelRecordStore', async () => ({ store, cleanup }))`;
 * each test gets a fresh store.
 */
export function recordStoreContract(name: string, makeStore: () => Promise<StoreFixture<KeyValueStore>>): void {
  describeStoreContract(`KeyValueStore contract: ${name}`, makeStore, (store) => {
    it('returns null for a key never written', async () => {
      expect(await store.get('counsellor:nobody')).toBeNull();
    });

    it('puts, overwrites and reads back values exactly', async () => {
      const value = { id: 'c1', name: 'Dr. Ö', rooms: ['r1'], since: 1_790_000_000_000, note: null };
      await store.put('counsellor:c1', value);
      expect(await store.get('counsellor:c1')).toEqual(value);
      await store.put('counsellor:c1', { ...value, rooms: [] });
      expect(await store.get('counsellor:c1')).toEqual({ ...value, rooms: [] });
      await store.put('n', 0);
      expect(await store.get('n')).toBe(0);
    });

    it('keys are independent, including keys that share a prefix or hold separators', async () => {
      await store.put('a', 1);
      await store.put('ab', 2);
      await store.put('a:b!c*', 3);
      expect(await store.get('a')).toBe(1);
      expect(await store.get('ab')).toBe(2);
      expect(await store.get('a:b!c*')).toBe(3);
    });

    it('lists the keys that start with a prefix, and only those, whatever characters they hold', async () => {
      await store.put('counsellor:c1', 1);
      await store.put('counsellor:c 2/ü*?[x]', 2);
      await store.put('counsellor-key:h1', 3);
      await store.put('counsellor', 4);
      await store.put('room:counsellor:c3', 5);
      expect((await store.keys('counsellor:')).sort()).toEqual(['counsellor:c 2/ü*?[x]', 'counsellor:c1']);
      expect(await store.keys('nothing-here:')).toEqual([]);
      await store.delete('counsellor:c1');
      expect(await store.keys('counsellor:')).toEqual(['counsellor:c 2/ü*?[x]']);
    });

    it('delete removes one key; deleting a missing key succeeds', async () => {
      await store.put('a', 1);
      await store.put('b', 2);
      await store.delete('a');
      expect(await store.get('a')).toBeNull();
      expect(await store.get('b')).toBe(2);
      await expect(store.delete('never')).resolves.toBeUndefined();
    });
  });
}
