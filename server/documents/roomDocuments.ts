import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { AppError } from '../../shared/protocol/errors';
import type { DocStore } from '../storage/types';
import { admitIntegration, admitUpdate, DEFAULT_DOC_LIMITS, readinessAdmission, type AdmissionContext, type DocLimits, type DocLogger, type DocSize } from './documentAdmission';
import { DEFAULT_COMPACT_EVERY, DocumentLog, errorText } from './documentLog';
import { DEFAULT_EARLY_LIMITS, DocumentRegistry, docKey, keepEarly, type DocHandle, type Early, type EarlyLimits } from './documentRegistry';
import { noRelay, type DocumentRelay } from './documentRelay';
import { presenceOriginOf, type ClientOrigin, type PresenceOrigin, type RelayedOrigin, type UpdateOrigin } from './origins';
import { applyClientAwareness } from './presenceOwnership';
import { awarenessMessage, readClientMessage, syncAnswer } from './syncMessages';
import { needsMet, type Need } from './updateReadiness';
import { readUpdateStructure, type UpdateStructure } from './updateStructure';

/**
 * Updates that build on something the document does not hold yet wait outside it (RD-07), at
 * most this many, this many bytes together, this long each.
 */
export interface WaitingLimits {
  maxUpdates: number;
  maxBytes: number;
  maxAgeMs: number;
}

export const DEFAULT_WAITING_LIMITS: WaitingLimits = { maxUpdates: 64, maxBytes: 256 * 1024, maxAgeMs: 10_000 };

export interface RoomDocumentsOptions {
  store: DocStore;
  limits?: Partial<DocLimits>;
  waiting?: Partial<WaitingLimits>;
  early?: Partial<EarlyLimits>;
  /** compact the stored log once it holds this many updates */
  compactEvery?: number;
  logger?: DocLogger;
}

export interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

/** What handling a client's message gave: replies for that client, and the write of its update. */
export interface ClientMessageOutcome {
  replies: Uint8Array[];
  /** settles once the update the message carried is durable; null when it carried none */
  stored: Promise<void> | null;
}

/** What a client's update became once checked and applied: `stored` settles when it is durable. */
export interface Submitted {
  stored: Promise<void>;
}

/** An update that builds on something the document does not hold yet. */
interface WaitingUpdate {
  readonly update: Uint8Array;
  readonly origin: RelayedOrigin;
  readonly since: number;
  /** what the document must hold before the update is looked at again */
  needs: readonly Need[];
  /** settles the sender's `stored` (null for another node's update: nobody waits on it here) */
  readonly settle: { resolve(): void; reject(err: unknown): void } | null;
}

interface Loaded {
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly admission: AdmissionContext;
  readonly size: DocSize;
  readonly log: DocumentLog;
  /** in arrival order */
  waiting: WaitingUpdate[];
  waitingBytes: number;
  waitingTimer: ReturnType<typeof setTimeout> | null;
}

const STORAGE_ORIGIN: UpdateOrigin = Object.freeze({ kind: 'storage' });
const NO_REPLIES: ClientMessageOutcome = Object.freeze({ replies: [], stored: null }) as ClientMessageOutcome;
const silentLogger: DocLogger = { warn: () => {}, error: () => {} };

/**
 * The document service: the Yjs documents of the rooms that have holders on this node, kept in
 * step with the store. A client's message goes one way: read (syncMessages.ts), admitted
 * (documentAdmission.ts), applied, relayed (documentRelay.ts), appended to the log
 * (documentLog.ts); the documents themselves are held by documentRegistry.ts. The rules it
 * keeps are numbered RD-01… in docs/documents-rules.md.
 */
