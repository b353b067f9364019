import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as sync from 'y-protocols/sync';
import * as Y from 'yjs';
import type { DocName } from '../../../shared/protocol/documents';
import { errorMessages } from '../../../shared/protocol/errors';
import { codeOf, messageOf, request, type AppSocket } from '../realtime/connection';
import { YjsMessageType } from '../../../shared/documents/yjsMessages';
import { SendBudget } from './sendBudget';

const { sync: MESSAGE_SYNC, awareness: MESSAGE_AWARENESS } = YjsMessageType;
/** Document sends allowed at once, and then a second (sendBudget.ts says why these). */
const SEND_BURST = 6;
const SENDS_PER_SECOND = 18;
const AWARENESS_MS = 120;
/**
 * Presence is relayed as a volatile emit, which Socket.IO drops whenever the partner's
 * connection is still writing something else (an edit relayed a moment before): the last move
 * of a burst could be lost, leaving this caret where it was until y-protocols' 15 s renewal.
 * So it goes once more when the moves have stopped this long.
 */
const AWARENESS_SETTLED_MS = 1000;
const RETRY_MS = 1500;
/**
 * Refusals that pass: the change stays here and goes with the next handshake (for
 * UPDATE_INCOMPLETE, an edit built on one that had not reached the server: the handshake sends
 * what the server lacks whole).
 */
const TRANSIENT = new Set(['RATE_LIMITED', 'INTERNAL', 'UPDATE_INCOMPLETE', null]);

/** What the quiet status line says. */
export type SyncState =
  | { kind: 'offline' }
  | { kind: 'syncing' }
  | { kind: 'saved' }
  | { kind: 'problem'; message: string };

/**
 * y-protocols sync and awareness over the app's Socket.IO connection, one document per
 * provider. The room connection owns joining; this provider is told when the socket has its
 * seat (`setJoined`) and then runs the sync handshake again (sync step 1), so whatever was
 * written offline, or missed while away, is exchanged on every return.
 */
