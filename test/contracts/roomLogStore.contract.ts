import { expect, it } from 'vitest';
import type { RoomLogStore } from '../../server/storage/types';
import { describeStoreContract, type StoreFixture } from '../support/storeContract';

/**
 * What every RoomLogStore must do. `roomLogStoreContract('LevelRoomLogStore', async () => ({ store, cleanup }))`;
 * each test gets a fresh store.
 */
export function roomLogStoreContract(name: string, makeStore: () => Promise<StoreFixture<RoomLogStore>>): void {
  describeStoreContract(`RoomLogStore contract: ${name}`, makeStore, (store) => {
    it('lists nothing for a session never written', async () => {
      expect(await store.list('room-1', 's1')).toEqual([]);
    });

    it('lists entries in append order, many in the same millisecond included', async () => {
      for (let i = 0; i < 50; i++) await store.append('room-1', 's1', { seq: i });
      expect(await store.list('room-1', 's1')).toEqual(Array.from({ length: 50 }, (_, i) => ({ seq: i })));
    });

    it('keeps append order for appends issued without waiting', async () => {
      await Promise.all(Array.from({ length: 30 }, (_, i) => store.append('room-1', 's1', i)));
      expect(await store.list('room-1', 's1')).toEqual(Array.from({ length: 30 }, (_, i) => i));
    });

    it('keeps entries exactly: objects, strings, unicode, numbers', async () => {
      const entries = [{ seat: 'A', kind: 'speak', text: 'I felt 🌱 "unheard"\n', edited: null }, 'plain', 42, [1, { a: 'ü' }]];
      for (const entry of entries) await store.append('room-1', 's1', entry);
      expect(await store.list('room-1', 's1')).toEqual(entries);
    });

    it('sessions and rooms are independent, including ids that share a prefix', async () => {
      await store.append('room-1', 's1', 'a');
      await store.append('room-1', 's10', 'b');
      await store.append('room-10', 's1', 'c');
      expect(await store.list('room-1', 's1')).toEqual(['a']);
      expect(await store.list('room-1', 's10')).toEqual(['b']);
      expect(await store.list('room-10', 's1')).toEqual(['c']);
    });

    it('deleteLog removes one log only', async () => {
      await store.append('room-1', 's1', 'a');
      await store.append('room-1', 's2', 'b');
      await store.deleteLog('room-1', 's1');
      expect(await store.list('room-1', 's1')).toEqual([]);
      expect(await store.list('room-1', 's2')).toEqual(['b']);
      await store.append('room-1', 's1', 'again');
      expect(await store.list('room-1', 's1')).toEqual(['again']);
    });

    it('deleteRoom removes every session of the room and only that room', async () => {
      await store.append('room-1', 's1', 'a');
      await store.append('room-1', 's2', 'b');
      await store.append('room-10', 's1', 'c');
      await store.deleteRoom('room-1');
      expect(await store.list('room-1', 's1')).toEqual([]);
      expect(await store.list('room-1', 's2')).toEqual([]);
      expect(await store.list('room-10', 's1')).toEqual(['c']);
      await expect(store.deleteRoom('never')).resolves.toBeUndefined();
    });
  });
}
