import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { MemoryDocStore } from '../../test/support/memoryDocStore';
import { ROOM, DOC, closeOpened, setup, client, addEntry, setBody, bodyOf, agreementUpdate, state, titles, applyClientUpdate, onUpdate } from '../../test/support/roomDocumentsKit';
import { noRelay } from './documentRelay';
import type { UpdateOrigin } from './origins';

afterEach(closeOpened);

describe('RoomDocuments: sync between two devices', () => {
  it('[RD-09] two client documents converge through the room, and no update is echoed to its sender', async () => {
    const { docs } = setup();
    const handle = await docs.open(ROOM, DOC);
    const clients = { a: new Y.Doc(), b: new Y.Doc() };
    const received: Record<string, number> = { a: 0, b: 0 };
    onUpdate(docs, (_room, _doc, update, origin) => {
      for (const [id, doc] of Object.entries(clients)) {
        if (origin.kind === 'client' && origin.socketId === id) continue;
        received[id] = (received[id] ?? 0) + 1;
        Y.applyUpdate(doc, update, 'server');
      }
    });
    for (const [id, doc] of Object.entries(clients)) {
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin !== 'server') void applyClientUpdate(docs, ROOM, DOC, update, client(id));
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

  it('[RD-06] an update already known is neither emitted again nor a problem', async () => {
    const { docs } = setup();
    const handle = await docs.open(ROOM, DOC);
    const emitted = vi.fn();
    onUpdate(docs, emitted);
    const update = agreementUpdate('Once');
    await applyClientUpdate(docs, ROOM, DOC, update, client('a'));
    await applyClientUpdate(docs, ROOM, DOC, update, client('b'));
    expect(emitted).toHaveBeenCalledTimes(1);
    expect(titles(handle.doc)).toEqual(['Once']);
  });

  it('[RD-06] an empty update (nothing new) is not stored', async () => {
    const { docs, store } = setup();
    await docs.open(ROOM, DOC);
    await applyClientUpdate(docs, ROOM, DOC, Y.encodeStateAsUpdate(new Y.Doc()), client('a'));
    expect((store as MemoryDocStore).size(ROOM, DOC)).toBe(0);
  });
});

describe('RoomDocuments: what the other holders are sent', () => {
  it('takes one relay: a second one is refused rather than replacing the first', () => {
    const { docs } = setup();
    const stop = docs.relayTo({ ...noRelay });
    expect(() => docs.relayTo({ ...noRelay })).toThrow(/already has a relay/);
    stop();
    expect(() => docs.relayTo({ ...noRelay })).not.toThrow();
  });

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

  it('[RD-09] a keystroke goes on as the device sent it; an update the room already has goes nowhere', async () => {
    const { docs } = setup();
    await docs.open(ROOM, DOC);
    const relayed: Uint8Array[] = [];
    onUpdate(docs, (_r, _d, update) => relayed.push(update));
    const [first, second] = typing(2, 7);
    await applyClientUpdate(docs, ROOM, DOC, first!, client('a'));
    await applyClientUpdate(docs, ROOM, DOC, second!, client('a'));
    await applyClientUpdate(docs, ROOM, DOC, second!, client('b'));
    expect(relayed).toEqual([first, second]);
  });

  it('[RD-09] an update that arrives before the one it builds on reaches the partner with that one', async () => {
    const { docs } = setup();
    const handle = await docs.open(ROOM, DOC);
    const partner = new Y.Doc();
    onUpdate(docs, (_r, _d, update) => Y.applyUpdate(partner, update));
    const updates = typing(3, 7);
    await applyClientUpdate(docs, ROOM, DOC, updates[0]!, client('a'));
    // The third keystroke before the second: it waits outside the document until the second
    // arrives, and its sender's answer waits with it.
    const { stored } = await docs.submitClientUpdate(ROOM, DOC, updates[2]!, client('a'));
    let answered = false;
    void stored.then(() => (answered = true));
    await Promise.resolve();
    expect(answered).toBe(false);
    expect(handle.doc.store.pendingStructs).toBeNull();
    expect(handle.doc.getXmlFragment('notes').toString()).toBe('');
    await applyClientUpdate(docs, ROOM, DOC, updates[1]!, client('a'));
    await stored;
    expect(handle.doc.store.pendingStructs).toBeNull();
    expect(state(partner)).toEqual(state(handle.doc));
    expect(handle.doc.getXmlFragment('notes').toString()).toBe('ab');
  });

  it("[RD-09] a device's whole copy sent on reconnecting gives the partner only what is new to the room", async () => {
    const { docs } = setup();
    const handle = await docs.open(ROOM, DOC);
    const device = new Y.Doc();
    const text = new Y.XmlText();
    device.getXmlFragment('notes').insert(0, [text]);
    text.insert(0, 'x'.repeat(4000));
    await applyClientUpdate(docs, ROOM, DOC, Y.encodeStateAsUpdate(device), client('a'));
    text.insert(4000, ' and one more line');
    const partner = new Y.Doc();
    Y.applyUpdate(partner, Y.encodeStateAsUpdate(handle.doc));
    const relayed: Uint8Array[] = [];
    onUpdate(docs, (_r, _d, update) => {
      relayed.push(update);
      Y.applyUpdate(partner, update);
    });
    const wholeCopy = Y.encodeStateAsUpdate(device);
    await applyClientUpdate(docs, ROOM, DOC, wholeCopy, client('a'));
    expect(relayed).toHaveLength(1);
    expect(relayed[0]!.byteLength).toBeLessThan(wholeCopy.byteLength / 10);
    expect(state(partner)).toEqual(state(handle.doc));
  });

  it("[RD-09] whatever order two devices' updates arrive in, a partner applying only what was relayed ends with the room's document", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.boolean(), fc.nat(), fc.boolean()), { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 80 }),
        fc.nat(),
        async (edits, swaps, seed) => {
          const { docs } = setup();
          const handle = await docs.open(ROOM, DOC);
          const partner = new Y.Doc();
          onUpdate(docs, (_r, _d, update) => Y.applyUpdate(partner, update));
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

  it("[RD-07] a device's edit that arrives before the other node's edit it builds on is applied, stored and answered once that one arrives", async () => {
    const { docs, store } = setup();
    const handle = await docs.open(ROOM, DOC);
    const relayed: UpdateOrigin[] = [];
    onUpdate(docs, (_r, _d, _u, origin) => relayed.push(origin));
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

  it("[RD-07] another node's update that arrives before the one it builds on waits for it too", async () => {
    const { docs } = setup();
    const handle = await docs.open(ROOM, DOC);
    const [first, second] = twoKeystrokes(42);
    expect(docs.applyRemoteUpdate(ROOM, DOC, second, 'node-2')).toBe(true);
    expect(handle.doc.store.pendingStructs).toBeNull();
    await applyClientUpdate(docs, ROOM, DOC, first, client('a'));
    expect(handle.doc.getText('t').toString()).toBe('ab');
  });

  it('[RD-07] one whose parent never arrives is dropped after the age bound with UPDATE_INCOMPLETE, nothing stored', async () => {
    const { docs, store } = setup({ waiting: { maxAgeMs: 50 } });
    const handle = await docs.open(ROOM, DOC);
    const [, orphan] = twoKeystrokes(43);
    const { stored } = await docs.submitClientUpdate(ROOM, DOC, orphan, client('a'));
    await expect(stored).rejects.toMatchObject({ code: 'UPDATE_INCOMPLETE' });
    expect((store as MemoryDocStore).size(ROOM, DOC)).toBe(0);
    // Its parent arriving later changes nothing: the orphan is gone.
    const [first] = twoKeystrokes(43);
    await applyClientUpdate(docs, ROOM, DOC, first, client('a'));
    expect(handle.doc.getText('t').toString()).toBe('a');
  });

  it('[RD-07] past the count or byte bound an update is refused at once with UPDATE_INCOMPLETE, and those held are kept', async () => {
    const { docs } = setup({ waiting: { maxUpdates: 3, maxBytes: 1_000_000 } });
    await docs.open(ROOM, DOC);
    const held = [];
    for (let i = 0; i < 3; i++) held.push((await docs.submitClientUpdate(ROOM, DOC, twoKeystrokes(50 + i)[1], client('a'))).stored);
    await expect(docs.submitClientUpdate(ROOM, DOC, twoKeystrokes(60)[1], client('a'))).rejects.toMatchObject({ code: 'UPDATE_INCOMPLETE' });
    // The held ones still complete when their parents arrive.
    for (let i = 0; i < 3; i++) await applyClientUpdate(docs, ROOM, DOC, twoKeystrokes(50 + i)[0], client('b'));
    await Promise.all(held);

    const small = setup({ waiting: { maxUpdates: 100, maxBytes: 15 } });
    await small.docs.open(ROOM, DOC);
    const [, orphan] = twoKeystrokes(70);
    expect(orphan.byteLength).toBeGreaterThan(15 / 2);
    const kept = (await small.docs.submitClientUpdate(ROOM, DOC, orphan, client('a'))).stored;
    kept.catch(() => undefined);
    await expect(small.docs.submitClientUpdate(ROOM, DOC, twoKeystrokes(71)[1], client('a'))).rejects.toMatchObject({ code: 'UPDATE_INCOMPLETE' });
  });

  it('[RD-08] an update whose parts wait on each other is refused as UPDATE_MALFORMED', async () => {
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
    await expect(applyClientUpdate(docs, ROOM, DOC, encoding.toUint8Array(own), client('a'))).rejects.toMatchObject({ code: 'UPDATE_MALFORMED' });
  });
});

describe('RoomDocuments: server changes, other nodes, documents not open', () => {
  it('[RD-19] a change made on the server goes through the store too', async () => {
    const { docs, store } = setup();
    const handle = await docs.open(ROOM, DOC);
    const origins: UpdateOrigin[] = [];
    onUpdate(docs, (_r, _d, _u, origin) => origins.push(origin));
    await docs.applyServerChange(ROOM, DOC, 'session-summary', (doc) => {
      addEntry(doc, { title: 'Proposed in the session' });
    });
    expect(titles(handle.doc)).toEqual(['Proposed in the session']);
    expect((store as MemoryDocStore).size(ROOM, DOC)).toBe(1);
    expect(origins).toEqual([{ kind: 'server', reason: 'session-summary' }]);
  });

  it('[RD-14] a remote update is applied and emitted with its origin, and not stored again', async () => {
    const { docs, store } = setup();
    const handle = await docs.open(ROOM, DOC);
    const origins: UpdateOrigin[] = [];
    onUpdate(docs, (_r, _d, _u, origin) => origins.push(origin));
    expect(docs.applyRemoteUpdate(ROOM, DOC, agreementUpdate('From node 2'), 'node-2')).toBe(true);
    expect(titles(handle.doc)).toEqual(['From node 2']);
    expect(origins).toEqual([{ kind: 'remote', node: 'node-2' }]);
    expect((store as MemoryDocStore).size(ROOM, DOC)).toBe(0);
    expect(docs.applyRemoteUpdate(ROOM, DOC, new Uint8Array([1, 2, 3]), 'node-2')).toBe(false);
    expect(docs.applyRemoteUpdate('other-room', DOC, agreementUpdate('x'), 'node-2')).toBe(false);
  });

  it('[RD-02] an update for a document that is not open is refused with NOT_IN_ROOM', async () => {
    const { docs } = setup();
    await expect(applyClientUpdate(docs, ROOM, DOC, agreementUpdate('x'), client('a'))).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
  });
});
