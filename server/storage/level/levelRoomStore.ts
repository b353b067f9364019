import type { AbstractSublevel } from 'abstract-level';
import type { ClassicLevel } from 'classic-level';
import { KeyedMutex } from '../../util/keyedMutex';
import type { RoomRecord, RoomStore } from '../types';
import type { LevelCompactor } from './levelCompaction';

type Db = ClassicLevel<string, string>;
type Sub<V> = AbstractSublevel<Db, string | Buffer | Uint8Array, string, V>;

/** Index keys that point from something a person holds (an invite, a code) to its room. */
function indexKeys(room: RoomRecord): string[] {
  const keys = room.invites.map((invite) => `invite!${invite.hash}`);
  for (const code of room.codes) keys.push(`code!${code.code}`);
  if (room.counsellorId) keys.push(`counsellor!${room.counsellorId}!${room.id}`);
  return keys;
}

export class LevelRoomStore implements RoomStore {
  private readonly rooms: Sub<RoomRecord>;
  private readonly index: Sub<string>;
  private readonly lock = new KeyedMutex();

  constructor(
    db: Db,
    private readonly compactor: LevelCompactor,
  ) {
    this.rooms = db.sublevel<string, RoomRecord>('rooms', { valueEncoding: 'json' });
    this.index = db.sublevel<string, string>('room-index', { valueEncoding: 'utf8' });
  }

  create(room: RoomRecord): Promise<void> {
    return this.lock.run(room.id, async () => {
      if ((await this.rooms.get(room.id)) !== undefined) throw new Error(`room ${room.id} exists`);
      await this.write(null, room);
    });
  }

  async get(roomId: string): Promise<RoomRecord | null> {
    return (await this.rooms.get(roomId)) ?? null;
  }

  compareAndSet(next: RoomRecord): Promise<boolean> {
    return this.lock.run(next.id, async () => {
      const current = await this.rooms.get(next.id);
      if (!current || current.version !== next.version - 1) return false;
      await this.write(current, next);
      return true;
    });
  }

  async findByInviteHash(hash: string): Promise<string | null> {
    return (await this.index.get(`invite!${hash}`)) ?? null;
  }

  async findByCode(code: string): Promise<string | null> {
    return (await this.index.get(`code!${code}`)) ?? null;
  }

  async listByCounsellor(counsellorId: string): Promise<string[]> {
    const prefix = `counsellor!${counsellorId}!`;
    const ids: string[] = [];
    for await (const key of this.index.keys({ gte: prefix, lt: `${prefix}\xff` })) ids.push(key.slice(prefix.length));
    return ids;
  }

  async listInactiveSince(cutoff: number): Promise<string[]> {
    const ids: string[] = [];
    for await (const room of this.rooms.values()) if (room.lastActiveAt < cutoff) ids.push(room.id);
    return ids;
  }

  delete(roomId: string): Promise<void> {
    return this.lock.run(roomId, async () => {
      const current = await this.rooms.get(roomId);
      if (!current) return;
      const keys = indexKeys(current);
      await this.index.batch(keys.map((key) => ({ type: 'del' as const, key })));
      await this.rooms.del(roomId);
      // Every version of the record (names included) lies under this one key.
      await this.compactor.compact(this.rooms, roomId, roomId);
      await this.compactor.compactKeys(this.index, keys);
    });
  }

  private async write(previous: RoomRecord | null, next: RoomRecord): Promise<void> {
    const nextKeys = new Set(indexKeys(next));
    const stale = previous ? indexKeys(previous).filter((key) => !nextKeys.has(key)) : [];
    // The room record is written last so that a crash in between leaves, at worst, an index
    // entry pointing at an unchanged room, which lookups re-check against the record.
    await this.index.batch([
      ...stale.map((key) => ({ type: 'del' as const, key })),
      ...[...nextKeys].map((key) => ({ type: 'put' as const, key, value: next.id })),
    ]);
    await this.rooms.put(next.id, next);
  }
}
