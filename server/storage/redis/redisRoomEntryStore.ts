import type { Redis } from 'ioredis';
import { AppError, ErrorCode } from '../../../shared/protocol/errors';
import type { RoomEntryStore } from '../types';
import { withScripts } from './redisClient';
import type { RedisKeys } from './redisKeys';

/**
 * KEYS: the room's hash of entries, the room's deletion mark. ARGV: id, JSON. One script, so a
 * write still on its way when the room is deleted cannot land after the deletion's sweep.
 * Returns 1 when stored, -1 (nothing stored) when the room was deleted.
 */
const PUT = `
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`;

interface EntryCommands {
  cgEntryPut(key: string, deleted: string, id: string, value: string): Promise<number>;
}

/** A room's entries as the fields of one hash (`keyOf`), each read and written alone. */
export class RedisRoomEntryStore implements RoomEntryStore {
  private readonly redis: Redis & EntryCommands;

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    private readonly keyOf: (roomId: string) => string,
  ) {
    this.redis = withScripts<EntryCommands>(redis, { cgEntryPut: { keys: 2, lua: PUT } });
  }

  async put<T>(roomId: string, id: string, value: T): Promise<void> {
    const result = await this.redis.cgEntryPut(this.keyOf(roomId), this.keys.roomDeleted(roomId), id, JSON.stringify(value));
    if (result < 0) throw new AppError(ErrorCode.ROOM_NOT_FOUND);
  }

  async get<T>(roomId: string, id: string): Promise<T | null> {
    const value = await this.redis.hget(this.keyOf(roomId), id);
    return value === null ? null : (JSON.parse(value) as T);
  }

  async delete(roomId: string, ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.redis.hdel(this.keyOf(roomId), ...ids);
  }

  async deleteRoom(roomId: string): Promise<void> {
    await this.redis.del(this.keyOf(roomId));
  }
}
