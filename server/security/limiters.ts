import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config';
import type { KeyValueStore } from '../storage/types';
import type { Clock } from '../util/clock';
import { StoredWindowLimiter, type CountingLimiter } from './storedWindowLimiter';

/**
 * Rate limits from rate-limiter-flexible. With the embedded store the pairing-code tries are
 * kept in it (StoredWindowLimiter), the rest in memory; the scale-out setup swaps in its Redis
 * limiters (same class family), so limits hold across nodes. Per-address limits are keyed by
 * addressKey (server/security/addressKey.ts): an IPv6 address counts on its /64.
 */
export interface Limiters {
  /**
   * pairing-code (and recovery-code) tries per address: charged before the code is checked,
   * given back when it was right, so a burst of tries cannot all pass before any is counted
   */
  codeTries: CountingLimiter;
  /** rooms created per address */
  roomCreations: RateLimiterAbstract;
  /**
   * inbound socket events per socket, per second. Always in memory: a socket lives on one node,
   * so a count kept there is exact, and a Redis round trip per keystroke is not spent on it.
   */
  socketEvents: RateLimiterAbstract;
  /**
   * inbound socket events per address (all its sockets together), per second: shared through
   * Redis like the other per-address limits, so sockets spread over nodes count together
   */
  addressEvents: RateLimiterAbstract;
  /** counsellor workspaces made per address, per hour */
  counsellorRegistrations: RateLimiterAbstract;
  /** Forgets counts whose window has ended, where the store keeps them (Redis expires its own). For the hourly sweep. */
  sweep?(): Promise<void>;
}

export function createMemoryLimiters(config: Config): Limiters {
  return {
    codeTries: new RateLimiterMemory({ keyPrefix: 'code', points: config.codeTriesPerAddress, duration: 15 * 60 }),
    roomCreations: new RateLimiterMemory({ keyPrefix: 'create', points: config.roomsPerAddressPerHour, duration: 60 * 60 }),
    socketEvents: new RateLimiterMemory({ keyPrefix: 'events', points: config.eventsPerSecond, duration: 1 }),
    addressEvents: new RateLimiterMemory({ keyPrefix: 'address-events', points: config.eventsPerSecondPerAddress, duration: 1 }),
    counsellorRegistrations: new RateLimiterMemory({
      keyPrefix: 'counsellor-register',
      points: config.counsellorRegistrationsPerAddressPerHour,
      duration: 60 * 60,
    }),
  };
}

/** The embedded store's limits: wrong-code counts are kept in its records, so a restart keeps them. */
export function createEmbeddedLimiters(config: Config, records: KeyValueStore, clock: Clock): Limiters {
  const codeTries = new StoredWindowLimiter(records, { keyPrefix: 'code', points: config.codeTriesPerAddress, durationSec: 15 * 60, clock });
  return {
    ...createMemoryLimiters(config),
    codeTries,
    sweep: async () => {
      await codeTries.sweep();
    },
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
    addressEvents: limiter('address-events', config.eventsPerSecondPerAddress, 1),
    counsellorRegistrations: limiter('counsellor-register', config.counsellorRegistrationsPerAddressPerHour, 60 * 60),
  };
}

/** What is left of the key's window once the points are spent; null when it is over its limit. */
export async function spend(
  limiter: Pick<RateLimiterAbstract, 'consume'> | CountingLimiter,
  key: string,
  points = 1,
): Promise<{ pointsLeft: number; msLeft: number } | null> {
  try {
    const res = await limiter.consume(key, points);
    return { pointsLeft: res.remainingPoints, msLeft: res.msBeforeNext };
  } catch (err) {
    if (err instanceof RateLimiterRes) return null;
    throw err;
  }
}

/** true when the key still had points; false when it is over its limit. */
export async function consume(limiter: Pick<RateLimiterAbstract, 'consume'> | CountingLimiter, key: string, points = 1): Promise<boolean> {
  return (await spend(limiter, key, points)) !== null;
}

/** Gives back points spent with `consume`: a try that turned out right costs nothing. */
export async function refund(limiter: CountingLimiter, key: string, points = 1): Promise<void> {
  await limiter.reward(key, points);
}
