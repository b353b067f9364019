import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { SocketIOWire, type SocketIOConnectOptions } from './socketIOWire';
import { YClient } from './yClient';

/** What a `doc:message` event carries, in both directions. */
export interface DocMessage {
  doc: string;
  message: Uint8Array;
}

/**
 * A device whose y-protocols messages travel as binary Socket.IO `doc:message` events: ours and
 * the Socket.IO relay. Both connect and receive through this one class, so whatever the two
 * systems' figures differ by is the server's doing, not the client's.
 */
export abstract class SocketIOYClient extends YClient {
  protected wire: SocketIOWire | null = null;

  protected async connectWire(url: string, options: SocketIOConnectOptions): Promise<SocketIOWire> {
    const wire = await SocketIOWire.connect(url, options, (event, args) => this.onEvent(event, args), (reason) => {
      if (!this.closing) this.handlers.onError(`disconnected: ${reason}`);
    });
    this.wire = wire;
    return wire;
  }

  /** Subclasses that listen to more events handle them first and pass the rest on. */
  protected onEvent(event: string, args: unknown[]): void {
    if (event !== 'doc:message') return;
    const at = performance.now();
    const payload = args[0] as DocMessage;
    if (payload.doc !== 'agreements') return;
    try {
      this.receiveYMessage(decoding.createDecoder(new Uint8Array(payload.message)), encoding.createEncoder(), at);
    } catch (err) {
      this.handlers.onError(`receive: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  protected disconnect(): void {
    this.wire?.close();
  }
}
