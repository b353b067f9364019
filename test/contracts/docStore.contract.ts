import { expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocStore } from '../../server/storage/types';
import { describeStoreContract, type StoreFixture } from '../support/storeContract';

const bytes = (...values: number[]) => new Uint8Array(values);
/** Compared by content: a store may hand back a Buffer or another Uint8Array view. */
const contents = (updates: Uint8Array[]) => updates.map((u) => Array.from(u));

/**
 * What every DocStore must do, whatever holds the bytes. Run it from a `*.test.ts` beside the
 * implementation: `docStoreContract('LevelDocStore', async () => ({ store, cleanup }))`.
 * Each test gets a fresh store from `makeStore`.
 */
export function docStoreContract(name: string, makeStore: () => Promise<StoreFixture<DocStore>>): void {
  describeStoreContract(`DocStore contract: ${name}`, makeStore, (store) => {
    it('loads nothing for a document never written', async () => {
      expect(await store.load('room-1', 'agreements')).toEqual([]);
    });

    it('returns updates in append order, and the log length from each append', async () => {
      const lengths: number[] = [];
      for (let i = 0; i < 12; i++) lengths.push(await store.append('room-1', 'agreements', bytes(i)));
      expect(lengths).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      expect((await store.load('room-1', 'agreements')).map((u) => u[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    });

    it('keeps append order for appends issued without waiting', async () => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.append('room-1', 'agreements', bytes(i))));
      expect((await store.load('room-1', 'agreements')).map((u) => u[0])).toEqual(Array.from({ length: 20 }, (_, i) => i));
    });

    it('keeps bytes exactly: zeros, 0xff, empty and large updates', async () => {
      const large = new Uint8Array(300_000).map((_, i) => (i * 7919) % 256);
      const updates = [bytes(0, 0, 0), bytes(255, 0, 255), new Uint8Array(0), large, bytes(0x21, 0x22, 0x7e)];
      for (const update of updates) await store.append('room-1', 'agreements', update);
      const loaded = await store.load('room-1', 'agreements');
      expect(loaded).toHaveLength(updates.length);
      loaded.forEach((update, i) => {
        expect(update).toBeInstanceOf(Uint8Array);
        expect(Array.from(update)).toEqual(Array.from(updates[i] as Uint8Array));
      });
    });

    it('isolates rooms and document names, including names that share a prefix', async () => {
      await store.append('room-1', 'agreements', bytes(1));
      await store.append('room-1', 'counsellor-notes', bytes(2));
      await store.append('room-10', 'agreements', bytes(3));
      await store.append('room-2', 'agreements', bytes(4));
      await store.append('room-1', 'agreements-x', bytes(5));
      expect(contents(await store.load('room-1', 'agreements'))).toEqual(contents([bytes(1)]));
      expect(contents(await store.load('room-1', 'counsellor-notes'))).toEqual(contents([bytes(2)]));
      expect(contents(await store.load('room-10', 'agreements'))).toEqual(contents([bytes(3)]));
      expect(contents(await store.load('room-2', 'agreements'))).toEqual(contents([bytes(4)]));
      expect(contents(await store.load('room-1', 'agreements-x'))).toEqual(contents([bytes(5)]));
    });

    it('compact hands the whole log to the merge and puts the merged update in its place', async () => {
      for (let i = 0; i < 5; i++) await store.append('room-1', 'agreements', bytes(i));
      let given: number[][] = [];
      const replaced = await store.compact('room-1', 'agreements', (updates) => {
        given = contents(updates);
        return bytes(100);
      });
      expect(given).toEqual([0, 1, 2, 3, 4].map((i) => [i]));
      expect(replaced).toBe(5);
      expect(contents(await store.load('room-1', 'agreements'))).toEqual(contents([bytes(100)]));
      expect(await store.append('room-1', 'agreements', bytes(5))).toBe(2);
      expect(contents(await store.load('room-1', 'agreements'))).toEqual(contents([bytes(100), bytes(5)]));
    });

    it('compact of a log of one update (or none) changes nothing', async () => {
      expect(await store.compact('room-1', 'agreements', () => bytes(9))).toBe(0);
      await store.append('room-1', 'agreements', bytes(1));
      expect(await store.compact('room-1', 'agreements', () => bytes(9))).toBe(0);
      expect(contents(await store.load('room-1', 'agreements'))).toEqual(contents([bytes(1)]));
    });

    it('appends issued while the merge runs are kept after the merged update', async () => {
      for (let i = 0; i < 5; i++) await store.append('room-1', 'agreements', bytes(i));
      let appends: Promise<number>[] = [];
      await store.compact('room-1', 'agreements', (updates) => {
        expect(updates).toHaveLength(5);
        appends = [store.append('room-1', 'agreements', bytes(5)), store.append('room-1', 'agreements', bytes(6))];
        return bytes(100);
      });
      await Promise.all(appends);
      expect(contents(await store.load('room-1', 'agreements'))).toEqual(contents([bytes(100), bytes(5), bytes(6)]));
    });

    it('a compaction whose log was compacted by someone else meanwhile swaps nothing and loses nothing', async () => {
      for (let i = 0; i < 4; i++) await store.append('room-1', 'agreements', bytes(i));
      const replaced = await store.compact('room-1', 'agreements', async (updates) => {
        expect(updates).toHaveLength(4);
        // While this merge runs, another node compacts the same log and more is appended.
        expect(await store.compact('room-1', 'agreements', () => bytes(200))).toBe(4);
        for (let i = 4; i < 8; i++) await store.append('room-1', 'agreements', bytes(i));
        return bytes(99);
      });
      // A swap of the first four now would drop the other node's merge and three new updates.
      expect(replaced).toBe(0);
      expect(contents(await store.load('room-1', 'agreements'))).toEqual(contents([200, 4, 5, 6, 7].map((i) => bytes(i))));
    });

    it('compact leaves other documents alone', async () => {
      await store.append('room-1', 'agreements', bytes(1));
      await store.append('room-1', 'agreements', bytes(2));
      await store.append('room-1', 'counsellor-notes', bytes(3));
      await store.compact('room-1', 'agreements', () => bytes(12));
      expect(contents(await store.load('room-1', 'counsellor-notes'))).toEqual(contents([bytes(3)]));
    });

    it('a compacted Yjs log loads into the same document', async () => {
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (update: Uint8Array) => updates.push(update));
      const text = doc.getText('t');
      for (let i = 0; i < 30; i++) text.insert(text.length, `${i} `);
      text.delete(0, 10);
      for (const update of updates) await store.append('room-1', 'agreements', update);
      await store.compact('room-1', 'agreements', (stored) => Y.mergeUpdates(stored));
      const reloaded = new Y.Doc();
      for (const update of await store.load('room-1', 'agreements')) Y.applyUpdate(reloaded, update);
      expect(reloaded.getText('t').toString()).toBe(text.toString());
    });

    it('deleteRoom removes every document of the room and only that room', async () => {
      await store.append('room-1', 'agreements', bytes(1));
      await store.append('room-1', 'counsellor-notes', bytes(2));
      await store.append('room-10', 'agreements', bytes(3));
      await store.deleteRoom('room-1');
      expect(await store.load('room-1', 'agreements')).toEqual([]);
      expect(await store.load('room-1', 'counsellor-notes')).toEqual([]);
      expect(contents(await store.load('room-10', 'agreements'))).toEqual(contents([bytes(3)]));
    });

    it('after a release the log goes on where it was, appends in flight included', async () => {
      const inFlight = Array.from({ length: 5 }, (_, i) => store.append('room-1', 'agreements', bytes(i)));
      await store.release('room-1', 'agreements');
      const next = store.append('room-1', 'agreements', bytes(5));
      await Promise.all(inFlight);
      expect(await next).toBe(6);
      expect(contents(await store.load('room-1', 'agreements'))).toEqual(contents([0, 1, 2, 3, 4, 5].map((i) => bytes(i))));
    });

    it('appends still in flight when a room is deleted leave nothing of it behind', async () => {
      const appends = Array.from({ length: 10 }, (_, i) => store.append('room-1', 'agreements', bytes(i)));
      await store.deleteRoom('room-1');
      await Promise.allSettled(appends);
      expect(await store.load('room-1', 'agreements')).toEqual([]);
    });

    it('a deleted room takes no more writes: an append is refused with ROOM_NOT_FOUND and stores nothing', async () => {
      await store.append('room-1', 'agreements', bytes(1));
      await store.append('room-1', 'agreements', bytes(2));
      await store.deleteRoom('room-1');
      // A socket that has not heard of the deletion yet (another node's) writes again.
      await expect(store.append('room-1', 'agreements', bytes(3))).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
      await expect(store.append('room-1', 'counsellor-notes', bytes(4))).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
      expect(await store.load('room-1', 'agreements')).toEqual([]);
      expect(await store.load('room-1', 'counsellor-notes')).toEqual([]);
      expect(await store.compact('room-1', 'agreements', () => bytes(9))).toBe(0);
      expect(await store.append('room-10', 'agreements', bytes(5))).toBe(1);
    });

    it('deleting a room that holds nothing succeeds', async () => {
      await expect(store.deleteRoom('never-written')).resolves.toBeUndefined();
    });
  });
}
