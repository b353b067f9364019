import type { AbstractLevel } from 'abstract-level';
import { AppError, ErrorCode } from '../../../shared/protocol/errors';
import { KeyedMutex } from '../../util/keyedMutex';
import type { DocStore } from '../types';
import { DeletedRooms } from './deletedRooms';
import type { LevelCompactor } from './levelCompaction';

/** Any classic-level database or sublevel with string keys; values are always read and written as bytes. */
export type DocLevel = AbstractLevel<any, string, Uint8Array>;

const SEP = '!';
/** one past SEP in byte order, so `<prefix>!` … `<prefix>"` spans exactly that prefix */
const SEP_END = '"';
const SEQ_WIDTH = 12;
const bytes = { valueEncoding: 'view' } as const;

interface QueuedPut {
  key: string;
  value: Uint8Array;
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface LogState {
  /** sequence number the next append gets; never reused, so keys stay in append order */
  nextSeq: number;
  length: number;
}

/**
 * The Yjs update log of each document, one key per update: `<roomId>!<docName>!<seq>`, the
 * sequence zero-padded so that key order is append order.
 *
 * Durability: a write resolves once LevelDB has added it to its write-ahead log through the
 * OS (not fsync'd; `sync: true` is not used). An update acknowledged to a client therefore
 * survives the process crashing or being killed, which is the failure we meet in practice;
 * a power loss or kernel crash can lose the last moments of writes, as with most databases
 * run without fsync per write. Clients keep their own copy and resend it on reconnect
 * (Yjs sync by state vector), which covers that window.
 *
 * LevelDB locks its folder to one process, so an in-process queue per room is enough to keep
 * the sequence counter, compaction and deletion from interleaving. The queue covers taking a
 * sequence number, not the write itself: appends made one after the other without waiting
 * land in that order all the same (batches are written one at a time, in order), and a room's
 * deletion waits for the writes in flight.
 *
 * Appends are group-committed: those that arrive while a write is in flight go to LevelDB
 * together as one batch when it finishes, each resolving once its batch is written (the same
 * guarantee as a put). One write per keystroke was the largest cost on the server at a
 * thousand rooms (`npm run bench`); a batch costs one thread-pool round trip for all of them.
 */
export class LevelDocStore implements DocStore {
  private readonly logs = new Map<string, Promise<LogState>>();
  /** the same states once read: an append to a known log with nothing queued for its room needs no await */
  private readonly known = new Map<string, LogState>();
  private readonly lock = new KeyedMutex();
  private queued: QueuedPut[] = [];
  /** settled once the queued puts are written (callers of `whenWritten`) */
  private queuedWaiters: Array<() => void> = [];
  /** settled once the batch being written is; null when none is */
  private writingWaiters: Array<() => void> | null = null;
  constructor(
    private readonly db: DocLevel,
    private readonly compactor: Pick<LevelCompactor, 'compact'>,
    /** rooms deleted lately: an append to one is refused (deletedRooms.ts); deleteRoom marks its room */
    private readonly deleted: DeletedRooms = new DeletedRooms(),
  ) {}

  append(roomId: string, docName: string, update: Uint8Array): Promise<number> {
    let prefix: string;
    try {
      prefix = docPrefix(roomId, docName);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.deleted.has(roomId)) return Promise.reject(new AppError(ErrorCode.ROOM_NOT_FOUND));
    const state = this.known.get(prefix);
    if (state && this.lock.isIdle(roomId)) return this.appendTo(prefix, state, update);
    return this.lock
      .run(roomId, async () => {
        if (this.deleted.has(roomId)) throw new AppError(ErrorCode.ROOM_NOT_FOUND);
        return { written: this.appendTo(prefix, await this.state(prefix), update) };
      })
      .then(({ written }) => written);
  }

  async load(roomId: string, docName: string): Promise<Uint8Array[]> {
    const prefix = docPrefix(roomId, docName);
    // An iterator reads from an implicit snapshot, so a concurrent compaction is seen whole or not at all.
    return this.db.values({ ...range(prefix), ...bytes }).all();
  }

  async compact(roomId: string, docName: string, merge: (updates: Uint8Array[]) => Uint8Array | Promise<Uint8Array>): Promise<number> {
    const prefix = docPrefix(roomId, docName);
    // Read from a snapshot and merged outside the room's lock, so appends go on meanwhile.
    const read = await this.db.iterator({ ...range(prefix), ...bytes }).all();
    if (read.length <= 1) return 0;
    const merged = await merge(read.map(([, value]) => value));
    const count = read.length;
    return this.lock.run(roomId, async () => {
      // Sequence numbers are never reused: the same first keys mean nobody compacted meanwhile.
      const keys = await this.db.keys({ ...range(prefix), limit: count }).all();
      if (keys.length < count || keys.some((key, i) => key !== read[i]![0])) return 0;
      const last = keys[keys.length - 1] as string;
      // The merged update takes the key of the last update it replaces: it still sorts before
      // anything appended after them, and the whole swap is one atomic batch.
      await this.db.batch([
        ...keys.slice(0, -1).map((key) => ({ type: 'del' as const, key })),
        { type: 'put' as const, key: last, value: merged },
      ], bytes);
      const state = await this.state(prefix);
      state.length -= count - 1;
      return count;
    });
  }

