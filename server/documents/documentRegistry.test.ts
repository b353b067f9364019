import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryDocStore } from '../../test/support/memoryDocStore';
import { ROOM, DOC, opened, closeOpened, setup, client, agreementUpdate, titles, applyClientUpdate } from '../../test/support/roomDocumentsKit';
import type { DocHandle } from './documentRegistry';
import { RoomDocuments } from './roomDocuments';

afterEach(closeOpened);

describe('RoomDocuments: loading and holders', () => {
  it('[RD-01] concurrent opens share one load; the last release stores and unloads; reopening gives the same content', async () => {
    const store = new MemoryDocStore();
    const load = vi.spyOn(store, 'load');
    const forget = vi.spyOn(store, 'release');
    const { docs } = setup({ store });
    const [h1, h2] = await Promise.all([docs.open(ROOM, DOC), docs.open(ROOM, DOC)]);
    expect(h1.doc).toBe(h2.doc);
    expect(load).toHaveBeenCalledTimes(1);
    for (const title of ['One', 'Two', 'Three']) await applyClientUpdate(docs, ROOM, DOC, agreementUpdate(title), client('a'));
    const before = titles(h1.doc);

    await h1.release();
    await h1.release();
    expect(docs.isLoaded(ROOM, DOC)).toBe(true);
    expect(forget).not.toHaveBeenCalled();
    await h2.release();
    expect(docs.isLoaded(ROOM, DOC)).toBe(false);
    expect(store.size(ROOM, DOC)).toBe(1);
    // Unloaded here, so the store may forget what it kept in memory for it.
    expect(forget).toHaveBeenCalledWith(ROOM, DOC);

    const again = await docs.open(ROOM, DOC);
    expect(again.doc).not.toBe(h1.doc);
    expect(titles(again.doc)).toEqual(before);
    await again.release();
  });

  it('[RD-01] a document opened again while it is being stored stays loaded', async () => {
    const store = new MemoryDocStore();
    const { docs } = setup({ store });
    const first = await docs.open(ROOM, DOC);
    await applyClientUpdate(docs, ROOM, DOC, agreementUpdate('One'), client('a'));
    await applyClientUpdate(docs, ROOM, DOC, agreementUpdate('Two'), client('a'));
    const releasing = first.release();
    const second = await docs.open(ROOM, DOC);
    await releasing;
    expect(docs.isLoaded(ROOM, DOC)).toBe(true);
    expect(second.doc).toBe(first.doc);
    await applyClientUpdate(docs, ROOM, DOC, agreementUpdate('Three'), client('a'));
    expect(titles(second.doc)).toEqual(['One', 'Three', 'Two']);
    await second.release();
  });

  it("[RD-18] other nodes' updates that arrive while a document loads are applied once it has, and past the bound the store is read again instead of keeping them", async () => {
    const store = new MemoryDocStore();
    const read = store.load.bind(store);
    let reads = 0;
    let firstRead: (() => void) | null = null;
    vi.spyOn(store, 'load').mockImplementation(async (roomId, docName) => {
      reads += 1;
      const updates = await read(roomId, docName);
      if (reads === 1) await new Promise<void>((resolve) => (firstRead = resolve));
      return updates;
    });
    const docs = new RoomDocuments({ store, early: { maxUpdates: 4, maxBytes: 1024 * 1024 } });
    opened.push(docs);
    const opening = docs.open(ROOM, DOC);
    await vi.waitFor(() => expect(firstRead).not.toBeNull());
    // Another node stores each update, then publishes it; this node's read began before.
    const published: string[] = [];
    for (let i = 0; i < 3; i++) {
      const update = agreementUpdate(`Early ${i}`);
      await store.append(ROOM, DOC, update);
      published.push(`Early ${i}`);
      expect(docs.applyRemoteUpdate(ROOM, DOC, update, 'node-2')).toBe(false);
    }
    firstRead!();
    const handle = await opening;
    expect(titles(handle.doc)).toEqual(published.sort());
    expect(reads).toBe(1);
    await handle.release();

    reads = 0;
    firstRead = null;
    const reopening = docs.open(ROOM, DOC);
    await vi.waitFor(() => expect(firstRead).not.toBeNull());
    for (let i = 0; i < 200; i++) {
      const update = agreementUpdate(`Burst ${i}`);
      await store.append(ROOM, DOC, update);
      published.push(`Burst ${i}`);
      docs.applyRemoteUpdate(ROOM, DOC, update, 'node-2');
    }
    firstRead!();
    const again = await reopening;
    expect(titles(again.doc)).toEqual(published.sort());
    // Past the bound nothing more was kept: what was dropped came from a second read.
    expect(reads).toBe(2);
    await again.release();
  });

  it('[RD-01] a failing load is reported to every waiting opener and retried on the next open', async () => {
    const store = new MemoryDocStore();
    vi.spyOn(store, 'load').mockRejectedValueOnce(new Error('io'));
    const { docs } = setup({ store });
    const results = await Promise.allSettled([docs.open(ROOM, DOC), docs.open(ROOM, DOC)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const handle = await docs.open(ROOM, DOC);
    expect(docs.isLoaded(ROOM, DOC)).toBe(true);
    await handle.release();
  });

  it('[RD-20] discardRoom drops the room without storing, and old handles become inert', async () => {
    const store = new MemoryDocStore();
    const { docs } = setup({ store });
    const handle: DocHandle = await docs.open(ROOM, DOC);
    await applyClientUpdate(docs, ROOM, DOC, agreementUpdate('One'), client('a'));
    await store.deleteRoom(ROOM);
    docs.discardRoom(ROOM);
    expect(docs.isLoaded(ROOM, DOC)).toBe(false);
    await handle.release();
    expect(store.size(ROOM, DOC)).toBe(0);
  });
});
