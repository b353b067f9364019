import * as Y from 'yjs';
import { AppError } from '../../shared/protocol/errors';
import type { DocStore } from '../storage/types';
import type { DocLogger } from './documentAdmission';

export const DEFAULT_COMPACT_EVERY = 200;

export interface DocumentLogOptions {
  readonly store: DocStore;
  readonly roomId: string;
  readonly docName: string;
  /** the document the log stores; its whole state is written after a failed write */
  readonly doc: Y.Doc;
  /** compact the stored log once it holds this many updates */
  readonly compactEvery: number;
  readonly logger: DocLogger;
  /** how many updates the stored log held when the document was read from it */
  readonly loadedLength: number;
  /** a write of this node is durable (`update` is what was written) */
  readonly onStored: (update: Uint8Array) => void;
}

/**
 * One loaded document's stored log: appends in the order updates are applied, compaction, and
 * catching up after a failed write (rules RD-10 to RD-13, docs/documents-rules.md).
 */
export class DocumentLog {
  /** settles once every write issued so far has (the store finishes a document's writes in order) */
  lastWrite: Promise<void> = Promise.resolve();
  private appendsSinceCompaction: number;
  private compacting: Promise<void> | null = null;
  /** a write failed: the stored log lacks something the document holds */
  private storeBehind = false;
  /** writes issued so far, numbering each one */
  private writesIssued = 0;
  /** the number of the latest write that failed; only a whole-document write issued after it catches the log up */
  private lastFailedWrite = 0;

  constructor(private readonly options: DocumentLogOptions) {
    this.appendsSinceCompaction = options.loadedLength > 1 ? options.loadedLength : 0;
    if (options.loadedLength >= options.compactEvery) this.startCompaction();
  }

  /**
   * Appends an applied update (issued at once, so writes keep the order of the updates);
   * resolves once it is durable. After a failed write the log lacks something the document
   * holds, so the next write (or the unload, `update` null) stores the document's whole state,
   * which holds the missing update as well. Writes overlap, so a later update's write may
   * succeed after an earlier one failed: only a whole-document write issued after the failure
   * says the log has caught up (RD-11).
   */
  append(update: Uint8Array | null): Promise<void> {
    if (!update && !this.storeBehind) return this.lastWrite;
    const { store, roomId, docName, logger } = this.options;
    const whole = this.storeBehind || !update;
    const written = whole ? Y.encodeStateAsUpdate(this.options.doc) : update;
    const number = ++this.writesIssued;
    const stored = store.append(roomId, docName, written).then(
      (logLength) => {
        this.options.onStored(written);
        if (whole && number > this.lastFailedWrite) this.storeBehind = false;
        this.appendsSinceCompaction += 1;
        if (logLength >= this.options.compactEvery) this.startCompaction();
      },
      (err: unknown) => {
        // The room was deleted (on another node, say) and the store refused the write: there is
        // nothing to catch up, and this copy goes when its holders are signed out.
        if (err instanceof AppError && err.code === 'ROOM_NOT_FOUND') {
          logger.warn({ roomId, docName, bytes: written.byteLength }, 'update refused: the room was deleted');
          throw err;
        }
        this.storeBehind = true;
        this.lastFailedWrite = Math.max(this.lastFailedWrite, number);
        logger.error({ roomId, docName, bytes: written.byteLength, err: errorText(err) }, 'storing an update failed; the next write stores the whole document');
        throw err;
      },
    );
    this.lastWrite = stored.catch(() => undefined);
    return stored;
  }

  /**
   * Before the document leaves memory, under its lock (no new write starts): the writes in
   * flight settle first, so a failure among them is known before deciding what to store; a log
   * left behind is caught up, then compacted (RD-12).
   */
  async flushForUnload(): Promise<void> {
    const { roomId, docName, logger } = this.options;
    await this.lastWrite;
    if (this.compacting) await this.compacting;
    if (this.storeBehind) {
      try {
        await this.append(null);
      } catch {
        // Logged by append. The devices that sent the missing updates were refused them, keep
        // their copies and send them again when they next sync.
      }
    }
    if (this.appendsSinceCompaction === 0) return;
    try {
      await this.compact();
    } catch (err) {
      // The log is still complete without compaction; it is only longer.
      logger.error({ roomId, docName, err: errorText(err) }, 'compaction at unload failed');
    }
  }

  private startCompaction(): void {
    if (this.compacting) return;
    const { roomId, docName, logger } = this.options;
    this.compacting = this.compact()
      .catch((err: unknown) => logger.error({ roomId, docName, err: errorText(err) }, 'compaction failed; the log is kept as it was'))
      .finally(() => {
        this.compacting = null;
      });
  }

  /**
   * Merges the stored log from the store's own contents, not from the document in memory, so
   * an update another node stored but this one has not received yet is never dropped (RD-13).
   * `DocStore.compact` leaves updates appended meanwhile after the merged one, and swaps
   * nothing if another node compacted the log first.
   */
  private async compact(): Promise<void> {
    const { store, roomId, docName, logger } = this.options;
    await store.compact(roomId, docName, (updates) => {
      const merged = new Y.Doc();
      merged.transact(() => {
        for (const update of updates) {
          try {
            Y.applyUpdate(merged, update);
          } catch {
            logger.error({ roomId, docName, bytes: update.byteLength }, 'stored update dropped in compaction: unreadable');
          }
        }
      });
      const state = Y.encodeStateAsUpdate(merged);
      merged.destroy();
      return state;
    });
    // Compacted by this node or by another one meanwhile: either way the log is short again.
    this.appendsSinceCompaction = 0;
  }
}

/**
 * An error as logged: its message only. A store's error can carry the command it failed on
 * (ioredis puts the arguments in it), and those are the bytes people wrote.
 */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : 'unknown';
}
