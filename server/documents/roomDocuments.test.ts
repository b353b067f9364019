import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { AppError } from '../../shared/protocol/errors';
import type { DocStore } from '../storage/types';
import { MemoryDocStore } from './memoryDocStore';
import { RoomDocuments, type DocHandle, type UpdateOrigin, type WaitingLimits } from './roomDocuments';

const ROOM = 'room-1';
const DOC = 'agreements';

const opened: RoomDocuments[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((docs) => docs.close()));
});

function setup(
  options: { store?: DocStore; compactEvery?: number; maxUpdateBytes?: number; maxDocBytes?: number; waiting?: Partial<WaitingLimits> } = {},
) {
  const store = options.store ?? new MemoryDocStore();
  const docs = new RoomDocuments({
    store,
    compactEvery: options.compactEvery,
    limits: { maxUpdateBytes: options.maxUpdateBytes, maxDocBytes: options.maxDocBytes },
    waiting: options.waiting,
  });
  opened.push(docs);
  return { store, docs };
}

const client = (socketId: string): UpdateOrigin => ({ kind: 'client', socketId });

/**
 * An entry the way the room's documents hold one (a map of texts under a root map), written
 * with Yjs alone: these tests are about moving updates, not about what the app keeps in them.
 */
function addEntry(doc: Y.Doc, fields: { id?: string; title: string; body?: string }): string {
  const id = fields.id ?? `e${Math.random().toString(36).slice(2, 10)}`;
  doc.transact(() => {
    const entry = new Y.Map<Y.Text>();
    doc.getMap<Y.Map<Y.Text>>('agreements').set(id, entry);
    entry.set('title', new Y.Text(fields.title));
    entry.set('body', new Y.Text(fields.body ?? ''));
  });
  return id;
}

function setBody(doc: Y.Doc, id: string, body: string): void {
  const text = doc.getMap<Y.Map<Y.Text>>('agreements').get(id)?.get('body');
  if (!text) throw new Error(`no entry ${id}`);
  doc.transact(() => {
    text.delete(0, text.length);
    text.insert(0, body);
  });
}

const bodyOf = (doc: Y.Doc, id: string) => doc.getMap<Y.Map<Y.Text>>('agreements').get(id)?.get('body')?.toString();

/** An update that adds one entry, made on a scratch client document. */
function agreementUpdate(title: string, body = ''): Uint8Array {
  const doc = new Y.Doc();
  addEntry(doc, { title, body });
  return Y.encodeStateAsUpdate(doc);
}

const state = (doc: Y.Doc) => Array.from(Y.encodeStateAsUpdate(doc));
const titles = (doc: Y.Doc) => [...doc.getMap<Y.Map<Y.Text>>('agreements').values()].map((entry) => entry.get('title')?.toString()).sort();

function seededBytes(seed: number, length: number): Uint8Array {
  let s = seed >>> 0;
  return new Uint8Array(length).map(() => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s >>> 24;
  });
}

describe('RoomDocuments: sync between two devices', () => {
  it('two client documents converge through the room, and no update is echoed to its sender', async () => {
    const { docs } = setup();
    const handle = await docs.open(ROOM, DOC);
    const clients = { a: new Y.Doc(), b: new Y.Doc() };
    const received: Record<string, number> = { a: 0, b: 0 };
    docs.on('update', (_room, _doc, update, origin) => {
      for (const [id, doc] of Object.entries(clients)) {
        if (origin.kind === 'client' && origin.socketId === id) continue;
        received[id] = (received[id] ?? 0) + 1;
        Y.applyUpdate(doc, update, 'server');
      }
    });
    for (const [id, doc] of Object.entries(clients)) {
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin !== 'server') void docs.applyClientUpdate(ROOM, DOC, update, client(id));
      });
    }
    addEntry(clients.a, { id: 'x', title: 'From A' });
    addEntry(clients.b, { id: 'y', title: 'From B' });
    await vi.waitFor(() => expect(titles(handle.doc)).toEqual(['From A', 'From B']));
    setBody(clients.b, 'x', 'B edits A');
    await vi.waitFor(() => expect(bodyOf(clients.a, 'x')).toBe('B edits A'));
    expect(titles(clients.a)).toEqual(titles(clients.b));
    expect(state(clients.a)).toEqual(state(handle.doc));
    expect(received).toEqual({ a: 2, b: 1 });
    await handle.release();
  });

  it('an update already known is neither emitted again nor a problem', async () => {
    const { docs } = setup();
    const handle = await docs.open(ROOM, DOC);
    const emitted = vi.fn();
    docs.on('update', emitted);
    const update = agreementUpdate('Once');
    await docs.applyClientUpdate(ROOM, DOC, update, client('a'));
    await docs.applyClientUpdate(ROOM, DOC, update, client('b'));
    expect(emitted).toHaveBeenCalledTimes(1);
    expect(titles(handle.doc)).toEqual(['Once']);
  });

  it('an empty update (nothing new) is not stored', async () => {
    const { docs, store } = setup();
    await docs.open(ROOM, DOC);
    await docs.applyClientUpdate(ROOM, DOC, Y.encodeStateAsUpdate(new Y.Doc()), client('a'));
    expect((store as MemoryDocStore).size(ROOM, DOC)).toBe(0);
  });
});

