// A phone that loses its network does not close its connection: nothing reaches the server. The
// server finds the link dead when its ping goes unanswered (server/realtime/gateway.ts), and the
// partner then sees the seat as not here.
import { expect, it } from 'vitest';
import type { RoomView } from '../../shared/protocol/rooms';
import { pairedRoomPerTest } from '../support/sessionClient';
import { stalledDevice } from '../support/stalledDevice';

const room = pairedRoomPerTest();

it('a device whose link goes dead without closing shows as not here to the partner within 15 s', async () => {
  const { pair, server } = room;
  expect(server.config.pingIntervalMs + server.config.pingTimeoutMs).toBeLessThanOrEqual(12_000);
  // B's only device becomes one that answers pings until it goes silent
  pair.b.disconnect();
  const phone = await stalledDevice(server.url, { roomId: pair.roomId, deviceToken: pair.tokens.B });
  // Give the seat time to show as here again before the link dies.
  await new Promise((r) => setTimeout(r, 500));
  const died = Date.now();
  const presenceOfB = new Promise<{ at: number; silentForMs: number | undefined }>((resolve) => {
    pair.a.on('room:state', (view: RoomView) => {
      const b = view.seats.find((s) => s.seat === 'B');
      if (b && b.presence !== 'here' && Date.now() >= died) resolve({ at: Date.now(), silentForMs: b.silentForMs });
    });
  });
  // Silent: no pong, no close; the TCP socket stays open and unread.
  phone.ws.pause();
  phone.ws.removeAllListeners('message');
  const seen = await presenceOfB;
  const seenAway = seen.at - died;
  console.log(`partner saw the dead link's seat as not here after ${seenAway} ms, told it had been silent ${seen.silentForMs} ms`);
  expect(seenAway).toBeLessThan(15_000);
  // The silence told covers the time since it died (its last pong came before), and not much more.
  expect(seen.silentForMs).toBeGreaterThanOrEqual(seenAway - 100);
  expect(seen.silentForMs).toBeLessThanOrEqual(seenAway + server.config.pingIntervalMs + 500);
  phone.ws.terminate();
}, 30_000);

it('a tab that closes is told as silent for 0 ms; a state for any other reason carries no silence', async () => {
  const { pair } = room;
  const gone = new Promise<RoomView['seats'][number]>((resolve) => {
    pair.a.on('room:state', (view: RoomView) => {
      const b = view.seats.find((s) => s.seat === 'B');
      if (b && b.presence === 'gone') resolve(b);
    });
  });
  const away = new Promise<RoomView['seats'][number]>((resolve) => {
    pair.a.on('room:state', (view: RoomView) => {
      const b = view.seats.find((s) => s.seat === 'B');
      if (b && b.presence === 'away') resolve(b);
    });
  });
  await pair.b.emitWithAck('presence:set', { presence: 'away' });
  expect((await away).silentForMs).toBeUndefined();
  pair.b.disconnect();
  const b = await gone;
  expect(b.silentForMs).toBe(0);
});
