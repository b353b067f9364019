import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { YjsMessageType } from '../../../shared/documents/yjsMessages';

/** Origin of changes that came from the server, so they are not sent back. */
export const REMOTE_ORIGIN = Object.freeze({ remote: true });

export interface ClientHandlers {
  /** An update another device made, as the server forwarded it; `at` is performance.now() on arrival. */
  onRemoteUpdate(update: Uint8Array, at: number): void;
  onAwareness(): void;
  onError(message: string): void;
  /** A refusal in an ack (ours only), by error code. */
  onRefusal(code: string): void;
}

/**
 * One simulated device: a Y.Doc with a Tiptap-like layout (`notes`, a Y.XmlFragment of
 * paragraphs), presence, and a transport that subclasses provide. Typing appends one character
 * to this device's own paragraph: one Yjs item, so one clock tick, which is the edit's marker.
 */
export abstract class YClient {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  private paragraph: Y.XmlText | null = null;
  protected synced: () => void = () => undefined;
  protected closing = false;

  constructor(protected readonly handlers: ClientHandlers) {
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE_ORIGIN) this.transmit(frameUpdate(update), 'update');
    });
    this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (origin === REMOTE_ORIGIN || this.closing) return;
      const changed = [...added, ...updated, ...removed];
      this.transmit(frameAwareness(encodeAwarenessUpdate(this.awareness, changed)), 'awareness');
    });
  }

  /** Connects, joins, and resolves once the server's state arrived (sync step 2). */
  abstract open(): Promise<void>;
  /** Sends one y-protocols message (already framed as y-websocket frames it). */
  protected abstract transmit(message: Uint8Array, kind: 'update' | 'awareness' | 'sync'): void;
  protected abstract disconnect(): void;

  /** After the initial sync: this device's own paragraph to type into. */
  prepare(name: string): void {
    const fragment = this.doc.getXmlFragment('notes');
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    fragment.insert(fragment.length, [paragraph]);
    this.paragraph = text;
    this.awareness.setLocalState({ user: { name }, cursor: null });
  }

  /** The id (client:clock) the next keystroke's item will get. */
  nextMarker(): string {
    return `${this.doc.clientID}:${Y.getState(this.doc.store, this.doc.clientID)}`;
  }

  type(char: string): void {
    const text = this.paragraph;
    if (!text) throw new Error('prepare() first');
    text.insert(text.length, char);
  }

  moveCursor(position: number): void {
    this.awareness.setLocalStateField('cursor', { anchor: position, head: position });
  }

  close(): void {
    this.closing = true;
    this.disconnect();
    this.awareness.destroy();
    this.doc.destroy();
  }

  /**
   * Handles the y-protocols part of a message (after any transport prefix). Replies (our step 2
   * to the server's step 1) are written to `reply`, which already holds the transport prefix.
   */
  protected receiveYMessage(decoder: decoding.Decoder, reply: encoding.Encoder, at: number): void {
    const type = decoding.readVarUint(decoder);
    if (type === YjsMessageType.awareness) {
      this.handlers.onAwareness();
      return;
    }
    // 4: Hocuspocus's SyncReply, a sync message that asks for no step 1 back.
    if (type !== YjsMessageType.sync && type !== 4) return;
    encoding.writeVarUint(reply, YjsMessageType.sync);
    const syncType = decoding.readVarUint(decoder);
    switch (syncType) {
      case syncProtocol.messageYjsSyncStep1:
        syncProtocol.readSyncStep1(decoder, reply, this.doc);
        this.transmit(encoding.toUint8Array(reply), 'sync');
        return;
      case syncProtocol.messageYjsSyncStep2:
        Y.applyUpdate(this.doc, decoding.readVarUint8Array(decoder), REMOTE_ORIGIN);
        this.synced();
        return;
      case syncProtocol.messageYjsUpdate: {
        const update = decoding.readVarUint8Array(decoder);
        this.handlers.onRemoteUpdate(update, at);
        Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
        return;
      }
      default:
        this.handlers.onError(`unknown sync message ${syncType}`);
    }
  }

  protected syncStep1(prefix?: (encoder: encoding.Encoder) => void): Uint8Array {
    const encoder = encoding.createEncoder();
    prefix?.(encoder);
    encoding.writeVarUint(encoder, YjsMessageType.sync);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    return encoding.toUint8Array(encoder);
  }

  protected whenSynced(timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what}: no sync step 2 within ${timeoutMs} ms`)), timeoutMs);
      this.synced = () => {
        clearTimeout(timer);
        this.synced = () => undefined;
        resolve();
      };
    });
  }
}

export function frameUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, YjsMessageType.sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function frameAwareness(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, YjsMessageType.awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}
