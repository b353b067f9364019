// Presence (y-protocols awareness) is bounded per socket: one awareness client id, the first it
// uses, and a state of at most 4 KB. Before, two sockets sending 255 KB presence states took the
// server's RSS from 130 to 428 MB, and a socket could speak for any number of ids.
import * as encoding from 'lib0/encoding';
import { expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Ack } from '../../shared/protocol/errors';
import { pairedRoomPerTest } from '../support/sessionClient';
import type { ClientSocket } from '../support/socketClient';

const room = pairedRoomPerTest();

/** A y-protocols awareness message for `awareness`'s own client, with `state` as its state. */
function presenceMessage(awareness: Awareness, state: Record<string, unknown>): Uint8Array {
  awareness.setLocalState(state);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [awareness.clientID]));
  return encoding.toUint8Array(encoder);
}

const send = (socket: ClientSocket, message: Uint8Array) =>
  new Promise<Ack>((resolve) => socket.emit('doc:message', { doc: 'agreements', message: message as Uint8Array<ArrayBuffer> }, resolve));

/** Every presence message a socket receives. */
function presenceReceivedBy(socket: ClientSocket): Uint8Array[] {
  const received: Uint8Array[] = [];
  socket.on('doc:message', ({ message }: { message: ArrayBuffer | Uint8Array }) => {
    const bytes = new Uint8Array(message);
    if (bytes[0] === 1) received.push(bytes);
  });
  return received;
}

/** The JSON of a state as Yjs encodes it, in UTF-8 bytes. */
const stateBytes = (state: Record<string, unknown>) => new TextEncoder().encode(JSON.stringify(state)).byteLength;

it('two sockets with 255 KB presence states are refused with PRESENCE_TOO_LARGE, and nothing reaches the other', async () => {
  const atA = presenceReceivedBy(room.pair.a);
  const atB = presenceReceivedBy(room.pair.b);
  const huge = { user: { name: 'x'.repeat(255 * 1024) } };
  for (let i = 0; i < 5; i++) {
    for (const socket of [room.pair.a, room.pair.b]) {
      const ack = await send(socket, presenceMessage(new Awareness(new Y.Doc()), huge));
      expect(ack).toMatchObject({ ok: false, error: { code: 'PRESENCE_TOO_LARGE' } });
    }
  }
  // A state of exactly 4,096 bytes is taken and passed on; one byte more is not.
  const name = 'y'.repeat(4096 - stateBytes({ user: { name: '' } }));
  expect(stateBytes({ user: { name } })).toBe(4096);
  const awareness = new Awareness(new Y.Doc());
  expect(await send(room.pair.a, presenceMessage(awareness, { user: { name } }))).toEqual({ ok: true });
  expect(await send(room.pair.a, presenceMessage(awareness, { user: { name: `${name}z` } }))).toMatchObject({
    ok: false,
    error: { code: 'PRESENCE_TOO_LARGE' },
  });
  // B asks who is here: only A's 4 KB state; nothing of the refused ones was kept.
  const answered = new Promise<Uint8Array>((resolve) =>
    room.pair.b.on('doc:message', ({ message }: { message: ArrayBuffer | Uint8Array }) => {
      const bytes = new Uint8Array(message);
      if (bytes[0] === 1 && bytes.byteLength > 4096) resolve(bytes);
    }),
  );
  await send(room.pair.b, new Uint8Array([3]));
  const everyone = await answered;
  expect(everyone.byteLength).toBeLessThan(4096 + 64);
  expect(atA).toHaveLength(0);
  expect(atB.every((message) => message.byteLength < 4096 + 64)).toBe(true);
});

it('a socket speaks for one awareness client id at a time, the first it used: another is refused with PRESENCE_ONE_PER_CONNECTION', async () => {
  const atB = presenceReceivedBy(room.pair.b);
  const first = new Awareness(new Y.Doc());
  expect(await send(room.pair.a, presenceMessage(first, { cursor: 1 }))).toEqual({ ok: true });
  const second = new Awareness(new Y.Doc());
  expect(second.clientID).not.toBe(first.clientID);
  expect(await send(room.pair.a, presenceMessage(second, { cursor: 2 }))).toMatchObject({ ok: false, error: { code: 'PRESENCE_ONE_PER_CONNECTION' } });
  // The first id still works, and the other is still refused.
  expect(await send(room.pair.a, presenceMessage(first, { cursor: 3 }))).toEqual({ ok: true });
  expect(await send(room.pair.a, presenceMessage(second, { cursor: 4 }))).toMatchObject({ ok: false, error: { code: 'PRESENCE_ONE_PER_CONNECTION' } });
  // Another socket may use its own id.
  const third = new Awareness(new Y.Doc());
  expect(await send(room.pair.b, presenceMessage(third, { cursor: 5 }))).toEqual({ ok: true });
  // Once A removes its state (as the app does when its editor starts again), it may use another.
  first.setLocalState(null);
  const removal = encoding.createEncoder();
  encoding.writeVarUint(removal, 1);
  encoding.writeVarUint8Array(removal, encodeAwarenessUpdate(first, [first.clientID]));
  expect(await send(room.pair.a, encoding.toUint8Array(removal))).toEqual({ ok: true });
  expect(await send(room.pair.a, presenceMessage(second, { cursor: 6 }))).toEqual({ ok: true });
  expect(await send(room.pair.a, presenceMessage(new Awareness(new Y.Doc()), { cursor: 7 }))).toMatchObject({
    ok: false,
    error: { code: 'PRESENCE_ONE_PER_CONNECTION' },
  });
  expect(atB.length).toBeGreaterThanOrEqual(3);
});
