import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { YClient, type ClientHandlers } from './yClient';

const OPEN_TIMEOUT_MS = 30_000;

/** Shared by the raw-WebSocket peers: one ws per device, binary frames only. */
abstract class WsClient extends YClient {
  protected ws: WebSocket | null = null;

  protected connectWs(url: string): Promise<void> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    this.ws = ws;
    ws.on('message', (data: Buffer) => {
      const at = performance.now();
      try {
        this.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
      } catch (err) {
        this.handlers.onError(`receive: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    ws.on('close', () => {
      if (!this.closing) this.handlers.onError('socket closed by the server');
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no connection within ${OPEN_TIMEOUT_MS} ms`)), OPEN_TIMEOUT_MS);
      ws.once('open', () => {
        clearTimeout(timer);
        resolve();
      });
      ws.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  protected abstract receive(message: Uint8Array, at: number): void;

  protected send(message: Uint8Array): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(message);
  }

  protected disconnect(): void {
    this.ws?.close();
  }
}

/** y-websocket's own protocol: one URL per document, y-protocols messages as they are. */
export class YWebsocketClient extends WsClient {
  constructor(
    private readonly url: string,
    handlers: ClientHandlers,
  ) {
    super(handlers);
  }

  async open(): Promise<void> {
    const synced = this.whenSynced(OPEN_TIMEOUT_MS, 'y-websocket');
    await this.connectWs(this.url);
    this.send(this.syncStep1());
    await synced;
  }

  protected transmit(message: Uint8Array): void {
    this.send(message);
  }

  protected receive(message: Uint8Array, at: number): void {
    this.receiveYMessage(decoding.createDecoder(message), encoding.createEncoder(), at);
  }
}

const HP_AUTH = 2;
const HP_SYNC_STATUS = 8;
const HP_AUTH_TOKEN = 0;

/**
 * Hocuspocus's provider protocol, written directly (as @hocuspocus/provider 3 frames it): every
 * message starts with the document name; the first is an auth message with a token.
 */
export class HocuspocusClient extends WsClient {
  private readonly prefix: Uint8Array;

  constructor(
    private readonly url: string,
    private readonly documentName: string,
    handlers: ClientHandlers,
  ) {
    super(handlers);
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, documentName);
    this.prefix = encoding.toUint8Array(encoder);
  }

  async open(): Promise<void> {
    const synced = this.whenSynced(OPEN_TIMEOUT_MS, 'hocuspocus');
    await this.connectWs(this.url);
    const auth = encoding.createEncoder();
    encoding.writeVarString(auth, this.documentName);
    encoding.writeVarUint(auth, HP_AUTH);
    encoding.writeVarUint(auth, HP_AUTH_TOKEN);
    encoding.writeVarString(auth, '');
    this.send(encoding.toUint8Array(auth));
    this.send(this.syncStep1((e) => encoding.writeVarString(e, this.documentName)));
    await synced;
  }

  protected transmit(message: Uint8Array, kind: 'update' | 'awareness' | 'sync'): void {
    // Replies built by receiveYMessage already carry the prefix.
    if (kind === 'sync') return this.send(message);
    const framed = new Uint8Array(this.prefix.length + message.length);
    framed.set(this.prefix, 0);
    framed.set(message, this.prefix.length);
    this.send(framed);
  }

  protected receive(message: Uint8Array, at: number): void {
    const decoder = decoding.createDecoder(message);
    decoding.readVarString(decoder);
    const start = decoder.pos;
    const type = decoding.readVarUint(decoder);
    if (type === HP_AUTH || type === HP_SYNC_STATUS) return;
    decoder.pos = start;
    const reply = encoding.createEncoder();
    encoding.writeVarString(reply, this.documentName);
    this.receiveYMessage(decoder, reply, at);
  }
}

/**
 * The floor: a relay that forwards bytes to the other sockets of the room and understands
 * nothing. There is no server state, so nothing to sync.
 */
export class RelayClient extends WsClient {
  constructor(
    private readonly url: string,
    handlers: ClientHandlers,
  ) {
    super(handlers);
  }

  async open(): Promise<void> {
    await this.connectWs(this.url);
  }

  protected transmit(message: Uint8Array, kind: 'update' | 'awareness' | 'sync'): void {
    if (kind !== 'sync') this.send(message);
  }

  protected receive(message: Uint8Array, at: number): void {
    this.receiveYMessage(decoding.createDecoder(message), encoding.createEncoder(), at);
  }
}
