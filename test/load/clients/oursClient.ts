import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { io, type Socket } from 'socket.io-client';
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
 * A device of ours, as the app's SocketIOProvider is: socket.io-client over websocket only,
 * `room:join`, then y-protocols messages in binary `doc:message` events with acks.
 */
export class OursClient extends YClient {
  private socket: Socket | null = null;

  constructor(
    private readonly url: string,
    private readonly credentials: OursCredentials,
    private readonly oursHandlers: OursHandlers,
  ) {
    super(oursHandlers);
  }

  async open(): Promise<void> {
    const socket = io(this.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { protocolVersion: PROTOCOL_VERSION },
    });
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no connection within ${OPEN_TIMEOUT_MS} ms`)), OPEN_TIMEOUT_MS);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('connect_error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    socket.on('doc:message', (payload: { doc: string; message: Uint8Array }) => {
      const at = performance.now();
      if (payload.doc !== 'agreements') return;
      try {
        this.receiveYMessage(decoding.createDecoder(new Uint8Array(payload.message)), encoding.createEncoder(), at);
      } catch (err) {
        this.handlers.onError(`receive: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    socket.on('session:state', (view: SessionView) => this.oursHandlers.onSessionState(view.state));
    socket.on('disconnect', (reason) => {
      if (!this.closing) this.handlers.onError(`disconnected: ${reason}`);
    });
    const joined = (await socket.timeout(OPEN_TIMEOUT_MS).emitWithAck('room:join', this.credentials)) as Ack;
    if (!joined.ok) throw new Error(`room:join refused: ${joined.error.code}`);
    const synced = this.whenSynced(OPEN_TIMEOUT_MS, 'ours');
    this.transmit(this.syncStep1());
    await synced;
  }

  command(command: Command, done: (ack: Ack) => void): void {
    this.socket?.emit('session:command', command, done);
  }

  protected transmit(message: Uint8Array): void {
    const socket = this.socket;
    if (!socket?.connected) return;
    socket.emit('doc:message', { doc: 'agreements', message }, (ack: Ack) => {
      if (!ack.ok) this.handlers.onRefusal(ack.error.code);
    });
  }

  protected disconnect(): void {
    this.socket?.disconnect();
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
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { protocolVersion: PROTOCOL_VERSION } });
  try {
    const claimed = (await socket
      .timeout(OPEN_TIMEOUT_MS)
      .emitWithAck('invite:claim', { invite: created.invite.token, displayName: 'Alex', acceptedGroundRules: true })) as Ack<{
      roomId: string;
      deviceToken: string;
    }>;
    if (!claimed.ok) throw new Error(`invite:claim refused: ${claimed.error.code}`);
    return { A: { roomId: created.roomId, deviceToken: created.deviceToken }, B: { roomId: created.roomId, deviceToken: claimed.deviceToken } };
  } finally {
    socket.disconnect();
  }
}
