import { createHash } from 'node:crypto';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { KeyValueStore } from '../storage/types';
import { KeyedMutex } from '../util/keyedMutex';
import type { Clock } from '../util/clock';

/** What a limit needs of a limiter: rate-limiter-flexible's own calls, so both kinds serve it. */
export interface CountingLimiter {
  consume(key: string, points?: number): Promise<RateLimiterRes>;
  reward(key: string, points?: number): Promise<RateLimiterRes>;
  get(key: string): Promise<RateLimiterRes | null>;
}

interface Window {
  consumed: number;
  resetAt: number;
}

/**
 * A fixed-window limit whose counts live in the embedded store, so they survive a restart
 * (rate-limiter-flexible has no LevelDB store; its in-memory limiter forgets everything). It
 * answers as rate-limiter-flexible's limiters do: `consume` resolves with a RateLimiterRes
 * while points are left and rejects with one past the limit. Each key's read-change-write runs
 * alone (the embedded store has exactly one process), so tries that arrive at once are counted
 * one after another and no two of them can spend the same point. A try refused past the limit
 * does not lengthen the window. Keys are stored hashed: an address is not kept on disk.
 */
export class StoredWindowLimiter implements CountingLimiter {
  private readonly lock = new KeyedMutex();

  constructor(
    private readonly store: KeyValueStore,
    private readonly options: { keyPrefix: string; points: number; durationSec: number; clock: Clock },
  ) {}

  consume(key: string, points = 1): Promise<RateLimiterRes> {
    return this.change(key, (window) => {
      if (window.consumed + points > this.options.points) return { window, allowed: false };
      return { window: { ...window, consumed: window.consumed + points }, allowed: true };
    }).then(({ res, allowed }) => (allowed ? res : Promise.reject(res)));
  }

  async reward(key: string, points = 1): Promise<RateLimiterRes> {
    const { res } = await this.change(key, (window) => ({ window: { ...window, consumed: Math.max(0, window.consumed - points) }, allowed: true }));
    return res;
  }

  /**
   * Deletes the windows that have ended. Every address that ever tried leaves one record, and
   * each new /64 is a new address, so without this the records would only grow. For the
   * hourly sweep: it lists the limiter's keys.
   */
  async sweep(): Promise<number> {
    let removed = 0;
    for (const storeKey of await this.store.keys(this.storeKeyPrefix())) {
      const gone = await this.lock.run(storeKey, async () => {
        const window = await this.store.get<Window>(storeKey);
        if (window && window.resetAt > this.options.clock.now()) return false;
        await this.store.delete(storeKey);
        return true;
      });
      if (gone) removed++;
    }
    return removed;
  }

  async get(key: string): Promise<RateLimiterRes | null> {
    const window = await this.store.get<Window>(this.storeKey(key));
    const now = this.options.clock.now();
    if (!window || window.resetAt <= now) return null;
    return this.resOf(window, now);
  }

  private change(key: string, step: (window: Window, now: number) => { window: Window; allowed: boolean }): Promise<{ res: RateLimiterRes; allowed: boolean }> {
    const storeKey = this.storeKey(key);
    return this.lock.run(storeKey, async () => {
      const now = this.options.clock.now();
      const stored = await this.store.get<Window>(storeKey);
      const current = stored && stored.resetAt > now ? stored : { consumed: 0, resetAt: now + this.options.durationSec * 1000 };
      const { window, allowed } = step(current, now);
      if (window !== stored) await this.store.put(storeKey, window);
      return { res: this.resOf(window, now), allowed };
    });
  }

  private resOf(window: Window, now: number): RateLimiterRes {
    return new RateLimiterRes(Math.max(0, this.options.points - window.consumed), window.resetAt - now, window.consumed, false);
  }

  private storeKey(key: string): string {
    return `${this.storeKeyPrefix()}${createHash('sha256').update(key).digest('hex')}`;
  }

  private storeKeyPrefix(): string {
    return `limit:${this.options.keyPrefix}:`;
  }
}
