import type { AbstractSublevel } from 'abstract-level';
import type { ClassicLevel } from 'classic-level';
import type { KeyValueStore } from '../types';
import type { LevelCompactor } from './levelCompaction';

type Db = ClassicLevel<string, string>;

export class LevelRecordStore implements KeyValueStore {
  private readonly records: AbstractSublevel<Db, string | Buffer | Uint8Array, string, unknown>;

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
