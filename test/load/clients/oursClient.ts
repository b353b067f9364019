import type { Ack } from '../../../shared/protocol/errors';
import type { SessionView } from '../../../shared/protocol/sessions';
import { PROTOCOL_VERSION } from '../../../shared/protocol/version';
import type { Command, SessionState } from '../../../shared/session/types';
import { SocketIOWire, type SocketIOConnectOptions } from './socketIOWire';
import { SocketIOYClient } from './socketIOYClient';
import type { ClientHandlers } from './yClient';

const OPEN_TIMEOUT_MS = 30_000;

/** Our server refuses a connection whose client speaks another protocol version. */
const CONNECT_OPTIONS: SocketIOConnectOptions = { auth: { protocolVersion: PROTOCOL_VERSION } };

export interface OursCredentials {
  roomId: string;
  deviceToken: string;
}

export interface OursHandlers extends ClientHandlers {
  onSessionState(state: SessionState): void;
}

/**
 * A device of ours on the wire: Socket.IO's protocol (engine.io v4, socket.io v5) spoken over a
 * raw `ws` socket (socketIOWire.ts), as the peers' bench clients speak theirs. It sends what the
 * app's SocketIOProvider sends: `room:join`, then y-protocols messages in binary `doc:message`
 * events with acks (edits with `lazyAck`, presence with none).
 * socket.io-client's reconnection, buffering and timers cost the one generator process about a
 * fifth of a core at 1,000 rooms, which showed up as our latency; none of them is used here.
 */
export class OursClient extends SocketIOYClient {
  constructor(
    private readonly url: string,
    private readonly credentials: OursCredentials,
    private readonly oursHandlers: OursHandlers,
  ) {
    super(oursHandlers);
  }

  async open(): Promise<void> {
    const wire = await this.connectWire(this.url, CONNECT_OPTIONS);
    const joined = (await wire.request('room:join', this.credentials)) as Ack;
    if (!joined.ok) throw new Error(`room:join refused: ${joined.error.code}`);
    const synced = this.whenSynced(OPEN_TIMEOUT_MS, 'ours');
    this.transmit(this.syncStep1(), 'sync');
    await synced;
  }

  protected override onEvent(event: string, args: unknown[]): void {
    if (event === 'session:state') this.oursHandlers.onSessionState((args[0] as SessionView).state);
    else super.onEvent(event, args);
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
  const wire = await SocketIOWire.connect(url, CONNECT_OPTIONS, () => undefined, () => undefined);
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