export class SocketIOProvider {
  readonly awareness: Awareness;
  private joined = false;
  private pending = 0;
  private syncedSinceJoin = false;
  private problem: string | null = null;
  private state: SyncState = { kind: 'offline' };
  private readonly listeners = new Set<(state: SyncState) => void>();
  private queued: Uint8Array[] = [];
  /** edits sent and not yet acknowledged; while there are any, new edits wait and go together */
  private updatesInFlight = 0;
  /** grows on every join and leave, so an ack from before one does not release the edits after it */
  private era = 0;
  private readonly budget = new SendBudget(SEND_BURST, SENDS_PER_SECOND);
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private awarenessTimer: ReturnType<typeof setTimeout> | null = null;
  private awarenessSettledTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly socket: AppSocket,
    readonly doc: Y.Doc,
    readonly docName: DocName,
  ) {
    this.awareness = new Awareness(doc);
    doc.on('update', this.onDocUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
    socket.on('doc:message', this.onMessage);
    socket.on('disconnect', this.onDisconnect);
  }

  get syncState(): SyncState {
    return this.state;
  }

  /** Has this device received the server's copy since it last joined? */
  get synced(): boolean {
    return this.syncedSinceJoin;
  }

  onState(listener: (state: SyncState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Call with true each time the room connection has (re)joined the room. */
  setJoined(joined: boolean): void {
    if (joined === this.joined) return;
    this.joined = joined;
    this.syncedSinceJoin = false;
    this.era += 1;
    this.updatesInFlight = 0;
    // Whatever was queued is in the document, so the handshake carries it.
    this.dropQueued();
    if (joined) {
      this.handshake();
      if (this.awareness.getLocalState() !== null) this.sendAwareness();
    } else {
      this.forgetOthers();
    }
    this.refresh();
  }

  /** Sync step 1: the server answers with what we lack, then asks for what it lacks. */
  private handshake(): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    sync.writeSyncStep1(encoder, this.doc);
    void this.send(encoding.toUint8Array(encoder));
  }

  destroy(): void {
    if (this.joined && this.socket.connected) {
      // Tell the others this cursor is gone now rather than after the 30 s timeout.
      removeAwarenessStates(this.awareness, [this.doc.clientID], 'local');
      this.sendAwareness();
      this.flush();
    }
    for (const timer of [this.flushTimer, this.awarenessTimer, this.awarenessSettledTimer, this.retryTimer]) if (timer) clearTimeout(timer);
    this.doc.off('update', this.onDocUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.socket.off('doc:message', this.onMessage);
    this.socket.off('disconnect', this.onDisconnect);
    this.awareness.destroy();
    this.listeners.clear();
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this) return;
    if (!this.canSend()) {
      this.refresh();
      return;
    }
    this.queued.push(update);
    this.flushWhenFree();
    this.refresh();
  };

  /**
   * An edit goes at once when nothing is on its way; while an edit waits for its ack, the
   * ones after it gather and go together when the ack comes, so a burst of typing is a few
   * messages and the partner sees a keystroke one round trip after it is made. While a
   * refusal waits for its retry, the retry's handshake carries them.
   */
  private flushWhenFree(): void {
    if (this.updatesInFlight > 0 || this.flushTimer !== null || this.retryTimer !== null) return;
    const wait = this.budget.waitMs();
    if (wait === 0) this.flush();
    else this.flushTimer = setTimeout(this.flush, wait);
  }

  /**
   * Sends what is still waiting now, even while an edit is on its way. The server handles a
   * socket's messages in order, so a command sent right after (agreeing to the words) is judged
   * on the words this device has written, not on the ones from before its last keystrokes.
   */
  sendPendingNow(): void {
    this.flush();
  }

  private readonly flush = () => {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.queued.length === 0 || !this.canSend()) return;
    const update = this.queued.length === 1 ? this.queued[0]! : Y.mergeUpdates(this.queued);
    this.queued = [];
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    sync.writeUpdate(encoder, update);
    this.budget.spend();
    this.updatesInFlight += 1;
    const era = this.era;
    // The next edits wait on this ack, so it is asked for at once (no `lazyAck`).
    void this.send(encoding.toUint8Array(encoder)).then(() => {
      if (era !== this.era) return;
      this.updatesInFlight -= 1;
      if (this.queued.length > 0) this.flushWhenFree();
    });
  };

  private dropQueued(): void {
    this.queued = [];
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
  }

  private readonly onAwarenessUpdate = (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    if (origin === this || !this.canSend()) return;
    const mine = [...change.added, ...change.updated, ...change.removed].some((id) => id === this.doc.clientID);
    if (!mine) return;
    if (this.awarenessSettledTimer !== null) clearTimeout(this.awarenessSettledTimer);
    this.awarenessSettledTimer = setTimeout(() => {
      this.awarenessSettledTimer = null;
      if (this.canSend()) this.sendAwareness();
    }, AWARENESS_SETTLED_MS);
    this.awarenessTimer ??= setTimeout(() => {
      this.awarenessTimer = null;
      if (this.canSend()) this.sendAwareness();
    }, AWARENESS_MS);
  };

  private readonly onMessage = (payload: { doc: string; message: Uint8Array | ArrayBuffer }) => {
    if (payload.doc !== this.docName) return;
    try {
      const decoder = decoding.createDecoder(new Uint8Array(payload.message));
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_SYNC) {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MESSAGE_SYNC);
        const syncType = sync.readSyncMessage(decoder, encoder, this.doc, this);
        if (encoding.length(encoder) > 1 && this.canSend()) void this.send(encoding.toUint8Array(encoder));
        if (syncType === sync.messageYjsSyncStep2 && this.joined) {
          this.syncedSinceJoin = true;
          this.refresh();
        }
      } else if (type === MESSAGE_AWARENESS) {
        applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
      }
    } catch {
      // A message we cannot read changes nothing here; the next sync handshake repairs any gap.
    }
  };

  private readonly onDisconnect = () => this.setJoined(false);

  private canSend(): boolean {
    return this.joined && this.socket.connected;
  }

  /**
   * Document messages count towards "syncing" and report refusals; presence is best effort.
   * Resolves once the ack (or refusal) is handled.
   */
  private send(bytes: Uint8Array, tracked = true): Promise<void> {
    // lib0 types its output as Uint8Array<ArrayBufferLike>; it always sits on an ArrayBuffer
    const message = bytes as Uint8Array<ArrayBuffer>;
    if (!tracked) {
      // Presence asks for no ack (see shared/protocol/documents.ts): the next move resends it.
      this.socket.emit('doc:message', { doc: this.docName, message });
      return Promise.resolve();
    }
    const sent = request('doc:message', { doc: this.docName, message });
    this.pending += 1;
    this.refresh();
    return sent
      .then(
        () => {
          this.problem = null;
        },
        (err: unknown) => {
          // A send cut off by the network is carried by the next handshake. A passing refusal
          // (too many events at once) is retried by a handshake soon; any other is said.
          if (!this.socket.connected) return;
          if (TRANSIENT.has(codeOf(err))) this.scheduleRetry();
          else this.problem = messageOf(err) || errorMessages.INTERNAL;
        },
      )
      .finally(() => {
        this.pending -= 1;
        this.refresh();
      });
  }

  private scheduleRetry(): void {
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = null;
      if (!this.canSend()) return;
      // What gathered meanwhile is in the document, so the handshake carries it.
      this.dropQueued();
      this.handshake();
    }, RETRY_MS);
  }

  private sendAwareness(): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(this.awareness, [this.doc.clientID]));
    void this.send(encoding.toUint8Array(encoder), false);
  }

  private forgetOthers(): void {
    const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
    if (others.length > 0) removeAwarenessStates(this.awareness, others, this);
  }

  private refresh(): void {
    let next: SyncState;
    if (!this.canSend()) next = { kind: 'offline' };
    else if (this.problem) next = { kind: 'problem', message: this.problem };
    else if (this.pending > 0 || this.queued.length > 0 || this.retryTimer !== null || !this.syncedSinceJoin) next = { kind: 'syncing' };
    else next = { kind: 'saved' };
    if (sameState(next, this.state)) return;
    this.state = next;
    for (const listener of this.listeners) listener(next);
  }
}

function sameState(a: SyncState, b: SyncState): boolean {
  return a.kind === b.kind && (a.kind !== 'problem' || a.message === (b as { message: string }).message);
}
