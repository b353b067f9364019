import type { AbstractSublevel } from 'abstract-level';
import type { ClassicLevel } from 'classic-level';
import type { RoomEntryStore } from '../types';
import type { DeletedRooms } from './deletedRooms';
import type { LevelCompactor } from './levelCompaction';

type Db = ClassicLevel<string, string>;

/** Entries under `<roomId>!<id>` in their own sublevel, so a room's entries are one key range. */
export class LevelRoomEntryStore implements RoomEntryStore {
  private readonly entries: AbstractSublevel<Db, string | Buffer | Uint8Array, string, unknown>;

  constructor(
    db: Db,
    private readonly compactor: LevelCompactor,
    namespace: string,
    /** rooms deleted lately: a write to one is refused (deletedRooms.ts) */
    private readonly deleted: DeletedRooms,
  ) {
    this.entries = db.sublevel<string, unknown>(namespace, { valueEncoding: 'json' });
  }

  async put<T>(roomId: string, id: string, value: T): Promise<void> {
    this.deleted.refuseWrite(roomId);
    await this.entries.put(key(roomId, id), value);
  }

  async get<T>(roomId: string, id: string): Promise<T | null> {
    return ((await this.entries.get(key(roomId, id))) as T | undefined) ?? null;
  }

  async delete(roomId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.entries.batch(ids.map((id) => ({ type: 'del' as const, key: key(roomId, id) })));
  }

  async deleteRoom(roomId: string): Promise<void> {
    const prefix = `${roomId}!`;
    await this.entries.clear({ gte: prefix, lt: `${prefix}\xff` });
    await this.compactor.compact(this.entries, prefix, `${prefix}\xff`);
  }
}

function key(roomId: string, id: string): string {
  return `${roomId}!${id}`;
}
