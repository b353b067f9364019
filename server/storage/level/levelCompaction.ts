import type { ClassicLevel } from 'classic-level';

/** A database or sublevel: where its keys lie in the database's own key space. */
export interface KeySpace {
  prefixKey(key: string, keyFormat: 'utf8'): string;
}

/** How long a deleted range waits for its second compaction (see LevelCompactor). */
const SECOND_PASS_MS = 10_000;

/**
 * Makes deleted keys unreadable on disk. LevelDB deletes by writing a tombstone: the value
 * stays in the write-ahead log (.log) and in the sorted tables (.ldb) until a compaction
 * rewrites the files that hold it, which may be never for a quiet range. Every deletion of
 * what a person wrote therefore compacts its key range at once (`compactRange` first flushes
 * the log into a table, then merges that range down through every level, where the value and
 * its tombstone are dropped and the old files removed; see `rewrite` for the file it misses).
 *
 * A compaction keeps what an open snapshot still sees, and every iterator holds one (another
 * room's document being loaded at that moment, say). So each range is compacted a second time
 * a little later, and at the latest when the store closes; by then those reads have ended.
 * Compactions run one at a time, so a sweep of many expired rooms never occupies more than one
 * of the thread pool's threads.
 *
 * What may stay is keys, never values: a deletion marker is dropped only where no deeper file's
 * range spans its key, so one can outlive this compaction (until a later one), and LevelDB's
 * own bookkeeping (the MANIFEST and the LOG) names the bounds of a compaction. A deleted room's
 * random id can be read there; nothing a person wrote.
 */
export class LevelCompactor {
  private queue: Promise<void> = Promise.resolve();
  /** ranges compacted once and due for their second pass, by start key */
  private readonly secondPass = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: ClassicLevel<string, string>,
    private readonly secondPassMs = SECOND_PASS_MS,
  ) {}

  /** Compacts the keys `gte` … `lte` of a key space (bounds included) and resolves once done. */
  async compact(space: KeySpace, gte: string, lte: string): Promise<void> {
    const start = space.prefixKey(gte, 'utf8');
    const end = space.prefixKey(lte, 'utf8');
    await this.run(start, end);
    this.secondPass.set(start, end);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.runSecondPass().catch(() => undefined), this.secondPassMs);
      this.timer.unref();
    }
  }

  /** Compacts each key of a key space. */
  async compactKeys(space: KeySpace, keys: Iterable<string>): Promise<void> {
    for (const key of keys) await this.compact(space, key, key);
  }

  /** Runs the second passes now; called before the database closes. */
  async close(): Promise<void> {
    await this.runSecondPass();
    await this.queue;
  }

  private async runSecondPass(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const due = [...this.secondPass];
    this.secondPass.clear();
    for (const [start, end] of due) await this.run(start, end);
  }

  private run(start: string, end: string): Promise<void> {
    const done = this.queue.then(() => this.rewrite(start, end));
    this.queue = done.catch(() => undefined);
    return done;
  }

  /**
   * `compactRange` merges each level's files in the range into the next level down, so a
   * file with nothing above it in the range is never rewritten. That is the case when the
   * values and their tombstones were flushed from memory together into one file (a young
   * database puts such a file as deep as level 2). So the first call flushes them; then two
   * more tombstones at the range's bounds (keys that hold nothing, or the deleted key itself)
   * make a new file that overlaps every file holding the range and lands above them, and the
   * second call merges it down through all of them.
   */
  private async rewrite(start: string, end: string): Promise<void> {
    await this.db.compactRange(start, end);
    await this.db.batch([
      { type: 'del', key: start },
      { type: 'del', key: end },
    ]);
    await this.db.compactRange(start, end);
  }
}