  async deleteRoom(roomId: string): Promise<void> {
    checkPart(roomId, 'roomId');
    return this.lock.run(roomId, async () => {
      // A put still in flight would otherwise land after the clear.
      await this.whenWritten();
      this.deleted.mark(roomId);
      await this.db.clear({ gte: roomId + SEP, lt: roomId + SEP_END });
      await this.compactor.compact(this.db, roomId + SEP, roomId + SEP_END);
      for (const prefix of [...this.logs.keys()]) {
        if (prefix.startsWith(roomId + SEP)) {
          this.logs.delete(prefix);
          this.known.delete(prefix);
        }
      }
    });
  }

  async release(roomId: string, docName: string): Promise<void> {
    const prefix = docPrefix(roomId, docName);
    return this.lock.run(roomId, async () => {
      // Its puts must land before the log's state is read again from the database.
      await this.whenWritten();
      this.logs.delete(prefix);
      this.known.delete(prefix);
    });
  }

  /** Takes the next sequence number (synchronously, so appends keep their order) and queues the put. */
  private appendTo(prefix: string, state: LogState, update: Uint8Array): Promise<number> {
    // Never given back: a failed write leaves a gap, not a reused key.
    const seq = state.nextSeq++;
    state.length += 1;
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ key: prefix + pad(seq), value: update, resolve, reject });
      if (this.queued.length === 1 && this.writingWaiters === null) setImmediate(() => this.writeQueued());
    }).then(
      () => state.length,
      (err: unknown) => {
        state.length -= 1;
        throw err;
      },
    );
  }

  /** Settles once every put queued so far has been written or has failed. */
  private whenWritten(): Promise<void> {
    if (this.queued.length > 0) return new Promise((resolve) => this.queuedWaiters.push(resolve));
    if (this.writingWaiters) {
      const waiters = this.writingWaiters;
      return new Promise((resolve) => waiters.push(resolve));
    }
    return Promise.resolve();
  }

  private writeQueued(): void {
    const batch = this.queued;
    const waiters = this.queuedWaiters;
    this.queued = [];
    this.queuedWaiters = [];
    this.writingWaiters = waiters;
    const settle = (err?: unknown) => {
      for (const put of batch) {
        if (err === undefined) put.resolve();
        else put.reject(err);
      }
      for (const waiter of waiters) waiter();
      this.writingWaiters = null;
      if (this.queued.length > 0) setImmediate(() => this.writeQueued());
    };
    this.db.batch(batch.map(({ key, value }) => ({ type: 'put' as const, key, value })), bytes).then(() => settle(), (err: unknown) => settle(err ?? new Error('batch failed')));
  }

  /** Read once per document from its last key, then kept in memory. Only called under the room's lock. */
  private state(prefix: string): Promise<LogState> {
    let state = this.logs.get(prefix);
    if (!state) {
      const reading = this.readState(prefix);
      this.logs.set(prefix, reading);
      reading.then(
        (read) => {
          if (this.logs.get(prefix) === reading) this.known.set(prefix, read);
        },
        () => this.logs.delete(prefix),
      );
      state = reading;
    }
    return state;
  }

  private async readState(prefix: string): Promise<LogState> {
    const keys = await this.db.keys(range(prefix)).all();
    const last = keys[keys.length - 1];
    return { nextSeq: last === undefined ? 0 : Number(last.slice(prefix.length)) + 1, length: keys.length };
  }
}

function docPrefix(roomId: string, docName: string): string {
  checkPart(roomId, 'roomId');
  checkPart(docName, 'docName');
  return roomId + SEP + docName + SEP;
}

function range(prefix: string): { gte: string; lt: string } {
  return { gte: prefix, lt: prefix.slice(0, -1) + SEP_END };
}

/** A separator inside an id would let one room's range cover another's keys. */
function checkPart(part: string, name: string): void {
  if (part.length === 0 || part.includes(SEP)) throw new TypeError(`${name} must be non-empty and free of "${SEP}"`);
}

function pad(seq: number): string {
  return String(seq).padStart(SEQ_WIDTH, '0');
}
