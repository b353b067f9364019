import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config';

/**
 * Rate limits from rate-limiter-flexible. In memory by default; the scale-out setup swaps in
 * its Redis limiters (same class family), so limits hold across nodes.
 */
export interface Limiters {
  /** wrong pairing codes per address */
  codeTries: RateLimiterAbstract;
  /** rooms created per address */
  roomCreations: RateLimiterAbstract;
  /**
   * inbound socket events per socket, per second. Always in memory: a socket lives on one node,
   * so a count kept there is exact, and a Redis round trip per keystroke is not spent on it.
   */
  socketEvents: RateLimiterAbstract;
}

export function createMemoryLimiters(config: Config): Limiters {
  return {
    codeTries: new RateLimiterMemory({ keyPrefix: 'code', points: config.codeTriesPerAddress, duration: 15 * 60 }),
    roomCreations: new RateLimiterMemory({ keyPrefix: 'create', points: config.roomsPerAddressPerHour, duration: 60 * 60 }),
    socketEvents: new RateLimiterMemory({ keyPrefix: 'events', points: config.eventsPerSecond, duration: 1 }),
  };
}

/**
 * The per-address limits kept in Redis, so they hold across nodes. While Redis is unreachable each
 * node falls back to its own in-memory limiter (the insurance) instead of refusing everyone.
 */
export function createRedisLimiters(config: Config, redis: unknown, keyPrefix = 'cg:'): Limiters {
  const limiter = (name: string, points: number, duration: number) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${keyPrefix}rl:${name}`,
      points,
      duration,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points, duration }),
    });
  return {
    codeTries: limiter('code', config.codeTriesPerAddress, 15 * 60),
    roomCreations: limiter('create', config.roomsPerAddressPerHour, 60 * 60),
    socketEvents: new RateLimiterMemory({ keyPrefix: 'events', points: config.eventsPerSecond, duration: 1 }),
  };
}

/** true when the key still had points; false when it is over its limit. */
export async function consume(limiter: RateLimiterAbstract, key: string, points = 1): Promise<boolean> {
  try {
    await limiter.consume(key, points);
    return true;
  } catch (err) {
    if (err instanceof RateLimiterRes) return false;
    throw err;
  }
}

/** Whether the key is already over its limit, without spending a point. */
export async function isBlocked(limiter: RateLimiterAbstract, key: string): Promise<boolean> {
  const res = await limiter.get(key);
  return res !== null && res.remainingPoints <= 0;
}
