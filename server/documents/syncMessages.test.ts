import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MemoryDocStore } from '../../test/support/memoryDocStore';
import { applyClientUpdate } from '../../test/support/roomDocumentsKit';
import { noRelay } from './documentRelay';
import { applyRemoteAwareness, removeSocket } from './presenceOwnership';
import { RoomDocuments } from './roomDocuments';
import { awarenessMessage, openingMessages, updateMessage } from './syncMessages';

const ROOM = 'room-1';
const DOC = 'agreements';

/**
 * A client written with nothing but yjs, y-protocols and lib0, the way y-websocket's provider
 * handles messages, so the test shows any such client can sync with the server.
 */
class BareClient {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly outbox: Uint8Array[] = [];

  constructor(readonly socketId: string) {
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this) return;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeUpdate(encoder, update);
      this.outbox.push(encoding.toUint8Array(encoder));
    });
    this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (origin === this) return;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 1);
      encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...added, ...updated, ...removed]));
      this.outbox.push(encoding.toUint8Array(encoder));
    });
  }

  connect(): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    this.outbox.push(encoding.toUint8Array(encoder));
  }

  receive(message: Uint8Array): void {
    const decoder = decoding.createDecoder(message);
    const encoder = encoding.createEncoder();
    const type = decoding.readVarUint(decoder);
    if (type === 0) {
      encoding.writeVarUint(encoder, 0);
      syncProtocol.readSyncMessage(decoder, encoder, this.doc, this);
      if (encoding.length(encoder) > 1) this.outbox.push(encoding.toUint8Array(encoder));
    } else if (type === 1) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
    }
  }

  destroy(): void {
    this.awareness.destroy();
    this.doc.destroy();
  }
}

