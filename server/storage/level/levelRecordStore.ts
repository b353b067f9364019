import type { AbstractSublevel } from 'abstract-level';
import type { ClassicLevel } from 'classic-level';
import type { KeyValueStore } from '../types';
import { KeyedMutex } from '../../util/keyedMutex';
import type { LevelCompactor } from './levelCompaction';

type Db = ClassicLevel<string, string>;

export class LevelRecordStore implements KeyValueStore {
  private readonly records: AbstractSublevel<Db, string | Buffer | Uint8Array, string, unknown>;
  /** put-if-absent reads then writes: one at a time per key (one process holds the folder) */
  private readonly lock = new KeyedMutex();

  constructor(
    db: Db,
    private readonly compactor: LevelCompactor,
  ) {
    this.records = db.sublevel<string, unknown>('records', { valueEncoding: 'json' });
  }

  async get<T>(key: string): Promise<T | null> {
    return ((await this.records.get(key)) as T | undefined) ?? null;
  }

  async put<T>(key: string, value: T): Promise<void> {
    await this.records.put(key, value);
  }

  putIfAbsent<T>(key: string, value: T): Promise<boolean> {
    return this.lock.run(key, async () => {
      if ((await this.records.get(key)) !== undefined) return false;
      await this.records.put(key, value);
      return true;
    });
  }

  async keys(prefix: string): Promise<string[]> {
    const found: string[] = [];
    for await (const key of this.records.keys({ gte: prefix })) {
      if (!key.startsWith(prefix)) break;
      found.push(key);
    }
    return found;
  }

  async delete(key: string): Promise<void> {
    await this.records.del(key);
    // A counsellor's label for a room they no longer have, a workspace moved away: gone from disk too.
    await this.compactor.compact(this.records, key, key);
  }
}
