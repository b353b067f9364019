import type { Redis } from 'ioredis';
import type { KeyValueStore } from '../types';
import { globPrefix, type RedisKeys } from './redisKeys';

/** Small records that belong to no room, one JSON string each. */
export class RedisRecordStore implements KeyValueStore {
  constructor(private readonly redis: Redis, private readonly redisKeys: RedisKeys) {}

  async get<T>(key: string): Promise<T | null> {
    const json = await this.redis.get(this.redisKeys.record(key));
    return json === null ? null : (JSON.parse(json) as T);
  }

  async put<T>(key: string, value: T): Promise<void> {
    await this.redis.set(this.redisKeys.record(key), JSON.stringify(value));
  }

  async putIfAbsent<T>(key: string, value: T): Promise<boolean> {
    return (await this.redis.set(this.redisKeys.record(key), JSON.stringify(value), 'NX')) === 'OK';
  }

  async keys(prefix: string): Promise<string[]> {
    // Keys are stored percent-encoded character by character, so a prefix encodes to a prefix.
    const base = this.redisKeys.record('-').slice(0, -1);
    const pattern = globPrefix(this.redisKeys.record(prefix));
    // SCAN may return a key more than once.
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      for (const key of batch) found.add(decodeURIComponent(key.slice(base.length)));
    } while (cursor !== '0');
    return [...found];
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.redisKeys.record(key));
  }
}
