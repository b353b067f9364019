import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStorage, type RedisStorage } from '../../server/storage/redis/redisStorage';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redisServer';
import { freshPrefix } from './cluster';

/**
 * Two nodes, each with its own connection, race compare-and-set on the same turn state:
 * the Lua script lets exactly one of them win every round.
 */
describe.skipIf(!redisServerAvailable())('turn compare-and-set across nodes', () => {
  let redis: RedisServer;
  let nodeA: RedisStorage;
  let nodeB: RedisStorage;

  beforeAll(async () => {
    redis = await startRedisServer();
    const prefix = freshPrefix();
    nodeA = await createRedisStorage(redis.url, { prefix });
    nodeB = await createRedisStorage(redis.url, { prefix });
  });
  afterAll(async () => {
    await nodeA?.close();
    await nodeB?.close();
    await redis?.destroy();
  });

  it('of two nodes taking the floor at the same version, exactly one wins, 300 rounds in a row', async () => {
    const rounds = 300;
    const wins = { A: 0, B: 0 };
    for (let round = 0; round < rounds; round++) {
      const current = (await nodeA.turns.get<{ speaker: string }>('room-1'))?.version ?? 0;
      const [a, b] = await Promise.all([
        nodeA.turns.compareAndSet('room-1', current, { version: current + 1, state: { speaker: 'A', round } }),
        nodeB.turns.compareAndSet('room-1', current, { version: current + 1, state: { speaker: 'B', round } }),
      ]);
      expect(Number(a) + Number(b)).toBe(1);
      if (a) wins.A++;
      else wins.B++;
      const stored = await nodeB.turns.get<{ speaker: string; round: number }>('room-1');
      expect(stored).toEqual({ version: current + 1, state: { speaker: a ? 'A' : 'B', round } });
    }
    expect(wins.A + wins.B).toBe(rounds);
  });

  it('many writers on many connections: the version grows by exactly the number of wins', async () => {
    const prefix = freshPrefix();
    const writers = await Promise.all(Array.from({ length: 4 }, () => createRedisStorage(redis.url, { prefix })));
    try {
      let wins = 0;
      for (let round = 0; round < 50; round++) {
        const current = (await writers[0]!.turns.get('room-2'))?.version ?? 0;
        const results = await Promise.all(writers.map((w, i) => w.turns.compareAndSet('room-2', current, { version: current + 1, state: i })));
        expect(results.filter(Boolean)).toHaveLength(1);
        wins += 1;
      }
      expect((await writers[0]!.turns.get('room-2'))?.version).toBe(wins);
    } finally {
      await Promise.all(writers.map((w) => w.close()));
    }
  });
});
