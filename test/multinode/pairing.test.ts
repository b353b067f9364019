import { describe, expect, it } from 'vitest';
import { guessPlan } from '../support/codeGuesses';
import type { RoomView } from '../../shared/protocol/rooms';
import { redisServerAvailable } from '../support/redisServer';
import { connectClient, createRoomOverHttp, nextEvent, request, type ClientSocket } from '../support/socketClient';
import { BOTH_HERE, claimCode, freshPrefix, join, redisClusterPerTest, seatsOf, startTcpProxy } from './cluster';

/**
 * Two in-process nodes (the real composition root) sharing one real redis-server:
 * the Socket.IO Redis adapter (sharded pub/sub), the Redis store and the Redis limiters.
 */
describe.skipIf(!redisServerAvailable())('two nodes on one Redis', () => {
  const fixture = redisClusterPerTest();
  const { sockets, proxies } = fixture;
  const cluster = (count: number) => fixture.startNodes(count);
  async function client(url: string): Promise<ClientSocket> {
    const socket = await connectClient(url);
    sockets.push(socket);
    return socket;
  }

  it('partners on two nodes pair (one creates, the other claims by code) and see each other here', async () => {
    const [one, two] = await cluster(2);
    const created = await createRoomOverHttp(one!.url, 'Sam');
    const a = await client(one!.url);
    await join(a, created.roomId, created.deviceToken);

    const b = await client(two!.url);
    const claimed = await claimCode(b, created.code.code, 'Alex');
    expect(claimed.seat).toBe('B');

    const seenByA = nextEvent<RoomView>(a, 'room:state', (v) => v.seats.find((s) => s.seat === 'B')?.presence === 'here');
    const joinedB = await join(b, claimed.roomId, claimed.deviceToken);
    // B's node sees A's socket on the other node through the adapter (fetchSockets).
    expect(seatsOf(joinedB)).toEqual(BOTH_HERE);
    // …and A, on the first node, hears the broadcast B's node made.
    expect(seatsOf(await seenByA)).toEqual(BOTH_HERE);

    const awayForB = nextEvent<RoomView>(b, 'room:state', (v) => v.seats.find((s) => s.seat === 'A')?.presence === 'away');
    expect((await request(a, 'presence:set', { presence: 'away' })).ok).toBe(true);
    expect(seatsOf(await awayForB)).toEqual([
      ['A', 'Sam', 'away'],
      ['B', 'Alex', 'here'],
    ]);
  });

  it('a used code is refused on the other node too: ROOM_FULL, and no second seat', async () => {
    const [one, two] = await cluster(2);
    const created = await createRoomOverHttp(one!.url);
    await claimCode(await client(two!.url), created.code.code, 'Alex');
    const third = await client(one!.url);
    const again = await request(third, 'code:claim', { code: created.code.code, displayName: 'Jo', acceptedGroundRules: true });
    expect(again.ok === false && again.error.code).toBe('ROOM_FULL');
    expect(Object.keys((await two!.app.rooms.getLiveRoom(created.roomId)).seats).sort()).toEqual(['A', 'B']);
  });

  it('a client that reconnects to another node comes back with no seat, and takes it again by room:join with its token', async () => {
    const [one, two] = await cluster(2);
    const proxy = await startTcpProxy(Number(new URL(one!.url).port));
    proxies.push(proxy);
    const created = await createRoomOverHttp(one!.url, 'Sam');
    const a = await client(proxy.url);
    await join(a, created.roomId, created.deviceToken);
    const b = await client(two!.url);
    const claimed = await claimCode(b, created.code.code, 'Alex');
    await join(b, claimed.roomId, claimed.deviceToken);

    // The balancer sends A to the other node and cuts its connection.
    proxy.target = Number(new URL(two!.url).port);
    const reconnected = new Promise<void>((resolve) => a.once('connect', () => resolve()));
    proxy.dropAll();
    await reconnected;
    // No connection state recovery: a new socket, in no channel, with no seat.
    expect(a.recovered).toBeFalsy();
    expect(await request(a, 'presence:set', { presence: 'away' })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });

    // As the app does on every connect: room:join with the device token.
    await join(a, created.roomId, created.deviceToken);
    const seenByB = nextEvent<RoomView>(b, 'room:state', (v) => v.seats.find((s) => s.seat === 'A')?.presence === 'away');
    expect((await request(a, 'presence:set', { presence: 'away' })).ok).toBe(true);
    expect(seatsOf(await seenByB)).toEqual([
      ['A', 'Sam', 'away'],
      ['B', 'Alex', 'here'],
    ]);
    const local = await two!.app.io.local.in(`room:${created.roomId}`).fetchSockets();
    expect(local.map((s) => s.data.seat).sort()).toEqual(['A', 'B']);
  });

  it('room creations are limited per address across nodes (Redis rate limiter)', async () => {
    const prefix = freshPrefix();
    const { loadConfig } = await import('../../server/config');
    const { createRedisLimiters, consume } = await import('../../server/security/limiters');
    const [one] = await cluster(1);
    const config = loadConfig({ ROOMS_PER_ADDRESS_PER_HOUR: '3' });
    const onNode1 = createRedisLimiters(config, one!.storage.client, prefix);
    const second = one!.storage.client.duplicate();
    await second.ping();
    const onNode2 = createRedisLimiters(config, second, prefix);
    const results = [];
    for (const limiters of [onNode1, onNode2, onNode1, onNode2]) results.push(await consume(limiters.roomCreations, '203.0.113.9'));
    expect(results).toEqual([true, true, true, false]);
    second.disconnect();
  });

  it('1,000 code guesses sent at once through both nodes from one address: at most CODE_TRIES_PER_ADDRESS are checked, no live code is found', async () => {
    const [one, two] = await cluster(2);
    const rooms = await Promise.all(Array.from({ length: 10 }, () => createRoomOverHttp(one!.url)));
    const live = rooms.map((r) => r.code.code);
    // 40 sockets, half on each node; on ten of them the last of 25 guesses is a live code.
    const guessers = await Promise.all(Array.from({ length: 40 }, (_, i) => client((i % 2 ? two! : one!).url)));
    const plan = guessPlan(live);
    const answers = await Promise.all(
      plan.flatMap((guesses, i) => guesses.map((code) => request(guessers[i]!, 'code:claim', { code, displayName: 'Jo', acceptedGroundRules: true }))),
    );
    const codes = answers.map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes).toHaveLength(1000);
    const checked = codes.filter((c) => c !== 'CODE_TRIES_EXCEEDED' && c !== 'RATE_LIMITED');
    expect(checked.length).toBeLessThanOrEqual(10);
    expect(codes.filter((c) => c === 'ok')).toEqual([]);
    for (const room of rooms) expect(Object.keys((await two!.app.rooms.getLiveRoom(room.roomId)).seats)).toEqual(['A']);
  });

  it('counts the sockets of a seat on every node: five in, the sixth refused on either node', async () => {
    const [one, two] = await cluster(2);
    const created = await createRoomOverHttp(one!.url);
    for (const node of [one, two, one, two, one]) {
      const tab = await client(node!.url);
      expect((await request(tab, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken })).ok).toBe(true);
    }
    for (const node of [one, two]) {
      const sixth = await client(node!.url);
      const refused = await request(sixth, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken });
      expect(refused.ok === false && refused.error.code).toBe('SEAT_SOCKETS_EXCEEDED');
    }
  });
});
