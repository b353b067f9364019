import { ErrorCode, errorMessages } from '../../shared/protocol/errors';
import type { Logger } from '../logger';
import type { AppServer, AppSocket } from './eventDispatcher';

/** An Engine.IO packet as its `packetCreate` and `flush` events hand it over. */
interface EnginePacket {
  data?: unknown;
}

/** The parts of an Engine.IO connection this reads: its documented events, transport and close. */
interface EngineConnection {
  readonly readyState: string;
  transport: { name: string };
  on(event: 'packetCreate', listener: (this: EngineConnection, packet: EnginePacket) => void): void;
  on(event: 'flush', listener: (this: EngineConnection, buffer: EnginePacket[]) => void): void;
  close(): void;
}

/** What is counted for one connection. */
interface Unsent {
  socket: AppSocket;
  /** bytes of the packets in Engine.IO's write buffer, not yet handed to the transport */
  queued: number;
  /** the largest single packet handed to the transport since the socket last caught up */
  inFlightAllowance: number;
}

/**
 * Disconnects a socket that does not read what the server sends it. Engine.IO keeps every packet
 * for a socket whose transport is busy, and the websocket keeps what its TCP socket has not
 * taken; for a device that never reads, both grew without bound (866 MB in 45 s with two
 * producers in its room, until the heartbeat gave up).
 *
 * Unsent bytes are Engine.IO's write buffer, counted from its documented `packetCreate` (a packet
 * is queued) and `flush` (the buffer is handed to the transport) events, plus the websocket's
 * `bufferedAmount`. Past `limitBytes` the socket hears `connection:closing { code:
 * SLOW_CONNECTION }` (it reads it once it catches up) and its connection is closed: Engine.IO
 * queues nothing more from then on, sends what it holds, and closes the transport (or its
 * heartbeat does, for a device that never reads again). The client sees a transport close and
 * reconnects by itself.
 *
 * One message larger than the limit (a big document's sync step 2 to a device joining) is not
 * held against the socket while it drains: the limit counts the bytes beyond the largest packet
 * in flight, so memory per socket stays below the limit plus one message.
 */
export function limitUnsentBuffer(io: AppServer, options: { limitBytes: number; log: Logger }): void {
  const { limitBytes, log } = options;
  const counted = new WeakMap<EngineConnection, Unsent>();

  // Node's emitter calls a listener with the connection as `this`: two functions serve every socket.
  function queued(this: EngineConnection, packet: EnginePacket): void {
    const unsent = counted.get(this);
    if (!unsent) return;
    const waiting = unsent.queued + bufferedAmount(this);
    if (waiting <= limitBytes) unsent.inFlightAllowance = 0;
    else if (waiting > limitBytes + unsent.inFlightAllowance) return tooSlow(this, unsent, waiting);
    unsent.queued += sizeOf(packet);
  }

  function flushed(this: EngineConnection, buffer: EnginePacket[]): void {
    const unsent = counted.get(this);
    if (!unsent) return;
    unsent.queued = 0;
    for (const packet of buffer) unsent.inFlightAllowance = Math.max(unsent.inFlightAllowance, sizeOf(packet));
  }

  function tooSlow(conn: EngineConnection, unsent: Unsent, waiting: number): void {
    counted.delete(conn);
    // After the packet being queued now and the rest of its event (a binary event's attachments),
    // so the reason is the last whole thing the client reads.
    process.nextTick(closeSlow, conn, unsent.socket, waiting);
  }

  function closeSlow(conn: EngineConnection, socket: AppSocket, waiting: number): void {
    log.info({ socketId: socket.id, roomId: socket.data.roomId, unsentBytes: waiting }, 'slow reader disconnected');
    socket.emit('connection:closing', { code: ErrorCode.SLOW_CONNECTION, message: errorMessages.SLOW_CONNECTION });
    // Closing the connection first drops every packet after the reason (Engine.IO queues nothing
    // once closing) and leaves the client free to reconnect; the socket then leaves its rooms now
    // rather than when the transport is finally gone.
    conn.close();
    socket.disconnect();
  }

  io.on('connection', (socket) => {
    const conn = socket.conn as unknown as EngineConnection;
    counted.set(conn, { socket, queued: 0, inFlightAllowance: 0 });
    conn.on('packetCreate', queued);
    conn.on('flush', flushed);
  });
}

/** What the websocket holds that its TCP socket has not sent (ws documents `bufferedAmount`); polling holds nothing. */
function bufferedAmount(conn: EngineConnection): number {
  if (conn.transport.name !== 'websocket') return 0;
  const ws = (conn.transport as { socket?: { bufferedAmount?: unknown } }).socket;
  return typeof ws?.bufferedAmount === 'number' ? ws.bufferedAmount : 0;
}

function sizeOf(packet: EnginePacket): number {
  const { data } = packet;
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}