/** Stands in for the socket layer: replies go to the sender, events to everyone else. */
function wire(docs: RoomDocuments, clients: BareClient[]) {
  docs.relayTo({
    ...noRelay,
    update: (_room, _doc, update, origin) => {
      for (const c of clients) if (!(origin.kind === 'client' && origin.socketId === c.socketId)) c.receive(updateMessage(update));
    },
    presence: (_room, _doc, message, origin) => {
      const sender = origin.kind === 'client' ? origin.socketId : undefined;
      for (const c of clients) if (c.socketId !== sender) c.receive(message);
    },
  });
  return async function pump(): Promise<void> {
    for (let round = 0; round < 20; round++) {
      let moved = false;
      for (const c of clients) {
        while (c.outbox.length > 0) {
          moved = true;
          const { replies, stored } = await docs.receive(ROOM, DOC, c.outbox.shift()!, { kind: 'client', socketId: c.socketId });
          await stored;
          for (const reply of replies) c.receive(reply);
        }
      }
      if (!moved) return;
    }
    throw new Error('messages kept flowing');
  };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function room(store = new MemoryDocStore()) {
  const docs = new RoomDocuments({ store });
  const handle = await docs.open(ROOM, DOC);
  const a = new BareClient('sock-a');
  const b = new BareClient('sock-b');
  cleanups.push(() => a.destroy(), () => b.destroy(), () => docs.close());
  const pump = wire(docs, [a, b]);
  return { docs, handle, a, b, pump, store };
}

describe('RoomDocuments.receive with a bare y-protocols client', () => {
  it('[RD-03] a client with offline edits syncs both ways, and two clients converge through the server', async () => {
    const store = new MemoryDocStore();
    {
      const seedDocs = new RoomDocuments({ store });
      const seed = await seedDocs.open(ROOM, DOC);
      const seedDoc = new Y.Doc();
      seedDoc.getText('notes').insert(0, 'from the server. ');
      await applyClientUpdate(seedDocs, ROOM, DOC, Y.encodeStateAsUpdate(seedDoc), { kind: 'client', socketId: 'seed' });
      await seed.release();
    }
    const { handle, a, b, pump } = await room(store);
    a.doc.getText('notes').insert(0, 'offline by A. ');
    a.outbox.length = 0;
    a.connect();
    b.connect();
    await pump();
    expect(a.doc.getText('notes').toString()).toBe(handle.doc.getText('notes').toString());
    expect(handle.doc.getText('notes').toString()).toContain('offline by A.');
    expect(handle.doc.getText('notes').toString()).toContain('from the server.');

    a.doc.getText('notes').insert(0, 'A live. ');
    b.doc.getText('notes').insert(b.doc.getText('notes').length, 'B live.');
    await pump();
    const expected = handle.doc.getText('notes').toString();
    expect(a.doc.getText('notes').toString()).toBe(expected);
    expect(b.doc.getText('notes').toString()).toBe(expected);
    expect(expected).toContain('A live.');
    expect(expected).toContain('B live.');
  });

  it('[RD-03] sync step 1 is answered with step 2 and the server step 1, in the standard framing', async () => {
    const { docs } = await room();
    const client = new Y.Doc();
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeSyncStep1(encoder, client);
    const { replies, stored } = await docs.receive(ROOM, DOC, encoding.toUint8Array(encoder), { kind: 'client', socketId: 's' });
    expect(stored).toBeNull();
    expect(replies.map((r) => [r[0], r[1]])).toEqual([
      [0, syncProtocol.messageYjsSyncStep2],
      [0, syncProtocol.messageYjsSyncStep1],
    ]);
  });

  it('[RD-03] opening messages carry the server step 1 and the presence already there', async () => {
    const { docs, a, pump } = await room();
    a.awareness.setLocalStateField('user', { name: 'A' });
    await pump();
    const messages = openingMessages(docs.peek(ROOM, DOC)!);
    expect(messages.map((m) => m[0])).toEqual([0, 1]);
  });

  it('[RD-03] a device that connects after the partner set its presence gets it with the answer to its sync step 1', async () => {
    const { docs, a, pump } = await room();
    a.awareness.setLocalStateField('user', { name: 'A' });
    await pump();
    const late = new BareClient('sock-late');
    cleanups.push(() => late.destroy());
    late.connect();
    const { replies } = await docs.receive(ROOM, DOC, late.outbox.shift()!, { kind: 'client', socketId: late.socketId });
    expect(replies.map((r) => r[0])).toEqual([0, 0, 1]);
    for (const reply of replies) late.receive(reply);
    expect(late.awareness.getStates().get(a.doc.clientID)).toEqual({ user: { name: 'A' } });
  });

  it("[RD-17] another node's presence message is applied with the message in its origin; one that does not read changes nothing", async () => {
    const { docs, a, pump } = await room();
    a.awareness.setLocalStateField('user', { name: 'A' });
    await pump();
    const elsewhere = new awarenessProtocol.Awareness(new Y.Doc());
    cleanups.push(() => elsewhere.destroy());
    const origins: unknown[] = [];
    elsewhere.on('update', (_change: unknown, origin: unknown) => origins.push(origin));
    const message = awarenessMessage(docs.peek(ROOM, DOC)!.awareness, [a.doc.clientID]);
    expect(applyRemoteAwareness(elsewhere, message, 'node-1')).toBe(true);
    expect(elsewhere.getStates().get(a.doc.clientID)).toEqual({ user: { name: 'A' } });
    expect(origins).toEqual([{ kind: 'remote', node: 'node-1', message }]);
    expect(applyRemoteAwareness(elsewhere, updateMessage(new Uint8Array([0, 0])), 'node-1')).toBe(false);
    expect(applyRemoteAwareness(elsewhere, message.slice(0, -3), 'node-1')).toBe(false);
    expect(origins).toHaveLength(1);
  });

  it('[RD-16] awareness travels between clients and is removed when a socket leaves', async () => {
    const { docs, a, b, pump } = await room();
    a.awareness.setLocalStateField('user', { name: 'A' });
    await pump();
    expect(b.awareness.getStates().get(a.doc.clientID)).toEqual({ user: { name: 'A' } });
    const serverAwareness = docs.peek(ROOM, DOC)!.awareness;
    expect(removeSocket(serverAwareness, 'sock-a')).toEqual([a.doc.clientID]);
    expect(b.awareness.getStates().has(a.doc.clientID)).toBe(false);
  });

  it('[RD-16] a socket cannot speak for presence another socket introduced', async () => {
    const { docs, a, pump } = await room();
    a.awareness.setLocalStateField('user', { name: 'A' });
    await pump();
    const message = awarenessMessage(a.awareness, [a.doc.clientID]);
    await expect(docs.receive(ROOM, DOC, message, { kind: 'client', socketId: 'sock-b' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('[RD-16] presence over 4 KB is refused from a client and dropped from another node; nothing of it is kept', async () => {
    const { docs } = await room();
    const serverAwareness = docs.peek(ROOM, DOC)!.awareness;
    const big = new awarenessProtocol.Awareness(new Y.Doc());
    cleanups.push(() => big.destroy());
    big.setLocalState({ name: 'x'.repeat(4097) });
    const message = awarenessMessage(big, [big.clientID]);
    await expect(docs.receive(ROOM, DOC, message, { kind: 'client', socketId: 's' })).rejects.toMatchObject({ code: 'PRESENCE_TOO_LARGE' });
    expect(applyRemoteAwareness(serverAwareness, message, 'node-1')).toBe(false);
    expect(serverAwareness.getStates().has(big.clientID)).toBe(false);
  });

  const malformed: Array<{ name: string; message: Uint8Array; code: string }> = [
    { name: 'an empty message', message: new Uint8Array(0), code: 'UPDATE_MALFORMED' },
    { name: 'an unknown message type', message: new Uint8Array([9, 0]), code: 'INVALID_PAYLOAD' },
    { name: 'an unknown sync type', message: new Uint8Array([0, 7, 0]), code: 'INVALID_PAYLOAD' },
    { name: 'a sync message cut short', message: new Uint8Array([0, 2, 50, 1, 2]), code: 'UPDATE_MALFORMED' },
    { name: 'a garbage state vector', message: new Uint8Array([0, 0, 3, 200, 200, 200]), code: 'UPDATE_MALFORMED' },
    { name: 'a garbage update', message: new Uint8Array([0, 2, 4, 255, 255, 255, 255]), code: 'UPDATE_MALFORMED' },
    { name: 'a garbage awareness update', message: new Uint8Array([1, 3, 1, 5, 200]), code: 'UPDATE_MALFORMED' },
  ];
  it.each(malformed)('[RD-02] $name is refused with $code and changes nothing', async ({ message, code }) => {
    const { docs, handle, store } = await room();
    const before = Array.from(Y.encodeStateAsUpdate(handle.doc));
    await expect(docs.receive(ROOM, DOC, message, { kind: 'client', socketId: 's' })).rejects.toMatchObject({ code });
    expect(Array.from(Y.encodeStateAsUpdate(handle.doc))).toEqual(before);
    expect(store.size(ROOM, DOC)).toBe(0);
  });

  it('[RD-02] refuses messages for a document that is not open', async () => {
    const docs = new RoomDocuments({ store: new MemoryDocStore() });
    await expect(docs.receive(ROOM, DOC, new Uint8Array([0, 0, 1, 0]), { kind: 'client', socketId: 's' })).rejects.toMatchObject({
      code: 'NOT_IN_ROOM',
    });
  });
});
