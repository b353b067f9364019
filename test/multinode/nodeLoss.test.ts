import { describe, expect, it } from 'vitest';
import type { RoomView } from '../../shared/protocol/rooms';
import { redisServerAvailable } from '../support/redisServer';
import { connectClient, nextEvent } from '../support/socketClient';
import { BOTH_HERE, claimCode, join, pairByCode, redisClusterPerTest, seatsOf } from './cluster';

/**
 * Real server processes (server/main.ts) on one redis-server. One node is killed with SIGKILL:
 * no shutdown code runs, as when a machine dies. Its clients come back through the balancer
 * to another node and lose nothing that was acknowledged.
 */
describe.skipIf(!redisServerAvailable())('losing a node', () => {
  const cluster = redisClusterPerTest({ appendOnly: true });
  const { sockets } = cluster;

  it('SIGKILL of a node: its client reconnects to the other node, keeps its seat, and the partner sees it back', async () => {
    const { doomed, survivor, proxy } = await cluster.startDoomedAndSurvivor();

    const { created, a, b, joinedB } = await pairByCode(proxy.url, survivor.url, sockets);
    expect(seatsOf(joinedB)).toEqual(BOTH_HERE);

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
    expect(seatsOf(rejoined)).toEqual(BOTH_HERE);
    expect(seatsOf(await backForB)).toEqual(BOTH_HERE);

    // The used code stays used on the surviving node.
    const third = await connectClient(survivor.url);
    sockets.push(third);
    await expect(claimCode(third, created.code.code, 'Jo')).rejects.toThrow('ROOM_FULL');
  });
});
