import { describe, expect, it } from 'vitest';
import { redisClusterPerTest } from '../multinode/cluster';
import { redisServerAvailable } from '../support/redisServer';
import { connectClient, request, type ClientSocket } from '../support/socketClient';
import { serverPerTest } from '../support/serverPerTest';

/**
 * Eight sockets from one address, sixty events each, all at once (an attacker's script):
 * each socket's own limit (EVENTS_PER_SECOND, 40) lets 320 through, and the address's limit
 * (EVENTS_PER_SECOND_PER_ADDRESS, 200) refuses the rest of those with RATE_LIMITED.
 * `session:sync` from a socket with no seat is answered NOT_IN_ROOM once it passes the limits.
 */
async function burst(sockets: ClientSocket[], perSocket = 60): Promise<{ passed: number; limited: number }> {
  const answers = await Promise.all(sockets.flatMap((socket) => Array.from({ length: perSocket }, () => request(socket, 'session:sync', {}))));
  const codes = answers.map((a) => (a.ok ? 'ok' : a.error.code));
  expect(new Set(codes)).toEqual(new Set(['NOT_IN_ROOM', 'RATE_LIMITED']));
  const limited = codes.filter((c) => c === 'RATE_LIMITED').length;
  return { passed: codes.length - limited, limited };
}

describe('events per second per address (EVENTS_PER_SECOND_PER_ADDRESS, default 200)', () => {
  const { server, sockets } = serverPerTest();

  it('8 sockets x 60 events from one address: past 200 in the second, RATE_LIMITED', async () => {
    for (let i = 0; i < 8; i++) sockets.push(await connectClient(server.url));
    const { passed, limited } = await burst(sockets);
    // 320 would pass the per-connection limits alone.
    expect(passed).toBe(200);
    expect(limited).toBe(280);
  });
});

describe.skipIf(!redisServerAvailable())('events per address across two nodes on one Redis', () => {
  const cluster = redisClusterPerTest();

  it('4 sockets on each node x 60 events from one address: the address has one budget of 200 for both', async () => {
    await cluster.startNodes(2);
    const { sockets } = cluster;
    for (const node of cluster.nodes) for (let i = 0; i < 4; i++) sockets.push(await connectClient(node.url));
    const { passed, limited } = await burst(sockets);
    expect(passed).toBe(200);
    expect(limited).toBe(280);
  });
});
