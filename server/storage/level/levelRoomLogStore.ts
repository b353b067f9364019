import type { AbstractSublevel } from 'abstract-level';
import type { ClassicLevel } from 'classic-level';
import type { RoomLogName, RoomLogStore } from '../types';
import type { DeletedRooms } from './deletedRooms';
import type { LevelCompactor } from './levelCompaction';

type Db = ClassicLevel<string, string>;

export class LevelRoomLogStore implements RoomLogStore {
  private readonly entries: AbstractSublevel<Db, string | Buffer | Uint8Array, string, unknown>;
  /** Orders entries appended in the same millisecond. */
  private counter = 0;

  constructor(
    db: Db,
    private readonly compactor: LevelCompactor,
    /** rooms deleted lately: a write to one is refused (deletedRooms.ts) */
    private readonly deleted: DeletedRooms,
  ) {
    // The sublevel's name is the one logs already on disk are under.
    this.entries = db.sublevel<string, unknown>('transcripts', { valueEncoding: 'json' });
  }

  async append(roomId: string, log: RoomLogName, entry: unknown): Promise<void> {
    this.deleted.refuseWrite(roomId);
    this.counter = (this.counter + 1) % 1_000_000;
    const seq = `${Date.now().toString().padStart(15, '0')}${this.counter.toString().padStart(6, '0')}`;
    await this.entries.put(`${roomId}!${log}!${seq}`, entry);
  }

  async list(roomId: string, log: RoomLogName): Promise<unknown[]> {
    const prefix = `${roomId}!${log}!`;
    const out: unknown[] = [];
    for await (const value of this.entries.values({ gte: prefix, lt: `${prefix}\xff` })) out.push(value);
    return out;
  }

  deleteLog(roomId: string, log: RoomLogName): Promise<void> {
    return this.deletePrefix(`${roomId}!${log}!`);
  }

  deleteRoom(roomId: string): Promise<void> {
    return this.deletePrefix(`${roomId}!`);
  }

  private async deletePrefix(prefix: string): Promise<void> {
    await this.entries.clear({ gte: prefix, lt: `${prefix}\xff` });
    await this.compactor.compact(this.entries, prefix, `${prefix}\xff`);
  }
}
