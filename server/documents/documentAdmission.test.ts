import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { AppError } from '../../shared/protocol/errors';
import { MemoryDocStore } from '../../test/support/memoryDocStore';
import { ROOM, DOC, closeOpened, setup, client, agreementUpdate, state, titles, seededBytes, applyClientUpdate, onUpdate } from '../../test/support/roomDocumentsKit';

afterEach(closeOpened);

describe('RoomDocuments: refusals leave the document and the store unchanged', () => {
  const valid = agreementUpdate('A real agreement', 'with a body long enough to truncate meaningfully');
  const table: Array<{ name: string; update: Uint8Array; code: string }> = [
    { name: 'garbage bytes', update: new TextEncoder().encode('this is not a yjs update'), code: 'UPDATE_MALFORMED' },
    { name: 'an empty buffer', update: new Uint8Array(0), code: 'UPDATE_MALFORMED' },
    { name: 'all 0xff', update: new Uint8Array(64).fill(0xff), code: 'UPDATE_MALFORMED' },
    { name: 'a truncated update (half)', update: valid.slice(0, Math.floor(valid.length / 2)), code: 'UPDATE_MALFORMED' },
    { name: 'a truncated update (last byte missing)', update: valid.slice(0, -1), code: 'UPDATE_MALFORMED' },
    { name: 'an update over the size limit', update: new Uint8Array(300 * 1024), code: 'UPDATE_TOO_LARGE' },
  ];
  it.each(table)('[RD-04] $name -> $code', async ({ update, code }) => {
    const { docs, store } = setup();
    const handle = await docs.open(ROOM, DOC);
    await applyClientUpdate(docs, ROOM, DOC, agreementUpdate('Before'), client('a'));
    const before = state(handle.doc);
    const emitted = vi.fn();
    onUpdate(docs, emitted);
    const attempt = applyClientUpdate(docs, ROOM, DOC, update, client('a'));
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code });
    expect(state(handle.doc)).toEqual(before);
    expect((store as MemoryDocStore).size(ROOM, DOC)).toBe(1);
    expect(emitted).not.toHaveBeenCalled();
  });

  it('[RD-04] random bytes: every one is refused as UPDATE_MALFORMED or, if it happens to decode, stored and replayable', async () => {
    const { docs, store } = setup();
    const handle = await docs.open(ROOM, DOC);
    await applyClientUpdate(docs, ROOM, DOC, agreementUpdate('Before'), client('a'));
    let refused = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const before = state(handle.doc);
      const stored = (store as MemoryDocStore).size(ROOM, DOC);
      try {
        // Bytes that happen to read as an update building on parts nobody sent wait, bounded,
        // and never reach the document or the store.
        const { stored: written } = await docs.submitClientUpdate(ROOM, DOC, seededBytes(seed, 1 + (seed % 80)), client('a'));
        written.catch(() => undefined);
      } catch (err) {
        expect(err, `seed ${seed}`).toBeInstanceOf(AppError);
        expect(['UPDATE_MALFORMED', 'UPDATE_INCOMPLETE'], `seed ${seed}`).toContain((err as AppError).code);
        expect(state(handle.doc), `seed ${seed}`).toEqual(before);
        expect((store as MemoryDocStore).size(ROOM, DOC), `seed ${seed}`).toBe(stored);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(350);
    expect(titles(handle.doc)).toEqual(['Before']);
    const replayed = new Y.Doc();
    for (const update of await store.load(ROOM, DOC)) Y.applyUpdate(replayed, update);
    expect(state(replayed)).toEqual(state(handle.doc));
  });

  it('[RD-05] a document at its size limit refuses growth with DOC_TOO_LARGE but still accepts a deletion', async () => {
    const { docs } = setup({ maxDocBytes: 2_000 });
    const handle = await docs.open(ROOM, DOC);
    const client1 = new Y.Doc();
    const updates: Uint8Array[] = [];
    client1.on('update', (u: Uint8Array) => updates.push(u));
    const text = client1.getText('t');
    text.insert(0, 'x'.repeat(1_500));
    await applyClientUpdate(docs, ROOM, DOC, updates.pop()!, client('a'));
    const before = state(handle.doc);

    text.insert(0, 'y'.repeat(1_000));
    const growth = updates.pop()!;
    await expect(applyClientUpdate(docs, ROOM, DOC, growth, client('a'))).rejects.toMatchObject({ code: 'DOC_TOO_LARGE' });
    expect(state(handle.doc)).toEqual(before);

    const trimmer = new Y.Doc();
    Y.applyUpdate(trimmer, Y.encodeStateAsUpdate(handle.doc));
    const trimUpdates: Uint8Array[] = [];
    trimmer.on('update', (u: Uint8Array) => trimUpdates.push(u));
    trimmer.getText('t').delete(0, 1_400);
    await applyClientUpdate(docs, ROOM, DOC, trimUpdates.pop()!, client('a'));
    expect(handle.doc.getText('t').length).toBe(100);
  });
});
