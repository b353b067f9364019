import type { Redis } from 'ioredis';
import { AppError, ErrorCode } from '../../../shared/protocol/errors';
import type { DocStore } from '../types';
import { withScripts } from './redisClient';
import type { RedisKeys } from './redisKeys';

/**
 * KEYS: the doc's list, the room's set of document keys, the room's deletion mark. ARGV: update.
 * Returns the new length, or -1 (nothing stored) when the room was deleted.
 */
const APPEND = `
if redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
redis.call('SADD', KEYS[2], KEYS[1])
return redis.call('RPUSH', KEYS[1], ARGV[1])
`;

/** KEYS: the doc's list, its generation. Returns { generation, updates }, read at one moment. */
const READ_LOG = `
return { redis.call('GET', KEYS[2]) or '0', redis.call('LRANGE', KEYS[1], 0, -1) }
`;

/**
 * KEYS: the doc's list, its generation, the room's set of document keys. ARGV: merged update,
 * count, the generation read. Swaps the first `count` updates for the merged one only if nobody
 * compacted the log since it was read; returns `count`, or 0 when it swapped nothing.
 */
const COMPACT = `
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[3] then return 0 end
local count = tonumber(ARGV[2])
if redis.call('LLEN', KEYS[1]) < count then return 0 end
redis.call('LTRIM', KEYS[1], count, -1)
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('INCR', KEYS[2])
redis.call('SADD', KEYS[3], KEYS[2])
return count
`;

/** KEYS: the room's set of document keys, the room's deletion mark. ARGV: how long the mark stays, in ms. */
const DELETE_DOCS = `
local keys = redis.call('SMEMBERS', KEYS[1])
for _, key in ipairs(keys) do redis.call('DEL', key) end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
return #keys
`;

/**
 * How long a deleted room's documents refuse appends. A node that missed the deletion (its
 * subscriptions were down) signs its sockets out once they are back; appends still in flight
 * land within seconds. The mark holds no content, only the room's id in its name.
 */
const DELETED_MARK_MS = 24 * 60 * 60 * 1000;

interface DocCommands {
  cgDocAppend(list: string, keys: string, deleted: string, update: Buffer): Promise<number>;
  cgDocReadLogBuffer(list: string, generation: string): Promise<[Buffer, Buffer[]]>;
  cgDocCompact(list: string, generation: string, keys: string, merged: Buffer, count: number, read: string): Promise<number>;
  cgDocDelete(keys: string, deleted: string, markMs: number): Promise<number>;
}

/**
 * The Yjs update log of a document as a Redis list: RPUSH appends (its reply is the log length),
 * LRANGE loads, and a Lua script swaps the first `count` entries for the merged update, so an
 * append from any node lands either before the swap (and is merged) or after it (and is kept).
 * Every swap bumps the log's generation, and a swap happens only on the generation its merge
 * read: two nodes compacting at once, or one COMPACT that ioredis sends again after a reconnect
 * (it resends commands that were in flight), swap once; the other finds the generation moved
 * and swaps nothing, where a second swap by count would drop updates its merge never saw.
 *
 * Durability: a write is acknowledged once Redis has applied it; with `appendonly yes` and
 * `appendfsync always` (docker-compose.yml) it is on disk first.
 */
export class RedisDocStore implements DocStore {
  private readonly redis: Redis & DocCommands;

  constructor(redis: Redis, private readonly keys: RedisKeys) {
    this.redis = withScripts<DocCommands>(redis, {
      cgDocAppend: { keys: 3, lua: APPEND },
      cgDocReadLog: { keys: 2, lua: READ_LOG },
      cgDocCompact: { keys: 3, lua: COMPACT },
      cgDocDelete: { keys: 2, lua: DELETE_DOCS },
    });
  }

  async append(roomId: string, docName: string, update: Uint8Array): Promise<number> {
    const length = await this.redis.cgDocAppend(this.keys.doc(roomId, docName), this.keys.docNames(roomId), this.keys.roomDeleted(roomId), toBuffer(update));
    if (length < 0) throw new AppError(ErrorCode.ROOM_NOT_FOUND);
    return length;
  }

  async load(roomId: string, docName: string): Promise<Uint8Array[]> {
    const buffers = await this.redis.lrangeBuffer(this.keys.doc(roomId, docName), 0, -1);
    return buffers.map(toBytes);
  }

  async compact(roomId: string, docName: string, merge: (updates: Uint8Array[]) => Uint8Array | Promise<Uint8Array>): Promise<number> {
    const list = this.keys.doc(roomId, docName);
    const generation = this.keys.docGeneration(roomId, docName);
    const [read, buffers] = await this.redis.cgDocReadLogBuffer(list, generation);
    if (buffers.length <= 1) return 0;
    const merged = await merge(buffers.map(toBytes));
    return this.redis.cgDocCompact(list, generation, this.keys.docNames(roomId), toBuffer(merged), buffers.length, read.toString());
  }

  async deleteRoom(roomId: string): Promise<void> {
    await this.redis.cgDocDelete(this.keys.docNames(roomId), this.keys.roomDeleted(roomId), DELETED_MARK_MS);
  }

  async release(): Promise<void> {
    // Nothing of a document is kept on this side of Redis.
  }
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function toBytes(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
