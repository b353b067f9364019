import { SocketIOYClient, type DocMessage } from './socketIOYClient';
import type { ClientHandlers } from './yClient';

/**
 * A device of the Socket.IO relay (servers/peerServers.ts): the same wire and the same
 * `doc:message` events as ours, but no room to join beyond the handshake's `?room=`, and no acks,
 * since the relay stores nothing to acknowledge. Like the bare relay's client, it sends no sync
 * step 1: there is no server document to answer it, and the partners start empty.
 */
export class SocketIORelayClient extends SocketIOYClient {
  constructor(
    private readonly url: string,
    private readonly room: string,
    handlers: ClientHandlers,
  ) {
    super(handlers);
  }

  async open(): Promise<void> {
    await this.connectWire(this.url, { query: { room: this.room } });
  }

  protected transmit(message: Uint8Array, kind: 'update' | 'awareness' | 'sync'): void {
    if (kind === 'sync') return;
    const payload: DocMessage = { doc: 'agreements', message };
    this.wire?.emit('doc:message', [payload]);
  }
}
