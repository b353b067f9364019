import type { Redis } from 'ioredis';
import { AppError, ErrorCode } from '../../../shared/protocol/errors';
import type { TurnStore, VersionedState } from '../types';
import { withScripts } from './redisClient';
import type { RedisKeys } from './redisKeys';

/**
 * KEYS: the turn hash, the room's deletion mark. ARGV: expected version (0: nothing stored), next
 * version, next state JSON. One script, so two nodes racing on the same version cannot both win.
 * Returns 1 when stored, 0 on another version, -1 (nothing stored) when the room was deleted.
 */
const COMPARE_AND_SET = `
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
local stored = redis.call('HGET', KEYS[1], 'version')
local current = 0
if stored then current = tonumber(stored) end
if current ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'state', ARGV[3])
return 1
`;

interface TurnCommands {
  cgTurnCas(key: string, deleted: string, expected: number, version: number, state: string): Promise<number>;
}

/** The guided-session snapshot of a room: a hash of `version` and `state` (JSON). */
export class RedisTurnStore implements TurnStore {
  private readonly redis: Redis & TurnCommands;

  /** `keyOf` names the hash of a room's snapshot; the agreements record uses its own key */
  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    private readonly keyOf: (roomId: string) => string = (roomId) => keys.turn(roomId),
  ) {
    this.redis = withScripts<TurnCommands>(redis, { cgTurnCas: { keys: 2, lua: COMPARE_AND_SET } });
  }

  async get<T>(roomId: string): Promise<VersionedState<T> | null> {
    const [version, state] = await this.redis.hmget(this.keyOf(roomId), 'version', 'state');
    if (version === null || version === undefined || state === null || state === undefined) return null;
    return { version: Number(version), state: JSON.parse(state) as T };
  }

  async compareAndSet<T>(roomId: string, expectedVersion: number, next: VersionedState<T>): Promise<boolean> {
    const result = await this.redis.cgTurnCas(this.keyOf(roomId), this.keys.roomDeleted(roomId), expectedVersion, next.version, JSON.stringify(next.state));
    if (result < 0) throw new AppError(ErrorCode.ROOM_NOT_FOUND);
    return result === 1;
  }

  async deleteRoom(roomId: string): Promise<void> {
    await this.redis.del(this.keyOf(roomId));
  }
}
