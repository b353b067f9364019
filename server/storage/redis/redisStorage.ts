import type { Redis } from 'ioredis';
import type { Storage } from '../types';
import { createRedisClient, trackInFlight } from './redisClient';
import { RedisDocStore } from './redisDocStore';
import { globPrefix, RedisKeys } from './redisKeys';
import { RedisRecordStore } from './redisRecordStore';
import { RedisRoomEntryStore } from './redisRoomEntryStore';
import { RedisRoomStore } from './redisRoomStore';
import { RedisRoomLogStore } from './redisRoomLogStore';
import { RedisTurnStore } from './redisTurnStore';

export const DEFAULT_REDIS_PREFIX = 'cg:';

export interface RedisStorage extends Storage {
  readonly kind: 'redis';
  /** the command connection; the cluster wiring duplicates it for the adapter and shares it with the limiters */
  readonly client: Redis;
  readonly keys: RedisKeys;
}

export function isRedisStorage(storage: Storage): storage is RedisStorage {
  return storage.kind === 'redis' && 'client' in storage;
}

export interface RedisStorageOptions {
  /** every key starts with this; tests use a fresh one each (default `cg:`) */
  prefix?: string;
}

/** The scale-out store: every node talks to the same Redis. */
export async function createRedisStorage(url: string, options: RedisStorageOptions = {}): Promise<RedisStorage> {
  const client = createRedisClient(url);
  const inFlight = trackInFlight(client);
  // Commands wait through reconnects (maxRetriesPerRequest: null); at start-up, say so instead of hanging.
  const unreachable = new Promise<never>((_, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis at ${redactUrl(url)} did not answer within 20 s`)), 20_000);
    timer.unref();
    client.once('ready', () => clearTimeout(timer));
  });
  try {
    await Promise.race([client.ping(), unreachable]);
  } catch (err) {
    client.disconnect();
    throw err;
  }
  const keys = new RedisKeys(options.prefix ?? DEFAULT_REDIS_PREFIX);
  const rooms = new RedisRoomStore(client, keys);
  const docs = new RedisDocStore(client, keys);
  const turns = new RedisTurnStore(client, keys);
  const agreementRecords = new RedisTurnStore(client, keys, (roomId) => keys.agreementRecords(roomId));
  const agreementVersions = new RedisRoomEntryStore(client, keys, (roomId) => keys.agreementVersions(roomId));
  const checkIns = new RedisTurnStore(client, keys, (roomId) => keys.checkIns(roomId));
  const roomLogs = new RedisRoomLogStore(client, keys);
  const records = new RedisRecordStore(client, keys);
  return {
    kind: 'redis',
    client,
    keys,
    rooms,
    docs,
    turns,
    agreementRecords,
    agreementVersions,
    checkIns,
    roomLogs,
    records,
    async deleteRoom(roomId) {
      // The documents' deletion sets the room's deletion mark first: from then on a write to the
      // room (a document, the turn state, the agreement records and versions, the check-ins, a transcript) is refused, and
      // the sweep below takes whatever landed before it.
      await docs.deleteRoom(roomId);
      await Promise.all([turns.deleteRoom(roomId), agreementRecords.deleteRoom(roomId), agreementVersions.deleteRoom(roomId), checkIns.deleteRoom(roomId), roomLogs.deleteRoom(roomId)]);
      // Anything else written under the room's prefix (by a module added later) goes too.
      let cursor = '0';
      const pattern = globPrefix(keys.roomPrefix(roomId));
      do {
        const [next, found] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        const strays = found.filter((key) => key !== keys.room(roomId) && key !== keys.roomDeleted(roomId));
        if (strays.length) await client.del(...strays);
      } while (cursor !== '0');
      // The room record goes last: while it exists, a retry of this deletion can still find it.
      await rooms.delete(roomId);
    },
    async close() {
      // Handlers still running as the node shuts down get to finish their commands first.
      await inFlight.idle();
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/** The URL without its password, for error messages. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'REDIS_URL';
  }
}
