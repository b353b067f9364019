// A client that knows y-protocols and nothing of this app: only yjs, y-protocols, lib0 and
// socket.io-client. After joining the room it syncs the agreements document with the standard
// messages. No app code is imported here on purpose.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { io, type Socket } from 'socket.io-client';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { expect, it } from 'vitest';
import { serverPerTest } from '../support/serverPerTest';

const { server, clients: open } = serverPerTest();

type Ack = { ok: boolean; error?: { code: string } } & Record<string, unknown>;

async function bareSocket(): Promise<Socket> {
  const socket = io(server.url, { transports: ['websocket'], forceNew: true, auth: { protocolVersion: 4 } });
  open.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** y-websocket's provider loop, over two Socket.IO events instead of a WebSocket. */
function bareProvider(socket: Socket, doc: Y.Doc) {
  const awareness = new awarenessProtocol.Awareness(doc);
  let synced!: () => void;
  const whenSynced = new Promise<void>((resolve) => (synced = resolve));
  const send = (message: Uint8Array): Promise<Ack> =>
    (socket.timeout(5000).emitWithAck('doc:message', { doc: 'agreements', message }) as Promise<Ack>).catch(() => ({ ok: false }));
  const acks: Promise<Ack>[] = [];
  socket.on('doc:message', ({ doc: name, message }: { doc: string; message: ArrayBuffer | Uint8Array }) => {
    if (name !== 'agreements') return;
    const decoder = decoding.createDecoder(new Uint8Array(message));
    const encoder = encoding.createEncoder();
    const type = decoding.readVarUint(decoder);
    if (type === 0) {
      encoding.writeVarUint(encoder, 0);
      const syncType = syncProtocol.readSyncMessage(decoder, encoder, doc, 'server');
      if (syncType === syncProtocol.messageYjsSyncStep2) synced();
      if (encoding.length(encoder) > 1) acks.push(send(encoding.toUint8Array(encoder)));
    } else if (type === 1) {
      awarenessProtocol.applyAwarenessUpdate(awareness, decoding.readVarUint8Array(decoder), 'server');
    }
  });
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === 'server') return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeUpdate(encoder, update);
    acks.push(send(encoding.toUint8Array(encoder)));
  });
  return {
    whenSynced,
    acks,
    start() {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeSyncStep1(encoder, doc);
      acks.push(send(encoding.toUint8Array(encoder)));
    },
  };
}

it('a bare y-protocols client syncs the agreements document both ways', async () => {
  const res = await fetch(`${server.url}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName: 'Sam', acceptedGroundRules: true }),
  });
  const { roomId, deviceToken } = (await res.json()) as { roomId: string; deviceToken: string };

  const first = await bareSocket();
  expect(await first.emitWithAck('room:join', { roomId, deviceToken })).toMatchObject({ ok: true });
  const docA = new Y.Doc();
  const a = bareProvider(first, docA);
  a.start();
  await a.whenSynced;
  docA.getText('hello').insert(0, 'written by a bare client');
  const acks = await Promise.all(a.acks);
  expect(acks.every((ack) => ack.ok)).toBe(true);

  const second = await bareSocket();
  expect(await second.emitWithAck('room:join', { roomId, deviceToken })).toMatchObject({ ok: true });
  const docB = new Y.Doc();
  const b = bareProvider(second, docB);
  b.start();
  await b.whenSynced;
  expect(docB.getText('hello').toString()).toBe('written by a bare client');

  // and a live update from the second reaches the first
  const arrived = new Promise<void>((resolve) => docA.getText('hello').observe(() => resolve()));
  docB.getText('hello').insert(0, '» ');
  await arrived;
  expect(docA.getText('hello').toString()).toBe('» written by a bare client');
});
