// Presence goes to other sockets as volatile emits: a socket whose connection is backed up gets
// it dropped, not queued. Without that, a device that stops reading piles up every cursor move
// of the partner in the server's memory until its buffer limit closes it.
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Ack } from '../../shared/protocol/errors';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { pairUp, type Pair } from '../support/sessionClient';
import type { ClientSocket } from '../support/socketClient';
import { stalledDevice } from '../support/stalledDevice';

let server: ServerProcess;
let pair: Pair;

beforeAll(async () => {
  // Pings far apart: a socket that stops reading stops answering them too, and would be dropped
  // for that within 12 s by default, before the presence has passed it by.
  server = await startServerProcess({
    EVENTS_PER_SECOND: '5000',
    EVENTS_PER_SECOND_PER_ADDRESS: '20000',
    SOCKET_PING_INTERVAL_MS: '25000',
    SOCKET_PING_TIMEOUT_MS: '60000',
  });
  pair = await pairUp(server.url);
}, 60_000);

afterAll(async () => {
  for (const socket of pair?.sockets ?? []) socket.disconnect();
  await server?.stop();
});

const send = (socket: ClientSocket, message: Uint8Array) =>
  new Promise<Ack>((resolve) => socket.emit('doc:message', { doc: 'agreements', message: message as Uint8Array<ArrayBuffer> }, resolve));

function presenceMessage(awareness: Awareness, index: number): Uint8Array {
  // Close to the 4 KB bound, so a few thousand moves are many megabytes.
  awareness.setLocalState({ cursor: { index }, user: { name: 'B', note: 'n'.repeat(3900) } });
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [awareness.clientID]));
  return encoding.toUint8Array(encoder);
}

it('a device that stops reading stays connected while 24 MB of the partner’s presence pass it by, and gets an edit afterwards', async () => {
  // A's second device joins over a raw websocket and stops reading its TCP socket.
  const slow = await stalledDevice(server.url, { roomId: pair.roomId, deviceToken: pair.tokens.A });
  // The y-protocols message of each binary frame it reads: 1 presence, 0 sync.
  let presenceReceived = 0;
  let editArrived!: () => void;
  const edit = new Promise<void>((resolve) => (editArrived = resolve));
  slow.ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) return;
    if (data[0] === 1) presenceReceived += 1;
    else if (data[0] === 0 && data[1] === 2) editArrived();
  });
  slow.ws.pause();
  let closed = false;
  void slow.closed.then(() => (closed = true));

  const awareness = new Awareness(new Y.Doc());
  const moves = 6_000;
  for (let i = 0; i < moves; i++) expect(await send(pair.b, presenceMessage(awareness, i))).toEqual({ ok: true });
  expect(closed, 'dropped, not queued: the server has nothing piled up for it').toBe(false);

  // An edit is not volatile: once the device reads again, it arrives after what got through.
  slow.ws.resume();
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'after the cursors');
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, 0);
  encoding.writeVarUint(update, 2);
  encoding.writeVarUint8Array(update, Y.encodeStateAsUpdate(doc));
  expect(await send(pair.b, encoding.toUint8Array(update))).toEqual({ ok: true });
  // Queued presence instead would have the server close it as a slow connection by now.
  await Promise.race([edit, slow.closed]);
  console.info(`stalled device: ${presenceReceived} of ${moves} presence messages reached it`);
  expect(closed).toBe(false);
  expect(presenceReceived).toBeLessThan(moves / 2);
  slow.ws.close();
}, 120_000);
