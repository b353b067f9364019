import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';
import WebSocket from 'ws';

const OPEN_TIMEOUT_MS = 30_000;

export type EventListener = (event: string, args: unknown[]) => void;

export interface SocketIOConnectOptions {
  /** added to the handshake URL, where the server reads it as `socket.handshake.query` */
  query?: Record<string, string>;
  /** sent with the CONNECT packet, where the server reads it as `socket.handshake.auth` */
  auth?: Record<string, unknown>;
}

/**
 * One Socket.IO connection to the main namespace (engine.io v4, socket.io v5) over a raw `ws`
 * socket, reduced to emit, acks and events; packets are encoded and decoded by socket.io-parser,
 * the library the servers use. Shared by every bench device that speaks Socket.IO, so ours and the
 * Socket.IO relay pay the same client-side cost.
 */
export class SocketIOWire {
  private readonly encoder = new Encoder();
  private readonly decoder = new Decoder();
  private readonly acks = new Map<number, (ack: unknown) => void>();
  private nextAckId = 0;
  private connected = false;
  private whenConnected: (err?: Error) => void = () => undefined;

  private constructor(
    private readonly ws: WebSocket,
    private readonly connectPacket: string,
    private readonly onEvent: EventListener,
  ) {
    this.decoder.on('decoded', (packet: Packet) => this.onPacket(packet));
  }

  static connect(url: string, options: SocketIOConnectOptions, onEvent: EventListener, onClose: (reason: string) => void): Promise<SocketIOWire> {
    const query = new URLSearchParams({ EIO: '4', transport: 'websocket', ...options.query });
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?${query.toString()}`, { perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    const wire = new SocketIOWire(ws, options.auth ? `40${JSON.stringify(options.auth)}` : '40', onEvent);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no connection within ${OPEN_TIMEOUT_MS} ms`)), OPEN_TIMEOUT_MS);
      wire.whenConnected = (err) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(wire);
      };
      ws.on('message', (data: Buffer, isBinary: boolean) => wire.onFrame(data, isBinary));
      ws.on('close', (code) => {
        clearTimeout(timer);
        if (!wire.connected) reject(new Error(`closed before connecting (${code})`));
        else onClose(`closed (${code})`);
        wire.connected = false;
      });
      ws.on('error', (err) => {
        if (!wire.connected) {
          clearTimeout(timer);
          reject(err);
        }
      });
    });
  }

  emit(event: string, args: unknown[], ack?: (ack: unknown) => void): void {
    if (!this.connected) return;
    const packet: Packet = { type: PacketType.EVENT, nsp: '/', data: [event, ...args] };
    if (ack) {
      packet.id = this.nextAckId++;
      this.acks.set(packet.id, ack);
    }
    for (const part of this.encoder.encode(packet)) this.ws.send(typeof part === 'string' ? `4${part}` : part);
  }

  request(event: string, ...args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${event}: no answer within ${OPEN_TIMEOUT_MS} ms`)), OPEN_TIMEOUT_MS);
      this.emit(event, args, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
  }

  close(): void {
    this.connected = false;
    this.ws.close();
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    if (isBinary) return this.decoder.add(data);
    const text = data.toString();
    switch (text[0]) {
      case '0': // engine.io open: ask to join the main namespace
        this.ws.send(this.connectPacket);
        return;
      case '2': // engine.io ping
        this.ws.send('3');
        return;
      case '4':
        this.decoder.add(text.slice(1));
        return;
      default:
      // '1' close, '6' noop: nothing to do
    }
  }

  private onPacket(packet: Packet): void {
    switch (packet.type) {
      case PacketType.CONNECT:
        this.connected = true;
        this.whenConnected();
        return;
      case PacketType.CONNECT_ERROR:
        this.whenConnected(new Error(`connect refused: ${JSON.stringify(packet.data)}`));
        return;
      case PacketType.EVENT:
      case PacketType.BINARY_EVENT: {
        const [event, ...args] = packet.data as [string, ...unknown[]];
        this.onEvent(event, args);
        return;
      }
      case PacketType.ACK:
      case PacketType.BINARY_ACK: {
        const ack = packet.id === undefined ? undefined : this.acks.get(packet.id);
        if (packet.id !== undefined) this.acks.delete(packet.id);
        ack?.((packet.data as unknown[])[0]);
        return;
      }
      default:
        this.ws.close();
    }
  }
}
