import type { Redis } from 'ioredis';
import { AppError, ErrorCode } from '../../../shared/protocol/errors';
import type { RoomLogName, RoomLogStore } from '../types';
import { withScripts } from './redisClient';
import type { RedisKeys } from './redisKeys';

/**
 * KEYS: the log's stream, the room's set of stream keys, the room's deletion mark. ARGV:
 * entry JSON. Returns the entry's id, or false (nothing stored) when the room was deleted.
 */
const APPEND = `
if redis.call('EXISTS', KEYS[3]) == 1 then return false end
redis.call('SADD', KEYS[2], KEYS[1])
return redis.call('XADD', KEYS[1], '*', 'e', ARGV[1])
`;

/** KEYS: the room's set of stream keys. */
const DELETE_ALL = `
local streams = redis.call('SMEMBERS', KEYS[1])
for _, stream in ipairs(streams) do redis.call('DEL', stream) end
redis.call('DEL', KEYS[1])
return #streams
`;

interface TranscriptCommands {
  cgTranscriptAppend(stream: string, streams: string, deleted: string, entry: string): Promise<string | null>;
  cgTranscriptDeleteAll(streams: string): Promise<number>;
}

/** A Redis stream per log (the keys keep their transcript names, which stored logs are under): XADD appends in order, XRANGE lists. */
export class RedisRoomLogStore implements RoomLogStore {
  private readonly redis: Redis & TranscriptCommands;

  constructor(redis: Redis, private readonly keys: RedisKeys) {
    this.redis = withScripts<TranscriptCommands>(redis, {
      cgTranscriptAppend: { keys: 3, lua: APPEND },
      cgTranscriptDeleteAll: { keys: 1, lua: DELETE_ALL },
    });
  }

  async append(roomId: string, log: RoomLogName, entry: unknown): Promise<void> {
    const id = await this.redis.cgTranscriptAppend(
      this.keys.transcript(roomId, log),
      this.keys.transcriptSessions(roomId),
      this.keys.roomDeleted(roomId),
      JSON.stringify(entry),
    );
    if (id === null) throw new AppError(ErrorCode.ROOM_NOT_FOUND);
  }

  async list(roomId: string, log: RoomLogName): Promise<unknown[]> {
    const entries = await this.redis.xrange(this.keys.transcript(roomId, log), '-', '+');
    return entries.map(([, fields]) => JSON.parse(fields[1] ?? 'null') as unknown);
  }

  async deleteLog(roomId: string, log: RoomLogName): Promise<void> {
    const stream = this.keys.transcript(roomId, log);
    await this.redis.multi().del(stream).srem(this.keys.transcriptSessions(roomId), stream).exec();
  }

  async deleteRoom(roomId: string): Promise<void> {
    await this.redis.cgTranscriptDeleteAll(this.keys.transcriptSessions(roomId));
  }
}
