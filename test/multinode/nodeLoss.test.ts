import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RoomView } from '../../shared/protocol/rooms';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redisServer';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { connectClient, createRoomOverHttp, nextEvent, type ClientSocket } from '../support/socketClient';
import { claimCode, freshPrefix, join, seatsOf, startTcpProxy, type TcpProxy } from './cluster';

/**
 * Real server processes (server/main.ts) on one redis-server. One node is killed with SIGKILL:
 * no shutdown code runs, as when a machine dies. Its clients come back through the balancer
 * to another node and lose nothing that was acknowledged.
 */
describe.skipIf(!redisServerAvailable())('losing a node', () => {
  let redis: RedisServer;
  let nodes: ServerProcess[] = [];
  let proxy: TcpProxy | null = null;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    redis = await startRedisServer({ appendOnly: true });
  });
  afterAll(async () => {
    await redis?.destroy();
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await proxy?.close();
    proxy = null;
    await Promise.all(nodes.splice(0).map((n) => n.kill()));
  });

  it('SIGKILL of a node: its client reconnects to the other node, keeps its seat, and the partner sees it back', async () => {
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: freshPrefix() };
    nodes = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    const [doomed, survivor] = nodes as [ServerProcess, ServerProcess];
    proxy = await startTcpProxy(doomed.port);

    const created = await createRoomOverHttp(proxy.url, 'Sam');
    const a = await connectClient(proxy.url);
    const b = await connectClient(survivor.url);
    sockets.push(a, b);
    await join(a, created.roomId, created.deviceToken);
    const claimed = await claimCode(b, created.code.code, 'Alex');
    const bothHere = await join(b, claimed.roomId, claimed.deviceToken);
    expect(seatsOf(bothHere)).toEqual([
      ['A', 'Sam', 'here'],
      ['B', 'Alex', 'here'],
    ]);

    // The node dies; B hears of A again when A is back on the surviving node.
    const backForB = nextEvent<RoomView>(b, 'room:state', (v) => v.seats.find((s) => s.seat === 'A')?.presence === 'here');
    const reconnected = new Promise<void>((resolve) => a.once('connect', () => resolve()));
    proxy.target = survivor.port;
    await doomed.kill();
    proxy.dropAll();
    await reconnected;
    // No socket is ever recovered: the client joins again with its device token, as the app
    // does on every connect.
    expect(a.recovered).toBeFalsy();
    const rejoined = await join(a, created.roomId, created.deviceToken);
    expect(seatsOf(rejoined)).toEqual([
      ['A', 'Sam', 'here'],
      ['B', 'Alex', 'here'],
    ]);
    expect(seatsOf(await backForB)).toEqual([
      ['A', 'Sam', 'here'],
      ['B', 'Alex', 'here'],
    ]);

    // The used code stays used on the surviving node.
    const third = await connectClient(survivor.url);
    sockets.push(third);
    await expect(claimCode(third, created.code.code, 'Jo')).rejects.toThrow('ROOM_FULL');
  });
});
