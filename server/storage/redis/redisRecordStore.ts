import type { Redis } from 'ioredis';
import type { KeyValueStore } from '../types';
import type { RedisKeys } from './redisKeys';

/** Small records that belong to no room, one JSON string each. */
export class RedisRecordStore implements KeyValueStore {
  constructor(private readonly redis: Redis, private readonly keys: RedisKeys) {}

  async get<T>(key: string): Promise<T | null> {
    const json = await this.redis.get(this.keys.record(key));
    return json === null ? null : (JSON.parse(json) as T);
  }

  async put<T>(key: string, value: T): Promise<void> {
    await this.redis.set(this.keys.record(key), JSON.stringify(value));
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.keys.record(key));
  }
}
