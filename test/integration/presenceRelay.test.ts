// Presence (awareness) from one device reaches the other as the bytes it sent, once checked;
// anything that was not checked is never passed on.
import * as encoding from 'lib0/encoding';
import { expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Ack } from '../../shared/protocol/errors';
import { pairedRoomPerTest } from '../support/sessionClient';

const room = pairedRoomPerTest();

/** A's presence with a cursor at `index`, as a y-protocols awareness message, plus `trailing` bytes. */
function presence(awareness: Awareness, index: number, trailing: number[] = []): Uint8Array {
  awareness.setLocalStateField('cursor', { index });
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [awareness.clientID]));
  for (const byte of trailing) encoding.writeUint8(encoder, byte);
  return encoding.toUint8Array(encoder);
}

function nextPresenceAtB(): Promise<Uint8Array> {
  return new Promise((resolve) => {
    const listener = ({ message }: { message: ArrayBuffer | Uint8Array }) => {
      const bytes = new Uint8Array(message);
      if (bytes[0] !== 1) return;
      room.pair.b.off('doc:message', listener);
      resolve(bytes);
    };
    room.pair.b.on('doc:message', listener);
  });
}

const send = (message: Uint8Array) =>
  new Promise<Ack>((resolve) => room.pair.a.emit('doc:message', { doc: 'agreements', message: message as Uint8Array<ArrayBuffer> }, resolve));

it('the partner receives the presence message exactly as it was sent', async () => {
  const awareness = new Awareness(new Y.Doc());
  const sent = presence(awareness, 7);
  const received = nextPresenceAtB();
  expect(await send(sent)).toEqual({ ok: true });
  expect(Array.from(await received)).toEqual(Array.from(sent));
});

it('bytes after the checked update are not passed on: the partner gets the states encoded again', async () => {
  const awareness = new Awareness(new Y.Doc());
  const withTrailing = presence(awareness, 9, [0xde, 0xad]);
  const received = nextPresenceAtB();
  expect(await send(withTrailing)).toEqual({ ok: true });
  expect(Array.from(await received)).toEqual(Array.from(withTrailing.subarray(0, withTrailing.length - 2)));
});
