import type { Redis } from 'ioredis';
import type { TurnStore, VersionedState } from '../types';
import type { RedisKeys } from './redisKeys';

/**
 * KEYS: the turn hash. ARGV: expected version (0: nothing stored), next version, next state JSON.
 * One script, so two nodes racing on the same version cannot both win.
 */
const COMPARE_AND_SET = `
local stored = redis.call('HGET', KEYS[1], 'version')
local current = 0
if stored then current = tonumber(stored) end
if current ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'state', ARGV[3])
return 1
`;

type TurnCommands = Redis & {
  cgTurnCas(key: string, expected: number, version: number, state: string): Promise<number>;
};

/** The guided-session snapshot of a room: a hash of `version` and `state` (JSON). */
export class RedisTurnStore implements TurnStore {
  private readonly redis: TurnCommands;

  /** `keyOf` names the hash of a room's snapshot; the agreements record uses its own key */
  constructor(
    redis: Redis,
    keys: RedisKeys,
    private readonly keyOf: (roomId: string) => string = (roomId) => keys.turn(roomId),
  ) {
    redis.defineCommand('cgTurnCas', { numberOfKeys: 1, lua: COMPARE_AND_SET });
    this.redis = redis as TurnCommands;
  }

  async get<T>(roomId: string): Promise<VersionedState<T> | null> {
    const [version, state] = await this.redis.hmget(this.keyOf(roomId), 'version', 'state');
    if (version === null || version === undefined || state === null || state === undefined) return null;
    return { version: Number(version), state: JSON.parse(state) as T };
  }

  async compareAndSet<T>(roomId: string, expectedVersion: number, next: VersionedState<T>): Promise<boolean> {
    const result = await this.redis.cgTurnCas(this.keyOf(roomId), expectedVersion, next.version, JSON.stringify(next.state));
    return result === 1;
  }

  async deleteRoom(roomId: string): Promise<void> {
    await this.redis.del(this.keyOf(roomId));
  }
}
