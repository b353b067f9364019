import type { AbstractSublevel } from 'abstract-level';
import type { ClassicLevel } from 'classic-level';
import { LRUCache } from 'lru-cache';
import { KeyedMutex } from '../../util/keyedMutex';
import type { TurnStore, VersionedState } from '../types';
import type { DeletedRooms } from './deletedRooms';
import type { LevelCompactor } from './levelCompaction';

type Db = ClassicLevel<string, string>;

/** Rooms whose stored version is kept in memory, at most (the least recently used are forgotten). */
const MAX_KNOWN_VERSIONS = 10_000;

/**
 * LevelDB locks its folder to one process, so this store is the only writer of its snapshots:
 * the version it last read or wrote for a room is the stored one. Keeping it in memory makes a
 * compare-and-set one write instead of a read and a write (a turn waits on it).
 */
export class LevelTurnStore implements TurnStore {
  private readonly turns: AbstractSublevel<Db, string | Buffer | Uint8Array, string, VersionedState<unknown>>;
  private readonly lock = new KeyedMutex();
  /** stored version per room; 0 for a room with nothing stored */
  private readonly versions = new LRUCache<string, number>({ max: MAX_KNOWN_VERSIONS });

  constructor(
    db: Db,
    private readonly compactor: LevelCompactor,
    /** the sublevel it keeps its snapshots in; the agreements record uses the same store under its own */
    namespace: string,
    /** rooms deleted lately: a write to one is refused (deletedRooms.ts) */
    private readonly deleted: DeletedRooms,
  ) {
    this.turns = db.sublevel<string, VersionedState<unknown>>(namespace, { valueEncoding: 'json' });
  }

  async get<T>(roomId: string): Promise<VersionedState<T> | null> {
    return this.lock.run(roomId, async () => {
      const stored = ((await this.turns.get(roomId)) as VersionedState<T> | undefined) ?? null;
      this.versions.set(roomId, stored?.version ?? 0);
      return stored;
    });
  }

  compareAndSet<T>(roomId: string, expectedVersion: number, next: VersionedState<T>): Promise<boolean> {
    return this.lock.run(roomId, async () => {
      this.deleted.refuseWrite(roomId);
      let current = this.versions.get(roomId);
      if (current === undefined) current = ((await this.turns.get(roomId)) as VersionedState<unknown> | undefined)?.version ?? 0;
      if (current !== expectedVersion) {
        this.versions.set(roomId, current);
        return false;
      }
      try {
        await this.turns.put(roomId, next);
      } catch (err) {
        // Whether it landed is unknown: read it again next time.
        this.versions.delete(roomId);
        throw err;
      }
      this.versions.set(roomId, next.version);
      return true;
    });
  }

  async deleteRoom(roomId: string): Promise<void> {
    await this.lock.run(roomId, async () => {
      await this.turns.del(roomId);
      this.versions.delete(roomId);
      await this.compactor.compact(this.turns, roomId, roomId);
    });
  }
}
