import type { Redis } from 'ioredis';
import type { RoomRecord, RoomStore } from '../types';
import { withScripts } from './redisClient';
import type { RedisKeys } from './redisKeys';

/**
 * Writes a room and keeps its lookup indexes in step, in one atomic step.
 * KEYS: room hash, activity zset. ARGV: mode ('create' | 'cas'), expected stored version,
 * record JSON, new version, lastActiveAt, room id, counsellor set key ('' if none),
 * JSON array of string index keys (invite hashes, codes) that must point at the room.
 * Returns 1 written, 0 version mismatch (or missing room), -1 exists (create).
 */
const WRITE_ROOM = `
local room = KEYS[1]
local id = ARGV[6]
if ARGV[1] == 'create' then
  if redis.call('EXISTS', room) == 1 then return -1 end
else
  local stored = redis.call('HGET', room, 'version')
  if not stored or tonumber(stored) ~= tonumber(ARGV[2]) then return 0 end
end
local nextIdx = cjson.decode(ARGV[8])
local keep = {}
for _, k in ipairs(nextIdx) do keep[k] = true end
local prevIdx = redis.call('HGET', room, 'idx')
if prevIdx then
  for _, k in ipairs(cjson.decode(prevIdx)) do
    if not keep[k] and redis.call('GET', k) == id then redis.call('DEL', k) end
  end
end
for _, k in ipairs(nextIdx) do redis.call('SET', k, id) end
local prevCounsellor = redis.call('HGET', room, 'counsellor')
if prevCounsellor and prevCounsellor ~= '' and prevCounsellor ~= ARGV[7] then redis.call('SREM', prevCounsellor, id) end
if ARGV[7] ~= '' then redis.call('SADD', ARGV[7], id) end
redis.call('HSET', room, 'record', ARGV[3], 'version', ARGV[4], 'idx', ARGV[8], 'counsellor', ARGV[7])
redis.call('ZADD', KEYS[2], ARGV[5], id)
return 1
`;

/** KEYS: room hash, activity zset. ARGV: room id. */
const DELETE_ROOM = `
local room = KEYS[1]
local id = ARGV[1]
local idx = redis.call('HGET', room, 'idx')
if idx then
  for _, k in ipairs(cjson.decode(idx)) do
    if redis.call('GET', k) == id then redis.call('DEL', k) end
  end
end
local counsellor = redis.call('HGET', room, 'counsellor')
if counsellor and counsellor ~= '' then redis.call('SREM', counsellor, id) end
redis.call('ZREM', KEYS[2], id)
redis.call('DEL', room)
return 1
`;

interface RoomCommands {
  cgWriteRoom(room: string, activity: string, ...args: (string | number)[]): Promise<number>;
  cgDeleteRoom(room: string, activity: string, id: string): Promise<number>;
}

/**
 * Rooms as hashes (`record` JSON, `version`, and the index keys it owns), with the lookup
 * indexes as plain keys and sets. Create, compare-and-set and delete are Lua scripts, so a
 * room and its indexes never disagree, whichever node writes.
 */
export class RedisRoomStore implements RoomStore {
  private readonly redis: Redis & RoomCommands;

  constructor(redis: Redis, private readonly keys: RedisKeys) {
    this.redis = withScripts<RoomCommands>(redis, { cgWriteRoom: { keys: 2, lua: WRITE_ROOM }, cgDeleteRoom: { keys: 2, lua: DELETE_ROOM } });
  }

  async create(room: RoomRecord): Promise<void> {
    const result = await this.write('create', room);
    if (result === -1) throw new Error(`room ${room.id} exists`);
  }

  async get(roomId: string): Promise<RoomRecord | null> {
    const json = await this.redis.hget(this.keys.room(roomId), 'record');
    return json === null ? null : (JSON.parse(json) as RoomRecord);
  }

  async compareAndSet(next: RoomRecord): Promise<boolean> {
    return (await this.write('cas', next)) === 1;
  }

  async findByInviteHash(hash: string): Promise<string | null> {
    return this.redis.get(this.keys.inviteIndex(hash));
  }

  async findByCode(code: string): Promise<string | null> {
    return this.redis.get(this.keys.codeIndex(code));
  }

  async listByCounsellor(counsellorId: string): Promise<string[]> {
    return (await this.redis.smembers(this.keys.counsellorIndex(counsellorId))).sort();
  }

  async listInactiveSince(cutoff: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.activity(), '-inf', `(${cutoff}`);
  }

  async delete(roomId: string): Promise<void> {
    await this.redis.cgDeleteRoom(this.keys.room(roomId), this.keys.activity(), roomId);
  }

  private write(mode: 'create' | 'cas', room: RoomRecord): Promise<number> {
    const index = [
      ...room.invites.map((invite) => this.keys.inviteIndex(invite.hash)),
      ...room.codes.map((code) => this.keys.codeIndex(code.code)),
    ];
    return this.redis.cgWriteRoom(
      this.keys.room(room.id),
      this.keys.activity(),
      mode,
      room.version - 1,
      JSON.stringify(room),
      room.version,
      room.lastActiveAt,
      room.id,
      room.counsellorId ? this.keys.counsellorIndex(room.counsellorId) : '',
      JSON.stringify([...new Set(index)]),
    );
  }
}