export class RoomDocuments {
  private readonly store: DocStore;
  private readonly limits: DocLimits;
  private readonly waitingLimits: WaitingLimits;
  private readonly earlyLimits: EarlyLimits;
  private readonly compactEvery: number;
  private readonly logger: DocLogger;
  private readonly registry: DocumentRegistry<Loaded>;
  private relay: DocumentRelay = noRelay;

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
    this.registry = new DocumentRegistry<Loaded>(
      this.store,
      {
        load: (roomId, docName, early) => this.load(roomId, docName, early),
        flush: (loaded) => loaded.log.flushForUnload(),
        destroy,
      },
      this.logger,
    );
  }

  /**
   * Where what the documents take is sent from now on. One relay, set once (server/app.ts
   * composes several with `relayToEach`): a second would silently replace the first, so it
   * throws. Returns a function that stops it.
   */
  relayTo(relay: DocumentRelay): () => void {
    if (this.relay !== noRelay) throw new Error('RoomDocuments already has a relay: compose them with relayToEach');
    this.relay = relay;
    return () => {
      if (this.relay === relay) this.relay = noRelay;
    };
  }

  /** Loads the document if needed and takes a reference to it; give it back with `handle.release()` (RD-01). */
  open(roomId: string, docName: string): Promise<DocHandle> {
    return this.registry.open(roomId, docName);
  }

  isLoaded(roomId: string, docName: string): boolean {
    return this.registry.loaded(roomId, docName) !== null;
  }

  /** The loaded document and its presence, without taking a reference. */
  peek(roomId: string, docName: string): { doc: Y.Doc; awareness: Awareness } | null {
    const loaded = this.registry.loaded(roomId, docName);
    return loaded ? { doc: loaded.doc, awareness: loaded.awareness } : null;
  }

  /**
   * Answers one binary message from a client (RD-02). Sync step 1 gets our step 2, our own step
   * 1 and the presence already there; step 2 and updates go through `submitClientUpdate`
   * (checked and applied when this resolves, stored when `stored` settles); presence is
   * applied to the document's awareness (RD-16). Returns the replies for that client only;
   * the others get what changed through the relay. Refusals are AppErrors: UPDATE_MALFORMED,
   * INVALID_PAYLOAD, FORBIDDEN, PRESENCE_*, NOT_IN_ROOM when the document is not open, and
   * the update's refusals.
   */
  async receive(roomId: string, docName: string, message: Uint8Array, origin: ClientOrigin): Promise<ClientMessageOutcome> {
    const target = this.registry.loaded(roomId, docName);
    if (!target) throw notOpen();
    const read = readClientMessage(message);
    switch (read.kind) {
      case 'syncStep1':
        return { replies: syncAnswer(target, read.stateVector), stored: null };
      case 'update': {
        const { stored } = await this.submitClientUpdate(roomId, docName, read.update, origin);
        return { replies: [], stored };
      }
      case 'awareness':
        applyClientAwareness(target.awareness, read.update, origin, read.message);
        return NO_REPLIES;
      case 'queryAwareness':
        return { replies: [awarenessMessage(target.awareness, [...target.awareness.getStates().keys()])], stored: null };
    }
  }

  /**
   * Checks and applies a client's update: resolves once it is checked and applied (or rejects
   * with UPDATE_TOO_LARGE, UPDATE_MALFORMED, UPDATE_TOO_COMPLEX, DOC_TOO_LARGE or
   * UPDATE_INCOMPLETE, the document unchanged and nothing stored), with `stored` settling once
   * it is durable (or with the store's error: the document keeps the update and the next write
   * stores the whole document). A socket's next message can be handled while the write is in
   * flight (RD-10). An update that waits for one it builds on settles once that one arrives.
   */
  submitClientUpdate(roomId: string, docName: string, update: Uint8Array, origin: ClientOrigin): Promise<Submitted> {
    const key = docKey(roomId, docName);
    const lock = this.registry.lock;
    if (lock.isIdle(key)) {
      // Checking and applying are synchronous: with nothing else queued for the document, they
      // need no turn in the queue.
      try {
        return Promise.resolve({ stored: this.checkApplyStore(roomId, docName, update, origin) });
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return lock.run(key, async () => ({ stored: this.checkApplyStore(roomId, docName, update, origin) }));
  }

  /**
   * Makes a change on the server's side (for instance a guided session adding what was
   * proposed) through the same checks, relay and store as a client's update (RD-19).
   */
  applyServerChange(roomId: string, docName: string, reason: string, change: (doc: Y.Doc) => void): Promise<void> {
    const key = docKey(roomId, docName);
    return this.registry.lock
      .run(key, async () => {
        const loaded = this.requireLoaded(roomId, docName);
        const draft = new Y.Doc();
        Y.applyUpdate(draft, Y.encodeStateAsUpdate(loaded.doc));
        const before = Y.encodeStateVector(draft);
        change(draft);
        const update = Y.encodeStateAsUpdate(draft, before);
        draft.destroy();
        return { stored: this.checkApplyStore(roomId, docName, update, { kind: 'server', reason }) };
      })
      .then(({ stored }) => stored);
  }

  /**
   * An update another node has already stored and published: applied in memory only, if this
   * node has the document (RD-14). One that arrives while the document loads is applied once
   * it has loaded (RD-18: the store may have been read before it was written). Returns whether
   * it was applied.
   */
  applyRemoteUpdate(roomId: string, docName: string, update: Uint8Array, node: string): boolean {
    const entry = this.registry.entry(roomId, docName);
    if (!entry) return false;
    if (!entry.loaded) {
      keepEarly(entry.early, update, node, this.earlyLimits);
      return false;
    }
    return this.integrateRemote(entry.loaded, update, node);
  }

  /** Drops the room's documents from memory without storing anything: for a room that was just deleted (RD-20). */
  discardRoom(roomId: string): void {
    this.registry.discardRoom(roomId);
  }

  /**
   * Re-reads every loaded document's stored log into memory (RD-15). After the link between
   * nodes was down (a Redis restart), updates other nodes stored meanwhile never reached this
   * one; the store has them all. Yjs updates are idempotent, so applying the whole log again is
   * safe. Each document refreshed goes to the relay's `caughtUp`; returns how many there were.
   */
  async refreshFromStore(): Promise<number> {
    let refreshed = 0;
    for (const [key, entry] of this.registry.all()) {
      await this.registry.lock.run(key, async () => {
        const loaded = entry.loaded;
        if (!loaded || !this.registry.holds(key, entry)) return;
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
        loaded.size.approxExact = false;
        // What waited on an update this node missed may be complete now.
        this.releaseWaiting(loaded);
        refreshed += 1;
        this.relayed('caughtUp', entry.roomId, entry.docName, () => this.relay.caughtUp(entry.roomId, entry.docName, loaded.doc));
      });
    }
    return refreshed;
  }

  /** Stores and unloads every document, whoever still holds it: for shutdown. */
  close(): Promise<void> {
    return this.registry.close();
  }

  /**
   * Reads the stored log into a new document, then applies what other nodes published while it
   * was read. Every update a node publishes is in the store before it is published, so when
   * more arrived than `EarlyLimits` keeps, they were dropped and a fresh read (begun after they
   * were stored) holds them: memory stays bounded however long a read takes (RD-18).
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
      // Stored parts that wait for a missing update stay in the log (compaction keeps them
      // too); nothing new is added to them, since updates wait outside the document (RD-07).
      this.logger.warn({ roomId, docName }, 'stored document holds parts that wait for a missing update');
    }
    const awareness = new Awareness(doc);
    awareness.setLocalState(null);
    const loaded: Loaded = {
      doc,
      awareness,
      admission: { roomId, docName, limits: this.limits, logger: this.logger },
      size: { approxBytes: Y.encodeStateAsUpdate(doc).byteLength, approxExact: true },
      log: new DocumentLog({
        store: this.store,
        roomId,
        docName,
        doc,
        compactEvery: this.compactEvery,
        logger: this.logger,
        loadedLength: updates.length,
        onStored: (written) => this.relayed('stored', roomId, docName, () => this.relay.stored(roomId, docName, written)),
      }),
      waiting: [],
      waitingBytes: 0,
      waitingTimer: null,
    };
    // No 'update' listener on the document: with one, Yjs encodes every transaction again as an
    // update, and what a client sent is already that update (see `applyAndRelay`).
    awareness.on('update', (change: AwarenessChange, origin: PresenceOrigin | 'timeout' | 'local') => {
      if (this.registry.loaded(roomId, docName)?.awareness !== awareness) return;
      const changed = [...change.added, ...change.updated, ...change.removed];
      if (changed.length === 0) return;
      const typed = presenceOriginOf(origin);
      // A client's own message, already checked, and another node's go on as they came; other
      // changes (a socket that left, a time-out) are encoded from the states.
      const message = ('message' in typed ? typed.message : undefined) ?? awarenessMessage(awareness, changed);
      this.relayed('presence', roomId, docName, () => this.relay.presence(roomId, docName, message, typed));
    });
    for (const { update, node } of early.updates.splice(0)) this.integrateRemote(loaded, update, node);
    early.bytes = 0;
    this.relayed('loaded', roomId, docName, () => this.relay.loaded(roomId, docName));
    return loaded;
  }

  private integrateRemote(loaded: Loaded, update: Uint8Array, node: string): boolean {
    try {
      this.checkAndIntegrate(loaded, update, { kind: 'remote', node });
    } catch (err) {
      const code = err instanceof AppError ? err.code : 'INTERNAL';
      const { roomId, docName } = loaded.admission;
      this.logger.warn({ roomId, docName, node, bytes: update.byteLength, code }, 'remote update refused');
      return false;
    }
    return true;
  }

  /**
   * Checks and applies at once (throwing the refusal); returns the write of the update, which
   * the caller awaits outside the document's lock.
   */
  private checkApplyStore(roomId: string, docName: string, update: Uint8Array, origin: RelayedOrigin): Promise<void> {
    const loaded = this.requireLoaded(roomId, docName);
    return this.checkAndIntegrate(loaded, update, origin) ?? loaded.log.lastWrite;
  }

  /**
   * Admits an update (documentAdmission.ts) and integrates it, or keeps it waiting for what it
   * builds on (RD-07). Returns the write of the update once applied (null for another node's
   * update, which that node stored, or an update with nothing in it: answered once the writes
   * before it are, so answers keep their order), or a promise settled when a waiting update is
   * applied or dropped.
   */
  private checkAndIntegrate(loaded: Loaded, update: Uint8Array, origin: RelayedOrigin): Promise<void> | null {
    const admission = admitUpdate(loaded.admission, loaded.doc, update);
    if (admission.kind === 'empty') return null;
    if (admission.kind === 'waiting') return this.hold(loaded, update, origin, admission.needs);
    const stored = this.integrate(loaded, update, admission.structure, origin);
    this.releaseWaiting(loaded);
    return stored;
  }

  /** Applies, relays and stores an update that builds only on what the document holds. */
  private integrate(loaded: Loaded, update: Uint8Array, structure: UpdateStructure, origin: RelayedOrigin): Promise<void> | null {
    admitIntegration(loaded.admission, loaded.doc, loaded.size, update, structure);
    // Applied and relayed to the other holders before the write (RD-09): the partner does not
    // wait for the disk, and the sender's ack still waits for it. Nothing checked above is undone.
    try {
      this.applyAndRelay(loaded, update, origin);
    } catch (err) {
      const { roomId, docName } = loaded.admission;
      this.logger.error({ roomId, docName, bytes: update.byteLength, err: errorText(err) }, 'a checked update failed to apply');
      throw new AppError('UPDATE_MALFORMED');
    }
    loaded.size.approxBytes += update.byteLength;
    loaded.size.approxExact = false;
    // Another node stored its own update already (RD-14).
    if (origin.kind === 'remote') return null;
    return loaded.log.append(update);
  }

  /**
   * Keeps an update that builds on something the document lacks, outside the document: with
   * several nodes, a device's edit can arrive before the other node's edit it builds on (they
   * travel on different channels), so it waits for it. Bounded in count, bytes and age
   * (`WaitingLimits`); past any bound the update is refused with UPDATE_INCOMPLETE, nothing
   * kept. The sender's answer waits until it is applied and stored, or dropped (RD-07).
   */
  private hold(loaded: Loaded, update: Uint8Array, origin: RelayedOrigin, needs: readonly Need[]): Promise<void> | null {
    const limits = this.waitingLimits;
    if (loaded.waiting.length >= limits.maxUpdates || loaded.waitingBytes + update.byteLength > limits.maxBytes) {
      const { roomId, docName } = loaded.admission;
      this.logger.warn({ roomId, docName, bytes: update.byteLength, waiting: loaded.waiting.length }, 'update refused: too much waits for missing updates');
      throw new AppError('UPDATE_INCOMPLETE');
    }
    let settle: WaitingUpdate['settle'] = null;
    const answered = origin.kind === 'remote' ? null : new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    loaded.waiting.push({ update, origin, since: Date.now(), needs, settle });
    loaded.waitingBytes += update.byteLength;
    this.scheduleExpiry(loaded);
    return answered;
  }

  /** Applies, in arrival order, every waiting update that the document now completes. */
  private releaseWaiting(loaded: Loaded): void {
    let progressed = true;
    while (progressed && loaded.waiting.length > 0) {
      progressed = false;
      for (const waiting of [...loaded.waiting]) {
        if (!needsMet(loaded.doc, waiting.needs)) continue;
        let stored: Promise<void> | null;
        try {
          const structure = readUpdateStructure(waiting.update);
          const admission = readinessAdmission(loaded.admission, loaded.doc, waiting.update, structure);
          if (admission.kind === 'waiting') {
            waiting.needs = admission.needs;
            continue;
          }
          removeWaiting(loaded, waiting);
          progressed = true;
          stored = this.integrate(loaded, waiting.update, structure, waiting.origin);
        } catch (err) {
          removeWaiting(loaded, waiting);
          progressed = true;
          waiting.settle?.reject(err);
          continue;
        }
        if (waiting.settle) (stored ?? loaded.log.lastWrite).then(waiting.settle.resolve, waiting.settle.reject);
      }
    }
  }

  /** One timer per document with updates waiting, for the oldest; unref'd, so it never keeps the process up. */
  private scheduleExpiry(loaded: Loaded): void {
    if (loaded.waitingTimer || loaded.waiting.length === 0) return;
    const oldest = loaded.waiting[0] as WaitingUpdate;
    const delay = Math.max(0, oldest.since + this.waitingLimits.maxAgeMs - Date.now());
    loaded.waitingTimer = setTimeout(() => {
      loaded.waitingTimer = null;
      const now = Date.now();
      const expired = loaded.waiting.filter((waiting) => now - waiting.since >= this.waitingLimits.maxAgeMs);
      const { roomId, docName } = loaded.admission;
      if (expired.length > 0) this.logger.warn({ roomId, docName, dropped: expired.length }, 'updates dropped: what they build on never arrived');
      dropWaiting(loaded, expired);
      this.scheduleExpiry(loaded);
    }, delay);
    loaded.waitingTimer.unref?.();
  }

  /**
   * Applies a checked update and relays what changed (RD-09). A device's update while it types
   * (tens of bytes, everything in it new) is passed on as it came: Yjs encoding the transaction
   * again would give the same bytes, and that encoding is a sizeable part of the server's work
   * per keystroke (docs/benchmarks.md). Yjs encodes what changed only where the two may differ:
   * a large update, mostly a device's whole copy sent on reconnecting (the partner should get
   * only what is new to the room), and any update while the document holds parts waiting for a
   * missing one (if this update is that missing part, the waiting parts are integrated with it,
   * and Yjs's encoding carries them too).
   */
  private applyAndRelay(loaded: Loaded, update: Uint8Array, origin: RelayedOrigin): void {
    const { doc } = loaded;
    if (update.byteLength > RELAY_AS_SENT_MAX_BYTES || doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
      let changed: Uint8Array | null = null;
      const capture = (encoded: Uint8Array) => (changed = encoded);
      doc.on('update', capture);
      try {
        Y.applyUpdate(doc, update, origin);
      } finally {
        doc.off('update', capture);
      }
      if (changed) this.relayUpdate(loaded, changed, origin);
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
    if (transaction !== null && changedAnything(transaction)) this.relayUpdate(loaded, update, origin);
  }

  private relayUpdate(loaded: Loaded, update: Uint8Array, origin: RelayedOrigin): void {
    const { roomId, docName } = loaded.admission;
    this.relayed('update', roomId, docName, () => this.relay.update(roomId, docName, update, origin));
  }

  /** A relay's failure is logged and goes no further: the change is applied whatever a relay does with it. */
  private relayed(what: keyof DocumentRelay, roomId: string, docName: string, send: () => void): void {
    try {
      send();
    } catch (err) {
      this.logger.error({ roomId, docName, relay: what, err: errorText(err) }, 'relaying a document change failed');
    }
  }

  private requireLoaded(roomId: string, docName: string): Loaded {
    const loaded = this.registry.loaded(roomId, docName);
    if (!loaded) throw notOpen();
    return loaded;
  }
}

/** Above this size an update is relayed as Yjs encodes what it changed (see `applyAndRelay`). */
const RELAY_AS_SENT_MAX_BYTES = 2048;

const notOpen = () => new AppError('NOT_IN_ROOM', 'Open this document before sending changes to it.');

/** Yjs's own test for whether a transaction makes an update (`writeUpdateMessageFromTransaction`). */
function changedAnything(transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of transaction.afterState) if (transaction.beforeState.get(client) !== clock) return true;
  return false;
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
