import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redisServer';
import { connectClient, request, type ClientSocket } from '../support/socketClient';
import { freshPrefix, startNode, type InProcessNode } from './cluster';

describe.skipIf(!redisServerAvailable())('counsellor:register per address across two nodes on one Redis', () => {
  let redis: RedisServer;
  let nodes: InProcessNode[] = [];
  const sockets: ClientSocket[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.destroy();
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    for (const n of nodes.splice(0)) await n.close();
  });

  it('40 registrations from one address, half on each node, at once: 10 workspaces in all (COUNSELLOR_REGISTRATIONS_PER_ADDRESS_PER_HOUR)', async () => {
    const prefix = freshPrefix();
    nodes = await Promise.all([startNode(redis.url, prefix), startNode(redis.url, prefix)]);
    for (const node of nodes) sockets.push(await connectClient(node.url));
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => request(sockets[i % 2]!, 'counsellor:register', { displayName: `Bot ${i}` })),
    );
    expect(answers.filter((a) => a.ok)).toHaveLength(10);
    expect(answers.every((a) => a.ok || a.error.code === 'RATE_LIMITED')).toBe(true);
  });
});