describe('RoomDocuments: what the other holders are sent', () => {
  /** A device typing into a paragraph: its updates, one per keystroke, as it would send them. */
  function typing(keystrokes: number, clientID: number): Uint8Array[] {
    const device = new Y.Doc();
    device.clientID = clientID;
    const updates: Uint8Array[] = [];
    device.on('update', (u: Uint8Array) => updates.push(u));
    const text = new Y.XmlText();
    device.getXmlFragment('notes').insert(0, [text]);
    for (let i = 0; i < keystrokes; i++) text.insert(i, String.fromCharCode(97 + (i % 26)));
    return updates;
  }

  it('a keystroke goes on as the device sent it; an update the room already has goes nowhere', async () => {
    const { docs } = setup();
    await docs.open(ROOM, DOC);
    const relayed: Uint8Array[] = [];
    docs.on('update', (_r, _d, update) => relayed.push(update));
    const [first, second] = typing(2, 7);
    await docs.applyClientUpdate(ROOM, DOC, first!, client('a'));
    await docs.applyClientUpdate(ROOM, DOC, second!, client('a'));
    await docs.applyClientUpdate(ROOM, DOC, second!, client('b'));
    expect(relayed).toEqual([first, second]);
  });

  it('an update that arrives before the one it builds on reaches the partner with that one', async () => {
    const { docs } = setup();
    const handle = await docs.open(ROOM, DOC);
    const partner = new Y.Doc();
    docs.on('update', (_r, _d, update) => Y.applyUpdate(partner, update));
    const updates = typing(3, 7);
    await docs.applyClientUpdate(ROOM, DOC, updates[0]!, client('a'));
    // The third keystroke before the second: it waits outside the document until the second
    // arrives, and its sender's answer waits with it.
    const { stored } = await docs.submitClientUpdate(ROOM, DOC, updates[2]!, client('a'));
    let answered = false;
    void stored.then(() => (answered = true));
    await Promise.resolve();
    expect(answered).toBe(false);
    expect(handle.doc.store.pendingStructs).toBeNull();
    expect(handle.doc.getXmlFragment('notes').toString()).toBe('');
    await docs.applyClientUpdate(ROOM, DOC, updates[1]!, client('a'));
    await stored;
    expect(handle.doc.store.pendingStructs).toBeNull();
    expect(state(partner)).toEqual(state(handle.doc));
    expect(handle.doc.getXmlFragment('notes').toString()).toBe('ab');
  });

  it("a device's whole copy sent on reconnecting gives the partner only what is new to the room", async () => {
    const { docs } = setup();
    const handle = await docs.open(ROOM, DOC);
    const device = new Y.Doc();
    const text = new Y.XmlText();
    device.getXmlFragment('notes').insert(0, [text]);
    text.insert(0, 'x'.repeat(4000));
    await docs.applyClientUpdate(ROOM, DOC, Y.encodeStateAsUpdate(device), client('a'));
    text.insert(4000, ' and one more line');
    const partner = new Y.Doc();
    Y.applyUpdate(partner, Y.encodeStateAsUpdate(handle.doc));
    const relayed: Uint8Array[] = [];
    docs.on('update', (_r, _d, update) => {
      relayed.push(update);
      Y.applyUpdate(partner, update);
    });
    const wholeCopy = Y.encodeStateAsUpdate(device);
    await docs.applyClientUpdate(ROOM, DOC, wholeCopy, client('a'));
    expect(relayed).toHaveLength(1);
    expect(relayed[0]!.byteLength).toBeLessThan(wholeCopy.byteLength / 10);
    expect(state(partner)).toEqual(state(handle.doc));
  });

  it("whatever order two devices' updates arrive in, a partner applying only what was relayed ends with the room's document", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.boolean(), fc.nat(), fc.boolean()), { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 80 }),
        fc.nat(),
        async (edits, swaps, seed) => {
          const { docs } = setup();
          const handle = await docs.open(ROOM, DOC);
          const partner = new Y.Doc();
          docs.on('update', (_r, _d, update) => Y.applyUpdate(partner, update));
          const devices = [new Y.Doc(), new Y.Doc()];
          const sent: Array<{ from: number; update: Uint8Array }> = [];
          devices.forEach((d, i) => d.on('update', (u: Uint8Array, origin: unknown) => origin !== 'peer' && sent.push({ from: i, update: u })));
          for (const [second, at, remove] of edits) {
            const d = devices[second ? 1 : 0]!;
            const text = d.getText('t');
            if (remove && text.length > 0) text.delete(at % text.length, 1);
            else text.insert(at % (text.length + 1), 'k');
            // Now and then the devices see each other's work, so edits depend on both.
            if (at % 3 === 0) {
              Y.applyUpdate(devices[0]!, Y.encodeStateAsUpdate(devices[1]!), 'peer');
              Y.applyUpdate(devices[1]!, Y.encodeStateAsUpdate(devices[0]!), 'peer');
            }
          }
          // Now and then a device's whole copy, large enough to be re-encoded by Yjs.
          if (seed % 2 === 0) sent.push({ from: 0, update: Y.encodeStateAsUpdate(devices[0]!) });
          for (const swap of swaps) {
            const i = swap % sent.length;
            const j = (swap * 31 + seed) % sent.length;
            [sent[i], sent[j]] = [sent[j]!, sent[i]!];
          }
          // Submitted one after the other as a socket would; an update that builds on one not
          // sent yet is answered once that one arrives.
          const stored: Array<Promise<void>> = [];
          for (const { from, update } of sent) stored.push((await docs.submitClientUpdate(ROOM, DOC, update, client(from ? 'b' : 'a'))).stored);
          await Promise.all(stored);
          expect(partner.getText('t').toString()).toBe(handle.doc.getText('t').toString());
          expect(Y.encodeStateVector(partner)).toEqual(Y.encodeStateVector(handle.doc));
          await docs.close();
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('RoomDocuments: updates that build on one the document lacks wait outside it, bounded', () => {
  /** Two keystrokes of one device: the second builds on the first. */
  function twoKeystrokes(clientID: number): [Uint8Array, Uint8Array] {
    const device = new Y.Doc();
    device.clientID = clientID;
    const updates: Uint8Array[] = [];
    device.on('update', (u: Uint8Array) => updates.push(u));
    device.getText('t').insert(0, 'a');
    device.getText('t').insert(1, 'b');
    return [updates[0]!, updates[1]!];
  }

  it("a device's edit that arrives before the other node's edit it builds on is applied, stored and answered once that one arrives", async () => {
    const { docs, store } = setup();
    const handle = await docs.open(ROOM, DOC);
    const relayed: UpdateOrigin[] = [];
    docs.on('update', (_r, _d, _u, origin) => relayed.push(origin));
    const [fromOtherNode, builtOnIt] = twoKeystrokes(41);
    const { stored } = await docs.submitClientUpdate(ROOM, DOC, builtOnIt, client('a'));
    expect(handle.doc.getText('t').toString()).toBe('');
    expect(relayed).toEqual([]);
    expect(docs.applyRemoteUpdate(ROOM, DOC, fromOtherNode, 'node-2')).toBe(true);
    await stored;
    expect(handle.doc.getText('t').toString()).toBe('ab');
    expect(handle.doc.store.pendingStructs).toBeNull();
    expect(relayed).toEqual([{ kind: 'remote', node: 'node-2' }, client('a')]);
    // Only the device's own update is stored here; the other node stored its own.
    expect((store as MemoryDocStore).size(ROOM, DOC)).toBe(1);
  });

  it("another node's update that arrives before the one it builds on waits for it too", async () => {
    const { docs } = setup();
    const handle = await docs.open(ROOM, DOC);
    const [first, second] = twoKeystrokes(42);
    expect(docs.applyRemoteUpdate(ROOM, DOC, second, 'node-2')).toBe(true);
    expect(handle.doc.store.pendingStructs).toBeNull();
    await docs.applyClientUpdate(ROOM, DOC, first, client('a'));
    expect(handle.doc.getText('t').toString()).toBe('ab');
  });

  it('one whose parent never arrives is dropped after the age bound with UPDATE_INCOMPLETE, nothing stored', async () => {
    const { docs, store } = setup({ waiting: { maxAgeMs: 50 } });
    const handle = await docs.open(ROOM, DOC);
    const [, orphan] = twoKeystrokes(43);
    const { stored } = await docs.submitClientUpdate(ROOM, DOC, orphan, client('a'));
    await expect(stored).rejects.toMatchObject({ code: 'UPDATE_INCOMPLETE' });
    expect((store as MemoryDocStore).size(ROOM, DOC)).toBe(0);
    // Its parent arriving later changes nothing: the orphan is gone.
    const [first] = twoKeystrokes(43);
    await docs.applyClientUpdate(ROOM, DOC, first, client('a'));
    expect(handle.doc.getText('t').toString()).toBe('a');
  });

  it('past the count or byte bound an update is refused at once with UPDATE_INCOMPLETE, and those held are kept', async () => {
    const { docs } = setup({ waiting: { maxUpdates: 3, maxBytes: 1_000_000 } });
    await docs.open(ROOM, DOC);
    const held = [];
    for (let i = 0; i < 3; i++) held.push((await docs.submitClientUpdate(ROOM, DOC, twoKeystrokes(50 + i)[1], client('a'))).stored);
    await expect(docs.submitClientUpdate(ROOM, DOC, twoKeystrokes(60)[1], client('a'))).rejects.toMatchObject({ code: 'UPDATE_INCOMPLETE' });
    // The held ones still complete when their parents arrive.
    for (let i = 0; i < 3; i++) await docs.applyClientUpdate(ROOM, DOC, twoKeystrokes(50 + i)[0], client('b'));
    await Promise.all(held);

    const small = setup({ waiting: { maxUpdates: 100, maxBytes: 15 } });
    await small.docs.open(ROOM, DOC);
    const [, orphan] = twoKeystrokes(70);
    expect(orphan.byteLength).toBeGreaterThan(15 / 2);
    const kept = (await small.docs.submitClientUpdate(ROOM, DOC, orphan, client('a'))).stored;
    kept.catch(() => undefined);
    await expect(small.docs.submitClientUpdate(ROOM, DOC, twoKeystrokes(71)[1], client('a'))).rejects.toMatchObject({ code: 'UPDATE_INCOMPLETE' });
  });

  it('an update whose parts wait on each other is refused as UPDATE_MALFORMED', async () => {
    const { docs } = setup();
    await docs.open(ROOM, DOC);
    // Client 5's item has its origin at client 6's item, whose origin is client 5's next item:
    // no device writes that (6 would have seen 5's later item before 5 saw 6's).
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 2);
    for (const [clientId, structs] of [
      [5, [[6, 0]]],
      [6, [[5, 1]]],
    ] as const) {
      encoding.writeVarUint(e, structs.length);
      encoding.writeVarUint(e, clientId);
      encoding.writeVarUint(e, 0);
      for (const [originClient, originClock] of structs) {
        encoding.writeUint8(e, 8 | 128);
        encoding.writeVarUint(e, originClient);
        encoding.writeVarUint(e, originClock);
        encoding.writeVarUint(e, 1);
        encoding.writeAny(e, 1);
      }
    }
    encoding.writeVarUint(e, 0);
    await expect(docs.submitClientUpdate(ROOM, DOC, encoding.toUint8Array(e), client('a'))).rejects.toMatchObject({ code: 'UPDATE_MALFORMED' });
    // An item pointing at a later clock of its own client can never be integrated.
    const own = encoding.createEncoder();
    encoding.writeVarUint(own, 1);
    encoding.writeVarUint(own, 1);
    encoding.writeVarUint(own, 9);
    encoding.writeVarUint(own, 0);
    encoding.writeUint8(own, 8 | 128);
    encoding.writeVarUint(own, 9);
    encoding.writeVarUint(own, 3);
    encoding.writeVarUint(own, 1);
    encoding.writeAny(own, 1);
    encoding.writeVarUint(own, 0);
    await expect(docs.applyClientUpdate(ROOM, DOC, encoding.toUint8Array(own), client('a'))).rejects.toMatchObject({ code: 'UPDATE_MALFORMED' });
  });
});

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
  it.each(table)('$name -> $code', async ({ update, code }) => {
    const { docs, store } = setup();
    const handle = await docs.open(ROOM, DOC);
    await docs.applyClientUpdate(ROOM, DOC, agreementUpdate('Before'), client('a'));
    const before = state(handle.doc);
    const emitted = vi.fn();
    docs.on('update', emitted);
    const attempt = docs.applyClientUpdate(ROOM, DOC, update, client('a'));
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code });
    expect(state(handle.doc)).toEqual(before);
    expect((store as MemoryDocStore).size(ROOM, DOC)).toBe(1);
    expect(emitted).not.toHaveBeenCalled();
  });

  it('random bytes: every one is refused as UPDATE_MALFORMED or, if it happens to decode, stored and replayable', async () => {
    const { docs, store } = setup();
    const handle = await docs.open(ROOM, DOC);
    await docs.applyClientUpdate(ROOM, DOC, agreementUpdate('Before'), client('a'));
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

  it('a document at its size limit refuses growth with DOC_TOO_LARGE but still accepts a deletion', async () => {
    const { docs } = setup({ maxDocBytes: 2_000 });
    const handle = await docs.open(ROOM, DOC);
    const client1 = new Y.Doc();
    const updates: Uint8Array[] = [];
    client1.on('update', (u: Uint8Array) => updates.push(u));
    const text = client1.getText('t');
    text.insert(0, 'x'.repeat(1_500));
    await docs.applyClientUpdate(ROOM, DOC, updates.pop()!, client('a'));
    const before = state(handle.doc);

    text.insert(0, 'y'.repeat(1_000));
    const growth = updates.pop()!;
    await expect(docs.applyClientUpdate(ROOM, DOC, growth, client('a'))).rejects.toMatchObject({ code: 'DOC_TOO_LARGE' });
    expect(state(handle.doc)).toEqual(before);

    const trimmer = new Y.Doc();
    Y.applyUpdate(trimmer, Y.encodeStateAsUpdate(handle.doc));
    const trimUpdates: Uint8Array[] = [];
    trimmer.on('update', (u: Uint8Array) => trimUpdates.push(u));
    trimmer.getText('t').delete(0, 1_400);
    await docs.applyClientUpdate(ROOM, DOC, trimUpdates.pop()!, client('a'));
    expect(handle.doc.getText('t').length).toBe(100);
  });
});

