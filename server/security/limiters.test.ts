import { RateLimiterMemory } from 'rate-limiter-flexible';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { consume, createRedisLimiters } from './limiters';

describe('limiters with several nodes', () => {
  it('count events per socket on the node that holds the socket, never in Redis', async () => {
    const calls: string[] = [];
    // Stands in for ioredis: records whatever the per-socket limiter would ask of it.
    const redis: object = new Proxy(
      {},
      {
        get: (_target, name) => {
          if (typeof name === 'string') calls.push(name);
          return () => undefined;
        },
      },
    );
    const limiters = createRedisLimiters(loadConfig({ EVENTS_PER_SECOND: '3' }), redis);
    expect(limiters.socketEvents).toBeInstanceOf(RateLimiterMemory);
    calls.length = 0;
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await consume(limiters.socketEvents, 'socket-1'));
    expect(results).toEqual([true, true, true, false]);
    expect(await consume(limiters.socketEvents, 'socket-2')).toBe(true);
    expect(calls).toEqual([]);
  });
});
