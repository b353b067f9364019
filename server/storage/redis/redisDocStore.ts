import type { Redis } from 'ioredis';
import type { DocStore } from '../types';
import type { RedisKeys } from './redisKeys';

/** KEYS: the doc's list, the room's set of doc list keys. ARGV: update. Returns the new length. */
const APPEND = `
redis.call('SADD', KEYS[2], KEYS[1])
return redis.call('RPUSH', KEYS[1], ARGV[1])
`;

/** KEYS: the doc's list. ARGV: merged update, count. Returns the stored length before, or -1 if too short. */
const COMPACT = `
local count = tonumber(ARGV[2])
local length = redis.call('LLEN', KEYS[1])
if length < count then return -1 - length end
redis.call('LTRIM', KEYS[1], count, -1)
redis.call('LPUSH', KEYS[1], ARGV[1])
return length
`;

/** KEYS: the room's set of doc list keys. */
const DELETE_DOCS = `
local lists = redis.call('SMEMBERS', KEYS[1])
for _, list in ipairs(lists) do redis.call('DEL', list) end
redis.call('DEL', KEYS[1])
return #lists
`;

type DocCommands = Redis & {
  cgDocAppend(list: string, lists: string, update: Buffer): Promise<number>;
  cgDocCompact(list: string, merged: Buffer, count: number): Promise<number>;
  cgDocDelete(lists: string): Promise<number>;
};

/**
 * The Yjs update log of a document as a Redis list: RPUSH appends (its reply is the log length),
 * LRANGE loads, and a Lua script swaps the first `count` entries for the merged update, so an
 * append from any node lands either before the swap (and is merged) or after it (and is kept).
 *
 * Durability: a write is acknowledged once Redis has applied it; with `appendonly yes` and
 * `appendfsync always` (docker-compose.yml) it is on disk first.
 */
export class RedisDocStore implements DocStore {
  private readonly redis: DocCommands;

  constructor(redis: Redis, private readonly keys: RedisKeys) {
    redis.defineCommand('cgDocAppend', { numberOfKeys: 2, lua: APPEND });
    redis.defineCommand('cgDocCompact', { numberOfKeys: 1, lua: COMPACT });
    redis.defineCommand('cgDocDelete', { numberOfKeys: 1, lua: DELETE_DOCS });
    this.redis = redis as DocCommands;
  }

  append(roomId: string, docName: string, update: Uint8Array): Promise<number> {
    return this.redis.cgDocAppend(this.keys.doc(roomId, docName), this.keys.docNames(roomId), toBuffer(update));
  }

  async load(roomId: string, docName: string): Promise<Uint8Array[]> {
    const buffers = await this.redis.lrangeBuffer(this.keys.doc(roomId, docName), 0, -1);
    return buffers.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  }

  async compact(roomId: string, docName: string, merged: Uint8Array, count: number): Promise<void> {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`compact: count must be a positive integer, got ${count}`);
    const result = await this.redis.cgDocCompact(this.keys.doc(roomId, docName), toBuffer(merged), count);
    if (result < 0) throw new RangeError(`compact: ${count} updates asked, ${-1 - result} stored`);
  }

  async deleteRoom(roomId: string): Promise<void> {
    await this.redis.cgDocDelete(this.keys.docNames(roomId));
  }

  async release(): Promise<void> {
    // Nothing of a document is kept on this side of Redis.
  }
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
