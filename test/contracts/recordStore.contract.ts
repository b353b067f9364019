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

    it('putIfAbsent stores a value only where none is, and of many calls at once exactly one wins', async () => {
      expect(await store.putIfAbsent('claim:r1:A:d1:k1', { at: 1 })).toBe(true);
      expect(await store.putIfAbsent('claim:r1:A:d1:k1', { at: 2 })).toBe(false);
      expect(await store.get('claim:r1:A:d1:k1')).toEqual({ at: 1 });
      await store.put('taken', 1);
      expect(await store.putIfAbsent('taken', 2)).toBe(false);
      expect(await store.get('taken')).toBe(1);
      const racing = await Promise.all(Array.from({ length: 12 }, (_, i) => store.putIfAbsent('race', i)));
      expect(racing.filter(Boolean)).toHaveLength(1);
      expect(await store.get('race')).toBe(racing.indexOf(true));
      await store.delete('race');
      expect(await store.putIfAbsent('race', 'again')).toBe(true);
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
