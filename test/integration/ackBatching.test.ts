// Acks a device does not wait on (`lazyAck` on doc:message, server/realtime/ackBatching.ts):
// a burst of edits is acknowledged in one write, every ack only once its edit is stored, and a
// refusal is never held back.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { expect, it } from 'vitest';
import type { Ack } from '../../shared/protocol/errors';
import { pairedRoomPerTest } from '../support/sessionClient';
import type { ClientSocket } from '../support/socketClient';
import { countWrites } from '../support/socketWrites';
import { syncUpdateMessage } from '../support/syncMessages';

const room = pairedRoomPerTest({ DOC_ACK_WINDOW_MS: '300' });

/** Writes to seat A's connection, as they reach the kernel. */
function countWritesToA(): { count(): number } {
  return countWrites([...room.server.app.io.of('/').sockets.values()].find((s) => s.data.seat === 'A'));
}

/** Partner A's keystrokes: one y-protocols update message per character. */
function keystrokes(text: string): Uint8Array[] {
  const doc = new Y.Doc();
  const messages: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => {
    messages.push(syncUpdateMessage(update));
  });
  for (const ch of text) doc.getText('notes').insert(doc.getText('notes').length, ch);
  return messages;
}

function sendEdit(socket: ClientSocket, message: Uint8Array, lazy: boolean, order: string[], name: string): Promise<Ack> {
  return new Promise((resolve) =>
    socket.emit('doc:message', lazy ? { doc: 'agreements', message: message as Uint8Array<ArrayBuffer>, lazyAck: true } : { doc: 'agreements', message: message as Uint8Array<ArrayBuffer> }, (ack: Ack) => {
      order.push(name);
      resolve(ack);
    }),
  );
}

/** What B's device has received of the agreements, applied to a doc of its own. */
function partnerDoc(): Y.Doc {
  const doc = new Y.Doc();
  room.pair.b.on('doc:message', ({ message }) => {
    const decoder = decoding.createDecoder(new Uint8Array(message));
    if (decoding.readVarUint(decoder) !== 0) return; // presence
    syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, 'server');
  });
  return doc;
}

it('a burst of lazy edits is acknowledged in one write, and every edit reaches the partner', async () => {
  const received = partnerDoc();
  const [first, ...rest] = keystrokes('hello');
  const order: string[] = [];
  expect(await sendEdit(room.pair.a, first as Uint8Array, true, order, 'h')).toEqual({ ok: true });

  const writes = countWritesToA();
  const acks = await Promise.all(rest.map((m, i) => sendEdit(room.pair.a, m, true, order, 'ello'[i] as string)));
  expect(acks.every((a) => a.ok)).toBe(true);
  expect(order).toEqual(['h', 'e', 'l', 'l', 'o']);
  // A receives nothing else here: four acks, held and sent together.
  expect(writes.count()).toBe(1);

  await expect.poll(() => received.getText('notes').toString()).toBe('hello');
});

it('without lazyAck no ack waits for the window', async () => {
  const [first, ...rest] = keystrokes('hello');
  const order: string[] = [];
  await sendEdit(room.pair.a, first as Uint8Array, false, order, 'h');
  // One at a time: held acks would take a 300 ms window each, these only wait for the disk.
  const started = performance.now();
  for (const [i, m] of rest.entries()) await sendEdit(room.pair.a, m, false, order, 'ello'[i] as string);
  expect(order).toEqual(['h', 'e', 'l', 'l', 'o']);
  expect(performance.now() - started).toBeLessThan(600);
});

it('a refusal is sent at once, after the acks held before it', async () => {
  const [first, second] = keystrokes('hi');
  const order: string[] = [];
  await sendEdit(room.pair.a, first as Uint8Array, true, order, 'h');
  const held = sendEdit(room.pair.a, second as Uint8Array, true, order, 'i');
  // 'i' is stored within a few ms and then held until the window (300 ms) ends.
  await new Promise((resolve) => setTimeout(resolve, 150));
  expect(order).toEqual(['h']);
  const refusal = sendEdit(room.pair.a, Uint8Array.of(0, 2, 5, 255, 255), true, order, 'garbage');
  expect(await refusal).toMatchObject({ ok: false, error: { code: 'UPDATE_MALFORMED' } });
  expect(await held).toEqual({ ok: true });
  expect(order).toEqual(['h', 'i', 'garbage']);
});
