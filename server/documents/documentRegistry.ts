import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { DocStore } from '../storage/types';
import { KeyedMutex } from '../util/keyedMutex';
import type { DocLogger } from './documentAdmission';
import { errorText } from './documentLog';

export interface DocHandle {
  readonly roomId: string;
  readonly docName: string;
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  /** Gives this holder's reference back; the last one stores and unloads the document. Idempotent. */
  release(): Promise<void>;
}

/**
 * Other nodes' updates that arrive while a document loads are kept for it, at most this many
 * and this many bytes together; past either bound they are dropped and the store is read again
 * (RD-18).
 */
export interface EarlyLimits {
  maxUpdates: number;
  maxBytes: number;
}

export const DEFAULT_EARLY_LIMITS: EarlyLimits = { maxUpdates: 64, maxBytes: 1024 * 1024 };

/** Other nodes' updates that arrived while the document loads (bounded by `EarlyLimits`). */
export interface Early {
  updates: Array<{ update: Uint8Array; node: string }>;
  bytes: number;
  /** some were dropped past a bound: the store is read again, and it holds them */
  overflowed: boolean;
}

export interface Entry<L> {
  readonly roomId: string;
  readonly docName: string;
  refs: number;
  readonly early: Early;
  readonly ready: Promise<L>;
  loaded: L | null;
}

/** What the registry asks of the service for each document it holds. */
export interface RegistryHooks<L> {
  /** reads the document from the store; `early` gathers other nodes' updates meanwhile */
  load(roomId: string, docName: string, early: Early): Promise<L>;
  /** under the document's lock, before it leaves memory: its log is brought up to date */
  flush(loaded: L): Promise<void>;
  /** frees the document's memory; handles still held become inert */
  destroy(loaded: L): void;
}

/**
 * The documents that have holders on this node: each loaded once however many callers open it
 * at the same moment, and unloaded, its log flushed, when its last holder releases it (RD-01).
 * The lock serialises everything done to one document, here and in the service.
 */
export class DocumentRegistry<L extends { doc: Y.Doc; awareness: Awareness }> {
  readonly lock = new KeyedMutex();
  private readonly entries = new Map<string, Entry<L>>();

  constructor(
    private readonly store: DocStore,
    private readonly hooks: RegistryHooks<L>,
    private readonly logger: DocLogger,
  ) {}

  /** Loads the document if needed and takes a reference to it; give it back with `handle.release()`. */
  async open(roomId: string, docName: string): Promise<DocHandle> {
    const key = docKey(roomId, docName);
    let entry = this.entries.get(key);
    if (!entry) {
      const early: Early = { updates: [], bytes: 0, overflowed: false };
      const created: Entry<L> = { roomId, docName, refs: 0, early, ready: this.hooks.load(roomId, docName, early), loaded: null };
      created.ready.then(
        (loaded) => (created.loaded = loaded),
        () => {
          if (this.entries.get(key) === created) this.entries.delete(key);
        },
      );
      this.entries.set(key, created);
      entry = created;
    }
    entry.refs += 1;
    let loaded: L;
    try {
      loaded = await entry.ready;
    } catch (err) {
      entry.refs -= 1;
      throw err;
    }
    const held = entry;
    let released = false;
    return {
      roomId,
      docName,
      doc: loaded.doc,
      awareness: loaded.awareness,
      release: async () => {
        if (released) return;
        released = true;
        held.refs -= 1;
        if (held.refs === 0) await this.unloadIfIdle(key, held);
      },
    };
  }

  /** The entry of a document being loaded or loaded, or undefined. */
  entry(roomId: string, docName: string): Entry<L> | undefined {
    return this.entries.get(docKey(roomId, docName));
  }

  loaded(roomId: string, docName: string): L | null {
    return this.entries.get(docKey(roomId, docName))?.loaded ?? null;
  }

  /** Every entry with its key, as they are now. */
  all(): Array<[string, Entry<L>]> {
    return [...this.entries];
  }

  /** Whether `entry` is still the one held for `key` (a discarded or unloaded one is not). */
  holds(key: string, entry: Entry<L>): boolean {
    return this.entries.get(key) === entry;
  }

  /** Drops the room's documents from memory without storing anything; handles still held become inert. */
  discardRoom(roomId: string): void {
    for (const [key, entry] of this.entries) {
      if (entry.roomId !== roomId) continue;
      this.entries.delete(key);
      if (entry.loaded) this.hooks.destroy(entry.loaded);
      else entry.ready.then((loaded) => this.hooks.destroy(loaded), () => {});
    }
  }

  /** Stores and unloads every document, whoever still holds it: for shutdown. */
  async close(): Promise<void> {
    await Promise.all([...this.entries].map(([key, entry]) => this.unload(key, entry, false)));
  }

  private async unloadIfIdle(key: string, entry: Entry<L>): Promise<void> {
    await this.unload(key, entry, true);
  }

  /** `whenIdle`: only if nobody holds it, before and after storing (someone may open it meanwhile: then it stays). */
  private async unload(key: string, entry: Entry<L>, whenIdle: boolean): Promise<void> {
    await this.lock.run(key, async () => {
      if ((whenIdle && entry.refs > 0) || this.entries.get(key) !== entry) return;
      const loaded = await entry.ready.catch(() => null);
      if (loaded) await this.hooks.flush(loaded);
      if (whenIdle && (entry.refs > 0 || this.entries.get(key) !== entry)) return;
      this.entries.delete(key);
      if (entry.loaded) this.hooks.destroy(entry.loaded);
      // Under the document's lock, after it left memory: the store may forget it too.
      try {
        await this.store.release(entry.roomId, entry.docName);
      } catch (err) {
        this.logger.error({ roomId: entry.roomId, docName: entry.docName, err: errorText(err) }, 'releasing a stored document failed');
      }
    });
  }
}

export function docKey(roomId: string, docName: string): string {
  return `${roomId}\u0000${docName}`;
}

/** Keeps another node's update for a document still loading, or past a bound drops them all for a fresh read. */
export function keepEarly(early: Early, update: Uint8Array, node: string, limits: EarlyLimits): void {
  if (early.overflowed) return;
  if (early.updates.length >= limits.maxUpdates || early.bytes + update.byteLength > limits.maxBytes) {
    early.updates = [];
    early.bytes = 0;
    early.overflowed = true;
    return;
  }
  early.updates.push({ update, node });
  early.bytes += update.byteLength;
}
