import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { AppError } from '../../shared/protocol/errors';
import type { DocStore } from '../storage/types';
import { KeyedMutex } from '../util/keyedMutex';
import { addsContent, deepestNewType, needsMet, newTypeCount, readinessOf, type Need } from './updateReadiness';
import { readUpdateStructure, TooManyTypes, type UpdateStructure } from './updateStructure';

/**
 * Where a change to a room document came from. The broadcaster uses it to skip the sender
 * (`client`) and to keep updates from another node (`remote`) from being stored or published
 * again. `server` is a change this node made itself (through `applyServerChange`), stored like
 * a client's. What is read from the store (`storage`, on loading or catching up) is not passed
 * to update listeners: the holders get it through their own sync.
 */
export type UpdateOrigin =
  | { readonly kind: 'client'; readonly socketId: string; readonly seat?: string }
  | { readonly kind: 'remote'; readonly node: string }
  | { readonly kind: 'storage' }
  | { readonly kind: 'server'; readonly reason: string };
export type ClientOrigin = Extract<UpdateOrigin, { kind: 'client' }>;

export interface DocLimits {
  /** one update, as received */
  maxUpdateBytes: number;
  /** the whole document, encoded as one update */
  maxDocBytes: number;
  /** shared types (maps, texts, XML nodes) one update may add: Yjs builds an object for each */
  maxNewTypes: number;
  /** how deep a shared type may sit (a root's child is at 1): Yjs walks up the tree for each change */
  maxTypeDepth: number;
}

export const DEFAULT_DOC_LIMITS: DocLimits = {
  maxUpdateBytes: 256 * 1024,
  maxDocBytes: 4 * 1024 * 1024,
  maxNewTypes: 512,
  maxTypeDepth: 64,
};

/**
 * Updates that build on something the document does not hold yet wait outside it (see
 * `RoomDocuments`), at most this many, this many bytes together, this long each.
 */
export interface WaitingLimits {
  maxUpdates: number;
  maxBytes: number;
  maxAgeMs: number;
}

export const DEFAULT_WAITING_LIMITS: WaitingLimits = { maxUpdates: 64, maxBytes: 256 * 1024, maxAgeMs: 10_000 };

/**
 * Other nodes' updates that arrive while a document loads are kept for it, at most this many
 * and this many bytes together; past either bound they are dropped and the store is read again
 * (see `load`).
 */
export interface EarlyLimits {
  maxUpdates: number;
  maxBytes: number;
}

export const DEFAULT_EARLY_LIMITS: EarlyLimits = { maxUpdates: 64, maxBytes: 1024 * 1024 };
export const DEFAULT_COMPACT_EVERY = 200;

/** The subset of pino this module uses. Only ids, sizes and counts are logged, never content. */
export interface DocLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RoomDocumentsOptions {
  store: DocStore;
  limits?: Partial<DocLimits>;
  waiting?: Partial<WaitingLimits>;
  early?: Partial<EarlyLimits>;
  /** compact the stored log once it holds this many updates */
  compactEvery?: number;
  logger?: DocLogger;
}

export interface DocHandle {
  readonly roomId: string;
  readonly docName: string;
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  /** Gives this holder's reference back; the last one stores and unloads the document. Idempotent. */
  release(): Promise<void>;
}

export interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

export type UpdateListener = (roomId: string, docName: string, update: Uint8Array, origin: UpdateOrigin) => void;
export type AwarenessListener = (roomId: string, docName: string, change: AwarenessChange, origin: unknown) => void;
/** An update this node wrote is durable in the store (`update` is what was written). */
export type StoredListener = (roomId: string, docName: string, update: Uint8Array) => void;

/** An update that builds on something the document does not hold yet. */
interface WaitingUpdate {
  readonly update: Uint8Array;
  readonly origin: UpdateOrigin;
  readonly since: number;
  /** what the document must hold before the update is looked at again */
  needs: readonly Need[];
  /** settles the sender's `stored` (null for another node's update: nobody waits on it here) */
  readonly settle: { resolve(): void; reject(err: unknown): void } | null;
}

