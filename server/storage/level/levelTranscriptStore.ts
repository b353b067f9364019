import type { AbstractSublevel } from 'abstract-level';
import type { ClassicLevel } from 'classic-level';
import type { TranscriptStore } from '../types';
import type { DeletedRooms } from './deletedRooms';
import type { LevelCompactor } from './levelCompaction';

type Db = ClassicLevel<string, string>;

export class LevelTranscriptStore implements TranscriptStore {
  private readonly entries: AbstractSublevel<Db, string | Buffer | Uint8Array, string, unknown>;
  /** Orders entries appended in the same millisecond. */
  private counter = 0;

  constructor(
    db: Db,
    private readonly compactor: LevelCompactor,
    /** rooms deleted lately: a write to one is refused (deletedRooms.ts) */
    private readonly deleted: DeletedRooms,
  ) {
    this.entries = db.sublevel<string, unknown>('transcripts', { valueEncoding: 'json' });
  }

  async append(roomId: string, sessionId: string, entry: unknown): Promise<void> {
    this.deleted.refuseWrite(roomId);
    this.counter = (this.counter + 1) % 1_000_000;
    const seq = `${Date.now().toString().padStart(15, '0')}${this.counter.toString().padStart(6, '0')}`;
    await this.entries.put(`${roomId}!${sessionId}!${seq}`, entry);
  }

  async list(roomId: string, sessionId: string): Promise<unknown[]> {
    const prefix = `${roomId}!${sessionId}!`;
    const out: unknown[] = [];
    for await (const value of this.entries.values({ gte: prefix, lt: `${prefix}\xff` })) out.push(value);
    return out;
  }

  deleteSession(roomId: string, sessionId: string): Promise<void> {
    return this.deletePrefix(`${roomId}!${sessionId}!`);
  }

  deleteRoom(roomId: string): Promise<void> {
    return this.deletePrefix(`${roomId}!`);
  }

  private async deletePrefix(prefix: string): Promise<void> {
    await this.entries.clear({ gte: prefix, lt: `${prefix}\xff` });
    await this.compactor.compact(this.entries, prefix, `${prefix}\xff`);
  }
}
