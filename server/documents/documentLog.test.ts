import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { MemoryDocStore } from '../../test/support/memoryDocStore';
import { ROOM, DOC, closeOpened, setup, client, agreementUpdate, titles, applyClientUpdate, onUpdate } from '../../test/support/roomDocumentsKit';

afterEach(closeOpened);

describe('RoomDocuments: relayed at once, acknowledged once durable', () => {
  it('[RD-11] a failed write reaches the caller, and the next write stores the whole document so the log catches up', async () => {
    const store = new MemoryDocStore();
    const failure = new Error('disk full');
    vi.spyOn(store, 'append').mockRejectedValueOnce(failure);
    const { docs } = setup({ store });
    const handle = await docs.open(ROOM, DOC);
    await expect(applyClientUpdate(docs, ROOM, DOC, agreementUpdate('Relayed, not stored'), client('a'))).rejects.toBe(failure);
    // Already relayed to the other holders, so it stays in the document.
    expect(titles(handle.doc)).toEqual(['Relayed, not stored']);
    await applyClientUpdate(docs, ROOM, DOC, agreementUpdate('Next'), client('a'));

    const reloaded = new Y.Doc();
    for (const update of await store.load(ROOM, DOC)) Y.applyUpdate(reloaded, update);
    expect(titles(reloaded)).toEqual(['Next', 'Relayed, not stored']);
  });

  it('[RD-12] a failed write with no later one is stored whole when the document unloads', async () => {
    const store = new MemoryDocStore();
    vi.spyOn(store, 'append').mockRejectedValueOnce(new Error('disk full'));
    const { docs } = setup({ store });
    const handle = await docs.open(ROOM, DOC);
    await expect(applyClientUpdate(docs, ROOM, DOC, agreementUpdate('Kept'), client('a'))).rejects.toThrow('disk full');
    await handle.release();
    expect(docs.isLoaded(ROOM, DOC)).toBe(false);
    const again = await docs.open(ROOM, DOC);
    expect(titles(again.doc)).toEqual(['Kept']);
  });

  it('[RD-10] listeners hear the update before it is durable; the caller is answered only after', async () => {
    const store = new MemoryDocStore();
    const { docs } = setup({ store });
    await docs.open(ROOM, DOC);
    const seen: string[] = [];
    const append = store.append.bind(store);
    let finishWrite: () => void = () => undefined;
    vi.spyOn(store, 'append').mockImplementation(async (...args) => {
      seen.push('append started');
      await new Promise<void>((resolve) => (finishWrite = resolve));
      const length = await append(...args);
      seen.push('append done');
      return length;
    });
    onUpdate(docs, () => seen.push(`relayed; stored ${store.size(ROOM, DOC)}`));
    const applied = applyClientUpdate(docs, ROOM, DOC, agreementUpdate('Durable'), client('a')).then(() => seen.push('answered'));
    await vi.waitFor(() => expect(seen).toContain('append started'));
    expect(seen).toEqual(['relayed; stored 0', 'append started']);
    finishWrite();
    await applied;
    expect(seen).toEqual(['relayed; stored 0', 'append started', 'append done', 'answered']);
  });

  it('[RD-10] a slow write holds back no one: the next update is applied and relayed while it is in flight, answers keep their order', async () => {
    const store = new MemoryDocStore();
    const { docs } = setup({ store });
    await docs.open(ROOM, DOC);
    const append = store.append.bind(store);
    const writes: Array<() => void> = [];
    vi.spyOn(store, 'append').mockImplementation(async (...args) => {
      await new Promise<void>((resolve) => writes.push(resolve));
      return append(...args);
    });
    const seen: string[] = [];
    onUpdate(docs, () => seen.push(`relayed ${seen.filter((s) => s.startsWith('relayed')).length + 1}`));
    const first = applyClientUpdate(docs, ROOM, DOC, agreementUpdate('First'), client('a')).then(() => seen.push('answered 1'));
    const second = applyClientUpdate(docs, ROOM, DOC, agreementUpdate('Second'), client('b')).then(() => seen.push('answered 2'));
    await vi.waitFor(() => expect(writes).toHaveLength(2));
    expect(seen).toEqual(['relayed 1', 'relayed 2']);
    for (const finish of writes) finish();
    await Promise.all([first, second]);
    expect(seen).toEqual(['relayed 1', 'relayed 2', 'answered 1', 'answered 2']);
    expect(store.size(ROOM, DOC)).toBe(2);
  });

  it('[RD-11] an earlier write that fails after a later one succeeded still makes the next write store the whole document', async () => {
    const store = new MemoryDocStore();
    const { docs } = setup({ store });
    const handle = await docs.open(ROOM, DOC);
    const append = store.append.bind(store);
    let failFirst: (err: Error) => void = () => undefined;
    vi.spyOn(store, 'append')
      .mockImplementationOnce(() => new Promise<number>((_resolve, reject) => (failFirst = reject)))
      .mockImplementation(append);
    const first = applyClientUpdate(docs, ROOM, DOC, agreementUpdate('Lost write'), client('a'));
    await applyClientUpdate(docs, ROOM, DOC, agreementUpdate('Stored'), client('a'));
    failFirst(new Error('disk full'));
    await expect(first).rejects.toThrow('disk full');
    await applyClientUpdate(docs, ROOM, DOC, agreementUpdate('Catches up'), client('a'));

    const reloaded = new Y.Doc();
    for (const update of await store.load(ROOM, DOC)) Y.applyUpdate(reloaded, update);
    expect(titles(reloaded)).toEqual(titles(handle.doc));
    expect(titles(reloaded)).toEqual(['Catches up', 'Lost write', 'Stored']);
  });

  it('[RD-12] unloading waits for the writes in flight before deciding what to store', async () => {
    const store = new MemoryDocStore();
    const { docs } = setup({ store });
    const handle = await docs.open(ROOM, DOC);
    let failWrite: ((err: Error) => void) | null = null;
    vi.spyOn(store, 'append').mockImplementationOnce(() => new Promise<number>((_resolve, reject) => (failWrite = reject)));
    const write = applyClientUpdate(docs, ROOM, DOC, agreementUpdate('In flight'), client('a'));
    await vi.waitFor(() => expect(failWrite).not.toBeNull());
    const released = handle.release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(docs.isLoaded(ROOM, DOC)).toBe(true);
    failWrite!(new Error('disk full'));
    await expect(write).rejects.toThrow('disk full');
    await released;
    expect(docs.isLoaded(ROOM, DOC)).toBe(false);
    const again = await docs.open(ROOM, DOC);
    expect(titles(again.doc)).toEqual(['In flight']);
  });
});

describe('RoomDocuments: compaction', () => {
  it('[RD-13] compaction every N appends keeps the content and shortens the log', async () => {
    const store = new MemoryDocStore();
    const compact = vi.spyOn(store, 'compact');
    const { docs } = setup({ store, compactEvery: 5 });
    const handle = await docs.open(ROOM, DOC);
    const writer = new Y.Doc();
    writer.on('update', (u: Uint8Array) => void applyClientUpdate(docs, ROOM, DOC, u, client('a')));
    const text = writer.getText('t');
    for (let i = 0; i < 23; i++) text.insert(text.length, `${i},`);
    text.delete(0, 6);
    await vi.waitFor(() => expect(handle.doc.getText('t').toString()).toBe(text.toString()));
    await vi.waitFor(() => expect(compact).toHaveBeenCalled());
    await handle.release();
    expect(store.size(ROOM, DOC)).toBe(1);
    const reloaded = await docs.open(ROOM, DOC);
    expect(reloaded.doc.getText('t').toString()).toBe(text.toString());
    await reloaded.release();
  });
});