interface Loaded {
  doc: Y.Doc;
  awareness: Awareness;
  /** Upper bound of the encoded document size: exact at load, then grown by each update's size. */
  approxBytes: number;
  /** `approxBytes` is the exact size: nothing changed since it was measured */
  approxExact: boolean;
  /** in arrival order */
  waiting: WaitingUpdate[];
  waitingBytes: number;
  waitingTimer: ReturnType<typeof setTimeout> | null;
  /** appends by this node since the stored log was last compacted by it */
  appendsSinceCompaction: number;
  compacting: Promise<void> | null;
  /** a write failed: the stored log lacks something the document holds (see `persist`) */
  storeBehind: boolean;
  /** writes issued so far, numbering each one */
  writesIssued: number;
  /** the number of the latest write that failed; only a whole-document write issued after it catches the log up */
  lastFailedWrite: number;
  /** settles once every write issued so far has (the store finishes a document's writes in order) */
  lastWrite: Promise<void>;
}

/** What a client's update became once checked and applied: `stored` settles when it is durable. */
export interface Submitted {
  stored: Promise<void>;
}

/** Other nodes' updates that arrived while the document loads (bounded by `EarlyLimits`). */
interface Early {
  updates: Array<{ update: Uint8Array; node: string }>;
  bytes: number;
  /** some were dropped past a bound: the store is read again, and it holds them */
  overflowed: boolean;
}

interface Entry {
  readonly roomId: string;
  readonly docName: string;
  refs: number;
  readonly early: Early;
  readonly ready: Promise<Loaded>;
  loaded: Loaded | null;
}

const STORAGE_ORIGIN: UpdateOrigin = Object.freeze({ kind: 'storage' });
const silentLogger: DocLogger = { warn: () => {}, error: () => {} };

/**
 * The Yjs documents of the rooms that have holders on this node, kept in step with the store.
 *
 * Rules it keeps:
 * - a document is loaded once however many callers open it at the same moment, and unloaded
 *   (after compacting its stored log) when its last holder releases it;
 * - a client's update is checked (size, structure, what it builds on, how many shared types it
 *   adds and how deep, resulting document size), each check costing time linear in its bytes,
 *   applied in memory (which relays it to the other holders at once) and appended to the
 *   store; it is answered only once it is durable, so whatever a client is told was accepted
 *   is durable;
 * - an update that builds on something the document does not hold yet (with several nodes, a
 *   device's edit may arrive before the other node's edit it builds on) waits outside the
 *   document, bounded in count, bytes and age, and is applied once that arrives or refused
 *   with UPDATE_INCOMPLETE; Yjs's own pending parts, merged again with every later update,
 *   never grow;
 * - when a write fails, the caller gets the error and the next write stores the whole document,
 *   so the stored log never stays behind what was relayed;
 * - one update at a time per document is checked and applied, in the order they arrive; the
 *   next one does not wait for the previous one's write (the store keeps their order), so a
 *   slow disk delays answers, never what the partner sees.
 */
export class RoomDocuments {
  private readonly store: DocStore;
  private readonly limits: DocLimits;
  private readonly waitingLimits: WaitingLimits;
  private readonly earlyLimits: EarlyLimits;
  private readonly compactEvery: number;
  private readonly logger: DocLogger;
  private readonly entries = new Map<string, Entry>();
  private readonly lock = new KeyedMutex();
  private readonly updateListeners = new Set<UpdateListener>();
  private readonly awarenessListeners = new Set<AwarenessListener>();
  private readonly storedListeners = new Set<StoredListener>();

  constructor(options: RoomDocumentsOptions) {
    this.store = options.store;
    this.limits = {
      maxUpdateBytes: options.limits?.maxUpdateBytes ?? DEFAULT_DOC_LIMITS.maxUpdateBytes,
      maxDocBytes: options.limits?.maxDocBytes ?? DEFAULT_DOC_LIMITS.maxDocBytes,
      maxNewTypes: options.limits?.maxNewTypes ?? DEFAULT_DOC_LIMITS.maxNewTypes,
      maxTypeDepth: options.limits?.maxTypeDepth ?? DEFAULT_DOC_LIMITS.maxTypeDepth,
    };
    this.waitingLimits = { ...DEFAULT_WAITING_LIMITS, ...options.waiting };
    this.earlyLimits = { ...DEFAULT_EARLY_LIMITS, ...options.early };
    this.compactEvery = Math.max(2, options.compactEvery ?? DEFAULT_COMPACT_EVERY);
    this.logger = options.logger ?? silentLogger;
  }

  on(event: 'update', listener: UpdateListener): () => void;
  on(event: 'awareness', listener: AwarenessListener): () => void;
  on(event: 'stored', listener: StoredListener): () => void;
  on(event: 'update' | 'awareness' | 'stored', listener: UpdateListener | AwarenessListener | StoredListener): () => void {
    const set = (event === 'update' ? this.updateListeners : event === 'awareness' ? this.awarenessListeners : this.storedListeners) as Set<
      typeof listener
    >;
    set.add(listener);
    return () => set.delete(listener);
  }

