import { describe, expect, it } from 'vitest';
import { redisServerAvailable } from '../support/redisServer';
import { connectClient, request } from '../support/socketClient';
import { redisClusterPerTest } from './cluster';

describe.skipIf(!redisServerAvailable())('counsellor:register per address across two nodes on one Redis', () => {
  const cluster = redisClusterPerTest();

  it('40 registrations from one address, half on each node, at once: 10 workspaces in all (COUNSELLOR_REGISTRATIONS_PER_ADDRESS_PER_HOUR)', async () => {
    await cluster.startNodes(2);
    const { sockets } = cluster;
    for (const node of cluster.nodes) sockets.push(await connectClient(node.url));
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => request(sockets[i % 2]!, 'counsellor:register', { displayName: `Bot ${i}` })),
    );
    expect(answers.filter((a) => a.ok)).toHaveLength(10);
    expect(answers.every((a) => a.ok || a.error.code === 'RATE_LIMITED')).toBe(true);
  });
});