describe('RoomDocuments: relayed at once, acknowledged once durable', () => {
  it('a failed write reaches the caller, and the next write stores the whole document so the log catches up', async () => {
    const store = new MemoryDocStore();
    const failure = new Error('disk full');
    vi.spyOn(store, 'append').mockRejectedValueOnce(failure);
    const { docs } = setup({ store });
    const handle = await docs.open(ROOM, DOC);
    await expect(docs.applyClientUpdate(ROOM, DOC, agreementUpdate('Relayed, not stored'), client('a'))).rejects.toBe(failure);
    // Already relayed to the other holders, so it stays in the document.
    expect(titles(handle.doc)).toEqual(['Relayed, not stored']);
    await docs.applyClientUpdate(ROOM, DOC, agreementUpdate('Next'), client('a'));

    const reloaded = new Y.Doc();
    for (const update of await store.load(ROOM, DOC)) Y.applyUpdate(reloaded, update);
    expect(titles(reloaded)).toEqual(['Next', 'Relayed, not stored']);
  });

  it('a failed write with no later one is stored whole when the document unloads', async () => {
    const store = new MemoryDocStore();
    vi.spyOn(store, 'append').mockRejectedValueOnce(new Error('disk full'));
    const { docs } = setup({ store });
    const handle = await docs.open(ROOM, DOC);
    await expect(docs.applyClientUpdate(ROOM, DOC, agreementUpdate('Kept'), client('a'))).rejects.toThrow('disk full');
    await handle.release();
    expect(docs.isLoaded(ROOM, DOC)).toBe(false);
    const again = await docs.open(ROOM, DOC);
    expect(titles(again.doc)).toEqual(['Kept']);
  });

  it('listeners hear the update before it is durable; the caller is answered only after', async () => {
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
    docs.on('update', () => seen.push(`relayed; stored ${store.size(ROOM, DOC)}`));
    const applied = docs.applyClientUpdate(ROOM, DOC, agreementUpdate('Durable'), client('a')).then(() => seen.push('answered'));
    await vi.waitFor(() => expect(seen).toContain('append started'));
    expect(seen).toEqual(['relayed; stored 0', 'append started']);
    finishWrite();
    await applied;
    expect(seen).toEqual(['relayed; stored 0', 'append started', 'append done', 'answered']);
  });

  it('a slow write holds back no one: the next update is applied and relayed while it is in flight, answers keep their order', async () => {
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
    docs.on('update', () => seen.push(`relayed ${seen.filter((s) => s.startsWith('relayed')).length + 1}`));
    const first = docs.applyClientUpdate(ROOM, DOC, agreementUpdate('First'), client('a')).then(() => seen.push('answered 1'));
    const second = docs.applyClientUpdate(ROOM, DOC, agreementUpdate('Second'), client('b')).then(() => seen.push('answered 2'));
    await vi.waitFor(() => expect(writes).toHaveLength(2));
    expect(seen).toEqual(['relayed 1', 'relayed 2']);
    for (const finish of writes) finish();
    await Promise.all([first, second]);
    expect(seen).toEqual(['relayed 1', 'relayed 2', 'answered 1', 'answered 2']);
    expect(store.size(ROOM, DOC)).toBe(2);
  });

  it('an earlier write that fails after a later one succeeded still makes the next write store the whole document', async () => {
    const store = new MemoryDocStore();
    const { docs } = setup({ store });
    const handle = await docs.open(ROOM, DOC);
    const append = store.append.bind(store);
    let failFirst: (err: Error) => void = () => undefined;
    vi.spyOn(store, 'append')
      .mockImplementationOnce(() => new Promise<number>((_resolve, reject) => (failFirst = reject)))
      .mockImplementation(append);
    const first = docs.applyClientUpdate(ROOM, DOC, agreementUpdate('Lost write'), client('a'));
    await docs.applyClientUpdate(ROOM, DOC, agreementUpdate('Stored'), client('a'));
    failFirst(new Error('disk full'));
    await expect(first).rejects.toThrow('disk full');
    await docs.applyClientUpdate(ROOM, DOC, agreementUpdate('Catches up'), client('a'));

    const reloaded = new Y.Doc();
    for (const update of await store.load(ROOM, DOC)) Y.applyUpdate(reloaded, update);
    expect(titles(reloaded)).toEqual(titles(handle.doc));
    expect(titles(reloaded)).toEqual(['Catches up', 'Lost write', 'Stored']);
  });

  it('unloading waits for the writes in flight before deciding what to store', async () => {
    const store = new MemoryDocStore();
    const { docs } = setup({ store });
    const handle = await docs.open(ROOM, DOC);
    let failWrite: ((err: Error) => void) | null = null;
    vi.spyOn(store, 'append').mockImplementationOnce(() => new Promise<number>((_resolve, reject) => (failWrite = reject)));
    const write = docs.applyClientUpdate(ROOM, DOC, agreementUpdate('In flight'), client('a'));
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

  it('a change made on the server goes through the store too', async () => {
    const { docs, store } = setup();
    const handle = await docs.open(ROOM, DOC);
    const origins: UpdateOrigin[] = [];
    docs.on('update', (_r, _d, _u, origin) => origins.push(origin));
    await docs.applyServerChange(ROOM, DOC, 'session-summary', (doc) => {
      addEntry(doc, { title: 'Proposed in the session' });
    });
    expect(titles(handle.doc)).toEqual(['Proposed in the session']);
    expect((store as MemoryDocStore).size(ROOM, DOC)).toBe(1);
    expect(origins).toEqual([{ kind: 'server', reason: 'session-summary' }]);
  });

  it('a remote update is applied and emitted with its origin, and not stored again', async () => {
    const { docs, store } = setup();
    const handle = await docs.open(ROOM, DOC);
    const origins: UpdateOrigin[] = [];
    docs.on('update', (_r, _d, _u, origin) => origins.push(origin));
    expect(docs.applyRemoteUpdate(ROOM, DOC, agreementUpdate('From node 2'), 'node-2')).toBe(true);
    expect(titles(handle.doc)).toEqual(['From node 2']);
    expect(origins).toEqual([{ kind: 'remote', node: 'node-2' }]);
    expect((store as MemoryDocStore).size(ROOM, DOC)).toBe(0);
    expect(docs.applyRemoteUpdate(ROOM, DOC, new Uint8Array([1, 2, 3]), 'node-2')).toBe(false);
    expect(docs.applyRemoteUpdate('other-room', DOC, agreementUpdate('x'), 'node-2')).toBe(false);
  });

  it('an update for a document that is not open is refused with NOT_IN_ROOM', async () => {
    const { docs } = setup();
    await expect(docs.applyClientUpdate(ROOM, DOC, agreementUpdate('x'), client('a'))).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
  });
});

describe('RoomDocuments: loading, holders and compaction', () => {
  it('concurrent opens share one load; the last release stores and unloads; reopening gives the same content', async () => {
    const store = new MemoryDocStore();
    const load = vi.spyOn(store, 'load');
    const forget = vi.spyOn(store, 'release');
    const { docs } = setup({ store });
    const [h1, h2] = await Promise.all([docs.open(ROOM, DOC), docs.open(ROOM, DOC)]);
    expect(h1.doc).toBe(h2.doc);
    expect(load).toHaveBeenCalledTimes(1);
    for (const title of ['One', 'Two', 'Three']) await docs.applyClientUpdate(ROOM, DOC, agreementUpdate(title), client('a'));
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

  it('a document opened again while it is being stored stays loaded', async () => {
    const store = new MemoryDocStore();
    const { docs } = setup({ store });
    const first = await docs.open(ROOM, DOC);
    await docs.applyClientUpdate(ROOM, DOC, agreementUpdate('One'), client('a'));
    await docs.applyClientUpdate(ROOM, DOC, agreementUpdate('Two'), client('a'));
    const releasing = first.release();
    const second = await docs.open(ROOM, DOC);
    await releasing;
    expect(docs.isLoaded(ROOM, DOC)).toBe(true);
    expect(second.doc).toBe(first.doc);
    await docs.applyClientUpdate(ROOM, DOC, agreementUpdate('Three'), client('a'));
    expect(titles(second.doc)).toEqual(['One', 'Three', 'Two']);
    await second.release();
  });

  it('compaction every N appends keeps the content and shortens the log', async () => {
    const store = new MemoryDocStore();
    const compact = vi.spyOn(store, 'compact');
    const { docs } = setup({ store, compactEvery: 5 });
    const handle = await docs.open(ROOM, DOC);
    const writer = new Y.Doc();
    writer.on('update', (u: Uint8Array) => void docs.applyClientUpdate(ROOM, DOC, u, client('a')));
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

  it("other nodes' updates that arrive while a document loads are applied once it has, and past the bound the store is read again instead of keeping them", async () => {
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

  it('a failing load is reported to every waiting opener and retried on the next open', async () => {
    const store = new MemoryDocStore();
    vi.spyOn(store, 'load').mockRejectedValueOnce(new Error('io'));
    const { docs } = setup({ store });
    const results = await Promise.allSettled([docs.open(ROOM, DOC), docs.open(ROOM, DOC)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const handle = await docs.open(ROOM, DOC);
    expect(docs.isLoaded(ROOM, DOC)).toBe(true);
    await handle.release();
  });

  it('discardRoom drops the room without storing, and old handles become inert', async () => {
    const store = new MemoryDocStore();
    const { docs } = setup({ store });
    const handle: DocHandle = await docs.open(ROOM, DOC);
    await docs.applyClientUpdate(ROOM, DOC, agreementUpdate('One'), client('a'));
    await store.deleteRoom(ROOM);
    docs.discardRoom(ROOM);
    expect(docs.isLoaded(ROOM, DOC)).toBe(false);
    await handle.release();
    expect(store.size(ROOM, DOC)).toBe(0);
  });
});