  off(event: 'update' | 'awareness', listener: UpdateListener | AwarenessListener): void {
    (event === 'update' ? this.updateListeners : this.awarenessListeners).delete(listener as never);
  }

  /** Loads the document if needed and takes a reference to it; give it back with `handle.release()`. */
  async open(roomId: string, docName: string): Promise<DocHandle> {
    const key = docKey(roomId, docName);
    let entry = this.entries.get(key);
    if (!entry) {
      const early: Early = { updates: [], bytes: 0, overflowed: false };
      const created: Entry = { roomId, docName, refs: 0, early, ready: this.load(roomId, docName, early), loaded: null };
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
    let loaded: Loaded;
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

  isLoaded(roomId: string, docName: string): boolean {
    return this.entries.get(docKey(roomId, docName))?.loaded != null;
  }

  /** The loaded document and its presence, without taking a reference. */
  peek(roomId: string, docName: string): { doc: Y.Doc; awareness: Awareness } | null {
    const loaded = this.entries.get(docKey(roomId, docName))?.loaded;
    return loaded ? { doc: loaded.doc, awareness: loaded.awareness } : null;
  }

  /**
   * Checks, applies, then stores an update sent by a client. Resolves once it is applied and
   * durable; rejects with UPDATE_TOO_LARGE, UPDATE_MALFORMED, UPDATE_TOO_COMPLEX,
   * DOC_TOO_LARGE or UPDATE_INCOMPLETE (document unchanged, nothing stored), or with the
   * store's error (the document keeps the update; the next write stores the whole document).
   * An update that waits for one it builds on resolves once that one arrives.
   */
  async applyClientUpdate(roomId: string, docName: string, update: Uint8Array, origin: UpdateOrigin): Promise<void> {
    const { stored } = await this.submitClientUpdate(roomId, docName, update, origin);
    await stored;
  }

  /**
   * The same as `applyClientUpdate` in two steps: resolves once the update is checked and
   * applied (or rejects with the refusal), with `stored` settling once it is durable (or with
   * the store's error). A socket's next message can be handled while the write is in flight.
   */
  submitClientUpdate(roomId: string, docName: string, update: Uint8Array, origin: UpdateOrigin): Promise<Submitted> {
    const key = docKey(roomId, docName);
    if (this.lock.isIdle(key)) {
      // Checking and applying are synchronous: with nothing else queued for the document, they
      // need no turn in the queue.
      try {
        return Promise.resolve({ stored: this.checkApplyStore(roomId, docName, update, origin) });
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.lock.run(key, async () => ({ stored: this.checkApplyStore(roomId, docName, update, origin) }));
  }

  /**
   * Makes a change on the server's side (for instance a guided session adding what was
   * proposed) through the same checks, relay and store as a client's update.
   */
  applyServerChange(roomId: string, docName: string, reason: string, change: (doc: Y.Doc) => void): Promise<void> {
    const key = docKey(roomId, docName);
    return this.lock.run(key, async () => {
      const loaded = this.requireLoaded(roomId, docName);
      const draft = new Y.Doc();
      Y.applyUpdate(draft, Y.encodeStateAsUpdate(loaded.doc));
      const before = Y.encodeStateVector(draft);
      change(draft);
      const update = Y.encodeStateAsUpdate(draft, before);
      draft.destroy();
      return { stored: this.checkApplyStore(roomId, docName, update, { kind: 'server', reason }) };
    }).then(({ stored }) => stored);
  }

  /**
   * An update another node has already stored and published: applied in memory only, if this
   * node has the document. One that arrives while the document loads is applied once it has
   * loaded (the store may have been read before it was written). Returns whether it was applied.
   */
  applyRemoteUpdate(roomId: string, docName: string, update: Uint8Array, node: string): boolean {
    const entry = this.entries.get(docKey(roomId, docName));
    if (!entry) return false;
    const { loaded, early } = entry;
    if (!loaded) {
      keepEarly(early, update, node, this.earlyLimits);
      return false;
    }
    return this.integrateRemote(roomId, docName, loaded, update, node);
  }

  private integrateRemote(roomId: string, docName: string, loaded: Loaded, update: Uint8Array, node: string): boolean {
    try {
      this.checkAndIntegrate(roomId, docName, loaded, update, { kind: 'remote', node });
    } catch (err) {
      const code = err instanceof AppError ? err.code : 'INTERNAL';
      this.logger.warn({ roomId, docName, node, bytes: update.byteLength, code }, 'remote update refused');
      return false;
    }
    return true;
  }

  /**
   * Drops the room's documents from memory without storing anything: for a room that was just
   * deleted. Handles still held become inert.
   */
  discardRoom(roomId: string): void {
    for (const [key, entry] of this.entries) {
      if (entry.roomId !== roomId) continue;
      this.entries.delete(key);
      if (entry.loaded) destroy(entry.loaded);
      else entry.ready.then(destroy, () => {});
    }
  }

  /**
   * Re-reads every loaded document's stored log into memory. After the link between nodes was
   * down (a Redis restart), updates other nodes stored meanwhile never reached this one; the
   * store has them all. Yjs updates are idempotent, so applying the whole log again is safe.
   * Returns the documents refreshed.
   */
  async refreshFromStore(): Promise<Array<{ roomId: string; docName: string; doc: Y.Doc }>> {
    const refreshed: Array<{ roomId: string; docName: string; doc: Y.Doc }> = [];
    for (const [key, entry] of [...this.entries]) {
      await this.lock.run(key, async () => {
        const loaded = entry.loaded;
        if (!loaded || this.entries.get(key) !== entry) return;
        const updates = await this.store.load(entry.roomId, entry.docName);
        loaded.doc.transact(() => {
          for (const update of updates) {
            try {
              Y.applyUpdate(loaded.doc, update, STORAGE_ORIGIN);
            } catch {
              this.logger.error({ roomId: entry.roomId, docName: entry.docName, bytes: update.byteLength }, 'stored update unreadable');
            }
          }
        }, STORAGE_ORIGIN);
        loaded.approxExact = false;
        // What waited on an update this node missed may be complete now.
        this.releaseWaiting(entry.roomId, entry.docName, loaded);
        refreshed.push({ roomId: entry.roomId, docName: entry.docName, doc: loaded.doc });
      });
    }
    return refreshed;
  }

  /** Stores and unloads every document, whoever still holds it: for shutdown. */
  async close(): Promise<void> {
    await Promise.all([...this.entries].map(([key, entry]) => this.unload(key, entry)));
  }

  /**
   * Reads the stored log into a new document, then applies what other nodes published while it
   * was read. Every update a node publishes is in the store before it is published, so when
   * more arrived than `EarlyLimits` keeps, they were dropped and a fresh read (begun after they
   * were stored) holds them: memory stays bounded however long a read takes.
   */
  private async load(roomId: string, docName: string, early: Early): Promise<Loaded> {
    let updates = await this.store.load(roomId, docName);
    while (early.overflowed) {
      early.overflowed = false;
      updates = await this.store.load(roomId, docName);
    }
    const doc = new Y.Doc();
    doc.transact(() => {
      updates.forEach((update, index) => {
        try {
          Y.applyUpdate(doc, update, STORAGE_ORIGIN);
        } catch {
          // Checked before it was stored, so this is damage or a Yjs bug: keep the rest of the room readable.
          this.logger.error({ roomId, docName, index, bytes: update.byteLength }, 'stored update could not be applied; skipped');
        }
      });
    }, STORAGE_ORIGIN);
    if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
      // Written before updates waited outside the document: Yjs keeps such parts, and they
      // stay in the stored log (compaction keeps them too); nothing new is added to them.
      this.logger.warn({ roomId, docName }, 'stored document holds parts that wait for a missing update');
    }
    const awareness = new Awareness(doc);
    awareness.setLocalState(null);
    const loaded: Loaded = {
      doc,
      awareness,
      approxBytes: Y.encodeStateAsUpdate(doc).byteLength,
      approxExact: true,
      waiting: [],
      waitingBytes: 0,
      waitingTimer: null,
      appendsSinceCompaction: updates.length > 1 ? updates.length : 0,
      compacting: null,
      storeBehind: false,
      writesIssued: 0,
      lastFailedWrite: 0,
      lastWrite: Promise.resolve(),
    };
    // No 'update' listener on the document: with one, Yjs encodes every transaction again as an
    // update, and what a client sent is already that update (see `applyAndRelay`).
    awareness.on('update', (change: AwarenessChange, origin: unknown) => {
      for (const listener of this.awarenessListeners) {
        try {
          listener(roomId, docName, change, origin);
        } catch (err) {
          this.logger.error({ roomId, docName, err: errorText(err) }, 'awareness listener failed');
        }
      }
    });
    for (const { update, node } of early.updates.splice(0)) this.integrateRemote(roomId, docName, loaded, update, node);
    early.bytes = 0;
    if (updates.length >= this.compactEvery) this.startCompaction(roomId, docName, loaded);
    return loaded;
  }

  /**
   * Checks and applies at once (throwing the refusal); returns the write of the update, which
   * the caller awaits outside the document's lock.
   */
  private checkApplyStore(roomId: string, docName: string, update: Uint8Array, origin: UpdateOrigin): Promise<void> {
    const loaded = this.requireLoaded(roomId, docName);
    return this.checkAndIntegrate(roomId, docName, loaded, update, origin) ?? loaded.lastWrite;
  }

  /**
   * The checks every update goes through, whoever sent it, each costing time linear in the
   * update's bytes (never in a number written inside it): size; structure (read without
   * building Yjs objects, see updateStructure.ts); whether it builds only on what the document
   * holds (else it waits, bounded, see `hold`); how many shared types it adds and how deep.
   * Returns the write of the update once applied (null for another node's update, which that
   * node stored, or an update with nothing in it), or a promise settled when a waiting update
   * is applied or dropped.
   */
  private checkAndIntegrate(roomId: string, docName: string, loaded: Loaded, update: Uint8Array, origin: UpdateOrigin): Promise<void> | null {
    const bytes = update.byteLength;
    if (bytes > this.limits.maxUpdateBytes) {
      this.logger.warn({ roomId, docName, bytes }, 'update refused: too large');
      throw new AppError('UPDATE_TOO_LARGE');
    }
    // Checked before storing, so nothing unreadable reaches the log.
    let structure: UpdateStructure;
    try {
      structure = readUpdateStructure(update, { maxNewTypes: this.limits.maxNewTypes, knownState: (client) => Y.getState(loaded.doc.store, client) });
    } catch (err) {
      if (err instanceof TooManyTypes) {
        this.logger.warn({ roomId, docName, bytes }, 'update refused: too many shared types');
        throw new AppError('UPDATE_TOO_COMPLEX');
      }
      this.logger.warn({ roomId, docName, bytes }, 'update refused: malformed');
      throw new AppError('UPDATE_MALFORMED');
    }
    // Nothing to store; answered once the writes before it are, so answers keep their order.
    if (structure.structCount === 0 && structure.deletes.length === 0) return null;
    const readiness = readinessOf(loaded.doc, structure);
    if (readiness.kind === 'impossible') {
      this.logger.warn({ roomId, docName, bytes }, 'update refused: its parts wait on each other');
      throw new AppError('UPDATE_MALFORMED');
    }
    if (readiness.kind === 'waiting') return this.hold(roomId, docName, loaded, update, origin, readiness.needs);
    const stored = this.integrate(roomId, docName, loaded, update, structure, origin);
    this.releaseWaiting(roomId, docName, loaded);
    return stored;
  }

  /** Applies, relays and stores an update that builds only on what the document holds. */
  private integrate(roomId: string, docName: string, loaded: Loaded, update: Uint8Array, structure: UpdateStructure, origin: UpdateOrigin): Promise<void> | null {
    const bytes = update.byteLength;
    const types = newTypeCount(loaded.doc, structure);
    if (types > this.limits.maxNewTypes || (types > 0 && deepestNewType(loaded.doc, structure, this.limits.maxTypeDepth) > this.limits.maxTypeDepth)) {
      this.logger.warn({ roomId, docName, bytes, types }, 'update refused: too many or too deeply nested shared types');
      throw new AppError('UPDATE_TOO_COMPLEX');
    }
    if (loaded.approxBytes + bytes > this.limits.maxDocBytes) {
      // Near the limit, measure the document (once per change, not per update refused): an
      // update that only removes content is still let through, or a full document could never
      // be trimmed.
      if (!loaded.approxExact) {
        loaded.approxBytes = Y.encodeStateAsUpdate(loaded.doc).byteLength;
        loaded.approxExact = true;
      }
      if (loaded.approxBytes + bytes > this.limits.maxDocBytes && addsContent(loaded.doc, structure)) {
        this.logger.warn({ roomId, docName, bytes, docBytes: loaded.approxBytes }, 'update refused: document too large');
        throw new AppError('DOC_TOO_LARGE');
      }
    }

    // Applied and relayed to the other holders before the write: the partner does not wait for
    // the disk, and the sender's ack still waits for it. Nothing checked above is undone.
    try {
      this.applyAndRelay(roomId, docName, loaded.doc, update, origin);
    } catch (err) {
      this.logger.error({ roomId, docName, bytes, err: errorText(err) }, 'a checked update failed to apply');
      throw new AppError('UPDATE_MALFORMED');
    }
    loaded.approxBytes += bytes;
    loaded.approxExact = false;
    // Another node stored its own update already.
    if (origin.kind === 'remote') return null;
    return this.persist(roomId, docName, loaded, update);
  }

  /**
   * Keeps an update that builds on something the document lacks, outside the document: with
   * several nodes, a device's edit can arrive before the other node's edit it builds on (they
   * travel on different channels), so it waits for it. Bounded in count, bytes and age
   * (`WaitingLimits`); past any bound the update is refused with UPDATE_INCOMPLETE, nothing
   * kept. The sender's answer waits until it is applied and stored, or dropped.
   */
  private hold(roomId: string, docName: string, loaded: Loaded, update: Uint8Array, origin: UpdateOrigin, needs: readonly Need[]): Promise<void> | null {
    const limits = this.waitingLimits;
    if (loaded.waiting.length >= limits.maxUpdates || loaded.waitingBytes + update.byteLength > limits.maxBytes) {
      this.logger.warn({ roomId, docName, bytes: update.byteLength, waiting: loaded.waiting.length }, 'update refused: too much waits for missing updates');
      throw new AppError('UPDATE_INCOMPLETE');
    }
    let settle: WaitingUpdate['settle'] = null;
    const answered = origin.kind === 'remote' ? null : new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    loaded.waiting.push({ update, origin, since: Date.now(), needs, settle });
    loaded.waitingBytes += update.byteLength;
    this.scheduleExpiry(roomId, docName, loaded);
    return answered;
  }

  /** Applies, in arrival order, every waiting update that the document now completes. */
  private releaseWaiting(roomId: string, docName: string, loaded: Loaded): void {
    let progressed = true;
    while (progressed && loaded.waiting.length > 0) {
      progressed = false;
      for (const waiting of [...loaded.waiting]) {
        if (!needsMet(loaded.doc, waiting.needs)) continue;
        const structure = readUpdateStructure(waiting.update);
        const readiness = readinessOf(loaded.doc, structure);
        if (readiness.kind === 'waiting') {
          waiting.needs = readiness.needs;
          continue;
        }
        removeWaiting(loaded, waiting);
        progressed = true;
        try {
          if (readiness.kind === 'impossible') throw new AppError('UPDATE_MALFORMED');
          const stored = this.integrate(roomId, docName, loaded, waiting.update, structure, waiting.origin);
          if (waiting.settle) (stored ?? loaded.lastWrite).then(waiting.settle.resolve, waiting.settle.reject);
        } catch (err) {
          waiting.settle?.reject(err);
        }
      }
    }
  }

  /** One timer per document with updates waiting, for the oldest; unref'd, so it never keeps the process up. */
  private scheduleExpiry(roomId: string, docName: string, loaded: Loaded): void {
    if (loaded.waitingTimer || loaded.waiting.length === 0) return;
    const oldest = loaded.waiting[0] as WaitingUpdate;
    const delay = Math.max(0, oldest.since + this.waitingLimits.maxAgeMs - Date.now());
    loaded.waitingTimer = setTimeout(() => {
      loaded.waitingTimer = null;
      const now = Date.now();
      const expired = loaded.waiting.filter((waiting) => now - waiting.since >= this.waitingLimits.maxAgeMs);
      if (expired.length > 0) this.logger.warn({ roomId, docName, dropped: expired.length }, 'updates dropped: what they build on never arrived');
      dropWaiting(loaded, expired);
      this.scheduleExpiry(roomId, docName, loaded);
    }, delay);
    loaded.waitingTimer.unref?.();
  }

  /**
   * Applies a checked update and tells the listeners what changed. A device's update while it
   * types (tens of bytes, everything in it new) is passed on as it came: Yjs encoding the
   * transaction again would give the same bytes, and that encoding was a sizeable part of the
   * server's work per keystroke (`npm run bench`, notes item 20). Yjs encodes what changed only
   * where the two may differ: a large update, mostly a device's whole copy sent on reconnecting
   * (the partner should get only what is new to the room), and any update while the document
   * holds parts waiting for a missing one (if this update is that missing part, the waiting
   * parts are integrated with it, and Yjs's encoding carries them too).
   */
  private applyAndRelay(roomId: string, docName: string, doc: Y.Doc, update: Uint8Array, origin: UpdateOrigin): void {
    if (update.byteLength > RELAY_AS_SENT_MAX_BYTES || doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
      let changed: Uint8Array | null = null;
      const capture = (encoded: Uint8Array) => (changed = encoded);
      doc.on('update', capture);
      try {
        Y.applyUpdate(doc, update, origin);
      } finally {
        doc.off('update', capture);
      }
      if (changed) this.emitUpdate(roomId, docName, changed, origin);
      return;
    }
    let transaction: Y.Transaction | null = null;
    doc.transact((t) => {
      transaction = t;
      Y.applyUpdate(doc, update, origin);
    }, origin);
    // Nothing new (a device sending again what the room has, or a part that now waits for a
    // missing one) is not passed on, as Yjs would not: a waiting part goes with the update that
    // completes it, by the branch above.
    if (transaction !== null && changedAnything(transaction)) this.emitUpdate(roomId, docName, update, origin);
  }

  /**
   * Appends an applied update to the stored log (issued at once, so writes keep the order of
   * the updates); resolves once it is durable. After a failed write the log lacks something the
   * document holds, so the next write (or the unload) stores the document's whole state
   * instead, which holds the missing update as well. Writes overlap, so a later update's write
   * may succeed after an earlier one failed: only a whole-document write issued after the
   * failure says the log has caught up.
   */
  private persist(roomId: string, docName: string, loaded: Loaded, update: Uint8Array | null): Promise<void> {
    if (!update && !loaded.storeBehind) return loaded.lastWrite;
    const whole = loaded.storeBehind || !update;
    const written = whole ? Y.encodeStateAsUpdate(loaded.doc) : update;
    const number = ++loaded.writesIssued;
    const stored = this.store.append(roomId, docName, written).then(
      (logLength) => {
        this.emitStored(roomId, docName, written);
        if (whole && number > loaded.lastFailedWrite) loaded.storeBehind = false;
        loaded.appendsSinceCompaction += 1;
        if (logLength >= this.compactEvery) this.startCompaction(roomId, docName, loaded);
      },
      (err: unknown) => {
        // The room was deleted (on another node, say) and the store refused the write: there is
        // nothing to catch up, and this copy goes when its holders are signed out.
        if (err instanceof AppError && err.code === 'ROOM_NOT_FOUND') {
          this.logger.warn({ roomId, docName, bytes: written.byteLength }, 'update refused: the room was deleted');
          throw err;
        }
        loaded.storeBehind = true;
        loaded.lastFailedWrite = Math.max(loaded.lastFailedWrite, number);
        this.logger.error({ roomId, docName, bytes: written.byteLength, err: errorText(err) }, 'storing an update failed; the next write stores the whole document');
        throw err;
      },
    );
    loaded.lastWrite = stored.catch(() => undefined);
    return stored;
  }

  private startCompaction(roomId: string, docName: string, loaded: Loaded): void {
    if (loaded.compacting) return;
    loaded.compacting = this.compactStored(roomId, docName, loaded)
      .catch((err: unknown) => this.logger.error({ roomId, docName, err: errorText(err) }, 'compaction failed; the log is kept as it was'))
      .finally(() => {
        loaded.compacting = null;
      });
  }

  /**
   * Merges the stored log from the store's own contents, not from the document in memory, so
   * an update another node stored but this one has not received yet is never dropped.
   * `DocStore.compact` leaves updates appended meanwhile after the merged one, and swaps
   * nothing if another node compacted the log first.
   */
  private async compactStored(roomId: string, docName: string, loaded: Loaded): Promise<void> {
    await this.store.compact(roomId, docName, (updates) => {
      const merged = new Y.Doc();
      merged.transact(() => {
        for (const update of updates) {
          try {
            Y.applyUpdate(merged, update);
          } catch {
            this.logger.error({ roomId, docName, bytes: update.byteLength }, 'stored update dropped in compaction: unreadable');
          }
        }
      });
      const state = Y.encodeStateAsUpdate(merged);
      merged.destroy();
      return state;
    });
    // Compacted by this node or by another one meanwhile: either way the log is short again.
    loaded.appendsSinceCompaction = 0;
  }

  private async unloadIfIdle(key: string, entry: Entry): Promise<void> {
    await this.lock.run(key, async () => {
      if (entry.refs > 0 || this.entries.get(key) !== entry) return;
      await this.storeForUnload(entry);
      // Someone may have opened it again while we were storing: then it stays.
      if (entry.refs > 0 || this.entries.get(key) !== entry) return;
      this.entries.delete(key);
      if (entry.loaded) destroy(entry.loaded);
      await this.releaseStored(entry);
    });
  }

  private async unload(key: string, entry: Entry): Promise<void> {
    await this.lock.run(key, async () => {
      if (this.entries.get(key) !== entry) return;
      await this.storeForUnload(entry);
      this.entries.delete(key);
      if (entry.loaded) destroy(entry.loaded);
      await this.releaseStored(entry);
    });
  }

  /** Under the document's lock, after it left memory: the store may forget it too. */
  private async releaseStored(entry: Entry): Promise<void> {
    try {
      await this.store.release(entry.roomId, entry.docName);
    } catch (err) {
      this.logger.error({ roomId: entry.roomId, docName: entry.docName, err: errorText(err) }, 'releasing a stored document failed');
    }
  }

  private async storeForUnload(entry: Entry): Promise<void> {
    const loaded = await entry.ready.catch(() => null);
    if (!loaded) return;
    // Under the document's lock no new write starts; the ones in flight settle first, so a
    // failure among them is known before deciding what to store.
    await loaded.lastWrite;
    if (loaded.compacting) await loaded.compacting;
    if (loaded.storeBehind) {
      try {
        await this.persist(entry.roomId, entry.docName, loaded, null);
      } catch {
        // Logged by persist. The devices that sent the missing updates were refused them, keep
        // their copies and send them again when they next sync.
      }
    }
    if (loaded.appendsSinceCompaction === 0) return;
    try {
      await this.compactStored(entry.roomId, entry.docName, loaded);
    } catch (err) {
      // The log is still complete without compaction; it is only longer.
      this.logger.error({ roomId: entry.roomId, docName: entry.docName, err: errorText(err) }, 'compaction at unload failed');
    }
  }

  private requireLoaded(roomId: string, docName: string): Loaded {
    const loaded = this.entries.get(docKey(roomId, docName))?.loaded;
    if (!loaded) throw new AppError('NOT_IN_ROOM', 'Open this document before sending changes to it.');
    return loaded;
  }

  private emitStored(roomId: string, docName: string, update: Uint8Array): void {
    for (const listener of this.storedListeners) {
      try {
        listener(roomId, docName, update);
      } catch (err) {
        this.logger.error({ roomId, docName, err: errorText(err) }, 'stored listener failed');
      }
    }
  }

  private emitUpdate(roomId: string, docName: string, update: Uint8Array, origin: UpdateOrigin): void {
    for (const listener of this.updateListeners) {
      try {
        listener(roomId, docName, update, origin);
      } catch (err) {
        this.logger.error({ roomId, docName, err: errorText(err) }, 'update listener failed');
      }
    }
  }
}

/** Above this size an update is relayed as Yjs encodes what it changed (see `applyAndRelay`). */
const RELAY_AS_SENT_MAX_BYTES = 2048;

/** Yjs's own test for whether a transaction makes an update (`writeUpdateMessageFromTransaction`). */
function changedAnything(transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of transaction.afterState) if (transaction.beforeState.get(client) !== clock) return true;
  return false;
}

/**
 * An error as logged: its message only. A store's error can carry the command it failed on
 * (ioredis puts the arguments in it), and those are the bytes people wrote.
 */
function errorText(err: unknown): string {
  return err instanceof Error ? err.message : 'unknown';
}

function docKey(roomId: string, docName: string): string {
  return `${roomId}\u0000${docName}`;
}

/** Keeps another node's update for a document still loading, or past a bound drops them all for a fresh read. */
function keepEarly(early: Early, update: Uint8Array, node: string, limits: EarlyLimits): void {
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

function removeWaiting(loaded: Loaded, waiting: WaitingUpdate): boolean {
  const index = loaded.waiting.indexOf(waiting);
  if (index < 0) return false;
  loaded.waiting.splice(index, 1);
  loaded.waitingBytes -= waiting.update.byteLength;
  return true;
}

/** Drops waiting updates; their senders are told UPDATE_INCOMPLETE. */
function dropWaiting(loaded: Loaded, dropped: readonly WaitingUpdate[]): void {
  for (const waiting of dropped) if (removeWaiting(loaded, waiting)) waiting.settle?.reject(new AppError('UPDATE_INCOMPLETE'));
}

function destroy(loaded: Loaded): void {
  if (loaded.waitingTimer) clearTimeout(loaded.waitingTimer);
  loaded.waitingTimer = null;
  dropWaiting(loaded, [...loaded.waiting]);
  loaded.awareness.destroy();
  loaded.doc.destroy();
}
