import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';
import WebSocket from 'ws';
import type { Ack } from '../../../shared/protocol/errors';
import type { SessionView } from '../../../shared/protocol/sessions';
import { PROTOCOL_VERSION } from '../../../shared/protocol/version';
import type { Command, SessionState } from '../../../shared/session/types';
import { YClient, type ClientHandlers } from './yClient';

const OPEN_TIMEOUT_MS = 30_000;

export interface OursCredentials {
  roomId: string;
  deviceToken: string;
}

export interface OursHandlers extends ClientHandlers {
  onSessionState(state: SessionState): void;
}

/**
 * A device of ours on the wire: Socket.IO's protocol (engine.io v4, socket.io v5) spoken over a
 * raw `ws` socket, as the peers' bench clients speak theirs, with socket.io-parser (the library
 * the server uses) encoding and decoding the packets. It sends what the app's SocketIOProvider
 * sends: `room:join`, then y-protocols messages in binary `doc:message` events with acks (edits
 * with `lazyAck`, presence with none).
 * socket.io-client's reconnection, buffering and timers cost the one generator process about a
 * fifth of a core at 1,000 rooms, which showed up as our latency; none of them is used here.
 */
export class OursClient extends YClient {
  private wire: SocketIOWire | null = null;

  constructor(
    private readonly url: string,
    private readonly credentials: OursCredentials,
    private readonly oursHandlers: OursHandlers,
  ) {
    super(oursHandlers);
  }

  async open(): Promise<void> {
    const wire = await SocketIOWire.connect(this.url, (event, args) => this.onEvent(event, args), (reason) => {
      if (!this.closing) this.handlers.onError(`disconnected: ${reason}`);
    });
    this.wire = wire;
    const joined = (await wire.request('room:join', this.credentials)) as Ack;
    if (!joined.ok) throw new Error(`room:join refused: ${joined.error.code}`);
    const synced = this.whenSynced(OPEN_TIMEOUT_MS, 'ours');
    this.transmit(this.syncStep1(), 'sync');
    await synced;
  }

  private onEvent(event: string, args: unknown[]): void {
    if (event === 'doc:message') {
      const at = performance.now();
      const payload = args[0] as { doc: string; message: Uint8Array };
      if (payload.doc !== 'agreements') return;
      try {
        this.receiveYMessage(decoding.createDecoder(new Uint8Array(payload.message)), encoding.createEncoder(), at);
      } catch (err) {
        this.handlers.onError(`receive: ${err instanceof Error ? err.message : String(err)}`);
      }
    } else if (event === 'session:state') {
      this.oursHandlers.onSessionState((args[0] as SessionView).state);
    }
  }

  command(command: Command, done: (ack: Ack) => void): void {
    this.wire?.emit('session:command', [command], done as (ack: unknown) => void);
  }

  protected transmit(message: Uint8Array, kind: 'update' | 'awareness' | 'sync'): void {
    // As the app does: presence is sent without asking for an ack.
    if (kind === 'awareness') return this.wire?.emit('doc:message', [{ doc: 'agreements', message }]);
    // As the app does: an edit's ack is only a "saved" status, so it may come with the next ones.
    const payload = kind === 'update' ? { doc: 'agreements', message, lazyAck: true } : { doc: 'agreements', message };
    this.wire?.emit('doc:message', [payload], (ack) => {
      const answer = ack as Ack;
      if (!answer.ok) this.handlers.onRefusal(answer.error.code);
    });
  }

  protected disconnect(): void {
    this.wire?.close();
  }
}

type EventListener = (event: string, args: unknown[]) => void;

/** One Socket.IO connection to the main namespace over websocket, reduced to emit, acks and events. */
class SocketIOWire {
  private readonly encoder = new Encoder();
  private readonly decoder = new Decoder();
  private readonly acks = new Map<number, (ack: unknown) => void>();
  private nextAckId = 0;
  private connected = false;

  private constructor(
    private readonly ws: WebSocket,
    private readonly onEvent: EventListener,
  ) {
    this.decoder.on('decoded', (packet: Packet) => this.onPacket(packet));
  }

  static connect(url: string, onEvent: EventListener, onClose: (reason: string) => void): Promise<SocketIOWire> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    const wire = new SocketIOWire(ws, onEvent);
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

  private whenConnected: (err?: Error) => void = () => undefined;

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
      case '0': // engine.io open: ask to join the main namespace, with our protocol version
        this.ws.send(`40${JSON.stringify({ protocolVersion: PROTOCOL_VERSION })}`);
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

/** A room with two seats, made over the public API the way two people pair by link. */
export async function createPairedRoom(url: string): Promise<{ A: OursCredentials; B: OursCredentials }> {
  const res = await fetch(`${url}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName: 'Sam', acceptedGroundRules: true }),
  });
  if (res.status !== 201) throw new Error(`room creation failed: ${res.status} ${await res.text()}`);
  const created = (await res.json()) as { roomId: string; deviceToken: string; invite: { token: string } };
  const wire = await SocketIOWire.connect(url, () => undefined, () => undefined);
  try {
    const claimed = (await wire.request('invite:claim', { invite: created.invite.token, displayName: 'Alex', acceptedGroundRules: true })) as Ack<{
      roomId: string;
      deviceToken: string;
    }>;
    if (!claimed.ok) throw new Error(`invite:claim refused: ${claimed.error.code}`);
    return { A: { roomId: created.roomId, deviceToken: created.deviceToken }, B: { roomId: created.roomId, deviceToken: claimed.deviceToken } };
  } finally {
    wire.close();
  }
}
