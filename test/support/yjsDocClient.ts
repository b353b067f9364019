import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { DocName } from '../../shared/protocol/documents';
import type { Ack } from '../../shared/protocol/errors';
import { connectClient, request, type ClientSocket } from './socketClient';
import { syncStep1Message, syncUpdateMessage } from './syncMessages';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;

/**
 * A device in a test: a real socket.io-client and a Y.Doc speaking y-protocols with the server,
 * the way the app's SocketIOProvider does, without any of the app's client code.
 */
export class YjsDocClient {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  /** every doc:message this client received, decoded only as far as its type */
  readonly received: Array<{ doc: string; type: number }> = [];
  private online = false;
  private pending = new Set<Promise<unknown>>();
  private syncedOnce: Promise<void> = Promise.resolve();
  private markSynced: () => void = () => {};
  readonly refusals: Ack[] = [];

  private constructor(
    readonly socket: ClientSocket,
    readonly docName: string,
    private readonly credentials: { roomId: string; deviceToken: string },
  ) {
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this || !this.online) return;
      this.send(syncUpdateMessage(update));
    });
    this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (origin === this || !this.online) return;
      this.sendAwareness([...added, ...updated, ...removed]);
    });
    (socket as unknown as { on(e: string, f: (p: { doc: string; message: Uint8Array }) => void): void }).on('doc:message', (payload) =>
      this.receive(payload),
    );
  }

  static async connect(url: string, credentials: { roomId: string; deviceToken: string }, docName = 'agreements'): Promise<YjsDocClient> {
    const socket = await connectClient(url);
    const client = new YjsDocClient(socket, docName, credentials);
    await client.join();
    return client;
  }

  /** Joins the room and runs the sync handshake; resolves once the server's state is here. */
  async join(): Promise<void> {
    const joined = await request(this.socket, 'room:join', this.credentials);
    if (!joined.ok) throw new Error(`join refused: ${joined.error.code}`);
    this.online = true;
    this.syncedOnce = new Promise((resolve) => (this.markSynced = resolve));
    this.send(syncStep1Message(this.doc));
    if (this.awareness.getLocalState() !== null) this.sendAwareness([this.doc.clientID]);
    await this.syncedOnce;
  }

  /** Goes offline: edits stay in the doc until `reconnect`. */
  disconnect(): void {
    this.online = false;
    this.socket.disconnect();
  }

  async reconnect(): Promise<void> {
    this.socket.connect();
    await new Promise<void>((resolve) => (this.socket.connected ? resolve() : this.socket.once('connect', () => resolve())));
    await this.join();
  }

  /** Sends raw bytes and returns the ack. */
  sendRaw(message: Uint8Array, doc: string = this.docName): Promise<Ack> {
    return request(this.socket, 'doc:message', { doc, message });
  }

  /** Every message sent so far has been acknowledged (so, stored). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Resolves when the doc satisfies the check, re-checking on each change; no polling. */
  waitFor(check: (doc: Y.Doc) => boolean, timeoutMs = 10_000): Promise<void> {
    return once(
      () => check(this.doc),
      (listener) => {
        this.doc.on('update', listener);
        return () => this.doc.off('update', listener);
      },
      timeoutMs,
      'the document',
    );
  }

  /** Resolves when the presence states satisfy the check, re-checking on each change. */
  waitForAwareness(check: (states: Map<number, Record<string, unknown>>) => boolean, timeoutMs = 10_000): Promise<void> {
    return once(
      () => check(this.awareness.getStates()),
      (listener) => {
        this.awareness.on('change', listener);
        return () => this.awareness.off('change', listener);
      },
      timeoutMs,
      'presence',
    );
  }

  close(): void {
    this.online = false;
    this.socket.disconnect();
    this.awareness.destroy();
    this.doc.destroy();
  }

  private send(message: Uint8Array): void {
    // A send cut off by a disconnect is not lost: the next join's sync handshake carries it.
    const sent = this.sendRaw(message).then(
      (ack) => {
        if (!ack.ok) this.refusals.push(ack);
      },
      () => undefined,
    );
    this.pending.add(sent);
    void sent.finally(() => this.pending.delete(sent));
  }

  private sendAwareness(clients: number[]): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
    // As the app does: presence asks for no ack.
    if (this.socket.connected) this.socket.emit('doc:message', { doc: this.docName as DocName, message: encoding.toUint8Array(encoder) });
  }

  private receive({ doc, message }: { doc: string; message: Uint8Array }): void {
    const decoder = decoding.createDecoder(new Uint8Array(message));
    const type = decoding.readVarUint(decoder);
    this.received.push({ doc, type });
    if (doc !== this.docName) return;
    if (type === MESSAGE_SYNC) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      const syncType = syncProtocol.readSyncMessage(decoder, encoder, this.doc, this);
      if (syncType === syncProtocol.messageYjsSyncStep2) this.markSynced();
      if (encoding.length(encoder) > 1) this.send(encoding.toUint8Array(encoder));
    } else if (type === MESSAGE_AWARENESS) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
    }
  }
}

/** Resolves once `holds()`, checking again on each change `listen` reports (it returns how to stop listening). */
function once(holds: () => boolean, listen: (listener: () => void) => () => void, timeoutMs: number, what: string): Promise<void> {
  if (holds()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const stop = listen(() => {
      if (!holds()) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
  });
}
