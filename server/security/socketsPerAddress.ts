import { ErrorCode, errorMessages } from '../../shared/protocol/errors';
import type { AppServer, AppSocket } from '../realtime/eventDispatcher';

export interface SocketsPerAddressOptions {
  /** connected sockets one address may hold on this node */
  max: number;
  /**
   * the key every per-address limit counts the socket under: its address as the server sees it
   * (behind a trusted proxy, the forwarded one), keyed by addressKey (an IPv6 address: its /64)
   */
  addressOf: (socket: AppSocket) => string;
}

export interface SocketsPerAddress {
  /** `addressOf` of the socket, worked out once per socket (the event dispatcher asks for it on every event) */
  keyOf(socket: AppSocket): string;
}

/**
 * Caps the sockets one address holds on this node: past `max`, the handshake is refused with
 * TOO_MANY_CONNECTIONS (as `connect_error` data, like PROTOCOL_MISMATCH) and the connection is
 * closed once that refusal is sent. The count is kept in this process, not shared through Redis:
 * what a socket costs (memory, file descriptors, fan-out) is paid by the node that holds it,
 * and a count there needs no clean-up when another node dies.
 */
export function limitSocketsPerAddress(io: AppServer, options: SocketsPerAddressOptions): SocketsPerAddress {
  const keys = new WeakMap<AppSocket, string>();
  const counts = new Map<string, number>();

  const keyOf = (socket: AppSocket): string => {
    let key = keys.get(socket);
    if (key === undefined) keys.set(socket, (key = options.addressOf(socket)));
    return key;
  };

  /** The address each counted connection was counted under. */
  const counted = new WeakMap<object, string>();
  // Node's emitter calls a listener with the connection as `this`: one function for every socket.
  // Released when the connection closes, which also covers a socket a later middleware refused.
  function released(this: object): void {
    const key = counted.get(this);
    if (key === undefined) return;
    counted.delete(this);
    const left = (counts.get(key) ?? 1) - 1;
    if (left > 0) counts.set(key, left);
    else counts.delete(key);
  }

  io.use((socket, next) => {
    const key = keyOf(socket);
    const held = counts.get(key) ?? 0;
    if (held >= options.max) {
      const err = new Error(errorMessages.TOO_MANY_CONNECTIONS) as Error & { data: unknown };
      err.data = { code: ErrorCode.TOO_MANY_CONNECTIONS, message: errorMessages.TOO_MANY_CONNECTIONS };
      // The refusal goes out with the next flush; then the connection itself goes, so a script
      // that ignores the refusal does not keep it open until Socket.IO's connect timeout.
      socket.conn.once('drain', () => socket.conn.close());
      return next(err);
    }
    counts.set(key, held + 1);
    counted.set(socket.conn, key);
    socket.conn.once('close', released);
    next();
  });

  return { keyOf };
}
