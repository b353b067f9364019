import { expect, it } from 'vitest';
import type { RoomEntryStore } from '../../server/storage/types';
import { describeStoreContract, type StoreFixture } from '../support/storeContract';

/**
 * What every RoomEntryStore must do. `roomEntryStoreContract('level', async () => ({ store, cleanup }))`;
 * each test gets a fresh store.
 */
export function roomEntryStoreContract(name: string, makeStore: () => Promise<StoreFixture<RoomEntryStore>>): void {
  describeStoreContract(`RoomEntryStore contract: ${name}`, makeStore, (store) => {
    it('returns null for an entry never written', async () => {
      expect(await store.get('room-1', 'v1')).toBeNull();
    });

    it('puts, replaces and reads back each entry exactly, alone', async () => {
      const value = { id: 'v1', name: 'Before the holidays', agreements: [{ body: 'ü 🌱', reviewOn: null, n: -0.5 }] };
      await store.put('room-1', 'v1', value);
      await store.put('room-1', 'v2', { id: 'v2' });
      expect(await store.get('room-1', 'v1')).toEqual(value);
      await store.put('room-1', 'v1', { id: 'v1', name: 'renamed' });
      expect(await store.get('room-1', 'v1')).toEqual({ id: 'v1', name: 'renamed' });
      expect(await store.get('room-1', 'v2')).toEqual({ id: 'v2' });
    });

    it('delete removes the ids named and skips unknown ones', async () => {
      await store.put('room-1', 'v1', 1);
      await store.put('room-1', 'v2', 2);
      await store.put('room-1', 'v3', 3);
      await store.delete('room-1', ['v1', 'v3', 'never']);
      await store.delete('room-1', []);
      expect(await store.get('room-1', 'v1')).toBeNull();
      expect(await store.get('room-1', 'v2')).toBe(2);
      expect(await store.get('room-1', 'v3')).toBeNull();
    });

    it('rooms are independent, including ids that share a prefix or contain separators', async () => {
      await store.put('room-1', 'v', 'one');
      await store.put('room-10', 'v', 'ten');
      await store.put('room-1', '!v', 'bang');
      await store.put('room-1', ':v*', 'glob');
      expect(await store.get('room-1', 'v')).toBe('one');
      expect(await store.get('room-10', 'v')).toBe('ten');
      expect(await store.get('room-1', '!v')).toBe('bang');
      expect(await store.get('room-1', ':v*')).toBe('glob');
      await store.deleteRoom('room-1');
      expect(await store.get('room-1', 'v')).toBeNull();
      expect(await store.get('room-1', '!v')).toBeNull();
      expect(await store.get('room-1', ':v*')).toBeNull();
      expect(await store.get('room-10', 'v')).toBe('ten');
      await expect(store.deleteRoom('never')).resolves.toBeUndefined();
    });
  });
}
