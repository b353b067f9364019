import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { createLevelStorage } from '../storage/level/levelStorage';
import { consume, createEmbeddedLimiters, createRedisLimiters, refund } from './limiters';

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

describe('wrong-code counts in the embedded store', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('lets exactly its points through when many tries arrive at once, and gives a point back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cg-limit-'));
    dirs.push(dir);
    const storage = await createLevelStorage(dir);
    const clock = { now: () => 1_000 };
    const limiters = createEmbeddedLimiters(loadConfig({ CODE_TRIES_PER_ADDRESS: '10' }), storage.records, clock);
    const results = await Promise.all(Array.from({ length: 500 }, () => consume(limiters.codeTries, '203.0.113.9')));
    expect(results.filter(Boolean)).toHaveLength(10);
    expect((await limiters.codeTries.get('203.0.113.9'))?.remainingPoints).toBe(0);
    expect(await consume(limiters.codeTries, '203.0.113.10')).toBe(true);
    await refund(limiters.codeTries, '203.0.113.9');
    expect(await consume(limiters.codeTries, '203.0.113.9')).toBe(true);
    expect(await consume(limiters.codeTries, '203.0.113.9')).toBe(false);
    await storage.close();
  });

  it('keeps the count across a restart, forgets it when the window has passed, and stores no address', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cg-limit-'));
    dirs.push(dir);
    let now = 1_000;
    const clock = { now: () => now };
    const config = loadConfig({ CODE_TRIES_PER_ADDRESS: '2' });
    const first = await createLevelStorage(dir);
    const before = createEmbeddedLimiters(config, first.records, clock);
    expect([await consume(before.codeTries, '2001:db8::/64'), await consume(before.codeTries, '2001:db8::/64')]).toEqual([true, true]);
    await first.close();

    const second = await createLevelStorage(dir);
    const after = createEmbeddedLimiters(config, second.records, clock);
    expect(await consume(after.codeTries, '2001:db8::/64')).toBe(false);
    now += 15 * 60 * 1000;
    expect(await consume(after.codeTries, '2001:db8::/64')).toBe(true);
    await second.close();
    const files = readdirSync(path.join(dir, 'commonground.leveldb')).map((f) => readFileSync(path.join(dir, 'commonground.leveldb', f)));
    expect(files.some((bytes) => bytes.includes('2001:db8'))).toBe(false);
  });

  it('the sweep forgets every window that has ended, and keeps the ones still running', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cg-limit-'));
    dirs.push(dir);
    let now = 1_000;
    const storage = await createLevelStorage(dir);
    const limiters = createEmbeddedLimiters(loadConfig({ CODE_TRIES_PER_ADDRESS: '2' }), storage.records, { now: () => now });
    // One try from each of many /64s: each leaves its own record.
    for (let i = 0; i < 50; i++) await consume(limiters.codeTries, `2001:db8:${i.toString(16)}::/64`);
    now += 15 * 60 * 1000;
    await consume(limiters.codeTries, '203.0.113.9');
    expect(await storage.records.keys('limit:')).toHaveLength(51);
    await limiters.sweep!();
    expect(await storage.records.keys('limit:')).toHaveLength(1);
    expect(await consume(limiters.codeTries, '203.0.113.9')).toBe(true);
    expect(await consume(limiters.codeTries, '203.0.113.9')).toBe(false);
    await storage.close();
  });
});
