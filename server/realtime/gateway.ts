import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { ErrorCode, errorMessages } from '../../shared/protocol/errors';
import { handshakeAuthSchema, PROTOCOL_VERSION } from '../../shared/protocol/version';
import type { Logger } from '../logger';
import { allowHandshakeFrom } from '../security/handshakeOrigin';
import { coalesceWebSocketFrames } from './frameCoalescing';
import type { AppServer, AppSocket, EventDispatcher } from './eventDispatcher';
import { watchLink } from './linkSilence';
import type { RealtimeModule } from './realtimeModule';

export interface GatewayOptions {
  maxHttpBufferSize: number;
  /** the only origin whose pages may connect; undefined: the request's own Host (server/security/handshakeOrigin.ts) */
  publicOrigin: string | undefined;
  /** how often each socket is pinged, and how long its answer may take (SOCKET_PING_INTERVAL_MS, SOCKET_PING_TIMEOUT_MS) */
  pingIntervalMs: number;
  pingTimeoutMs: number;
}

export function createSocketServer(http: HttpServer, options: GatewayOptions): AppServer {
  coalesceWebSocketFrames();
  const io: AppServer = new Server(http, {
    maxHttpBufferSize: options.maxHttpBufferSize,
    // No connection state recovery: a socket that comes back is a new socket with no seat and
    // in no channel, and gets them again only by proving who it is (`room:join` with its device
    // token, `counsellor:signIn` with its key). Recovery would restore a socket's seat and
    // channels from a session id and an offset, and those outlive a seat moved to another
    // device, a room deleted, and a counsellor key replaced.
    serveClient: false,
    // A dead link (a phone gone offline, a laptop closed) is found within the interval and the
    // timeout together, 12 s by default: its seat then shows "away" to the partner, and the
    // client, which expects a ping as often, shows that it is reconnecting. A socket that stops
    // reading is dropped as soon. Socket.IO's own defaults take 45 s.
    pingInterval: options.pingIntervalMs,
    pingTimeout: options.pingTimeoutMs,
    allowRequest: allowHandshakeFrom(options.publicOrigin),
  });

  io.use((socket, next) => {
    if (!handshakeAuthSchema.safeParse(socket.handshake.auth).success) {
      const err = new Error(errorMessages.PROTOCOL_MISMATCH) as Error & { data: unknown };
      err.data = { code: ErrorCode.PROTOCOL_MISMATCH, message: errorMessages.PROTOCOL_MISMATCH, serverVersion: PROTOCOL_VERSION };
      return next(err);
    }
    // Whatever the handshake claims (a session id and offset to recover from included), a
    // socket starts with no seat.
    socket.data.role = 'none';
    socket.data.roomId = null;
    socket.data.seat = null;
    socket.data.presence = 'here';
    socket.data.counsellorId = null;
    next();
  });
  return io;
}

/**
 * What the room handlers tell the other modules: a seat was taken, a socket left its room, a
 * room is gone. The room handlers know when these happen; the hub decides who hears of it.
 */
export interface LifecycleHooks {
  /** After the socket took its seat in socket.data.roomId: every module's onJoin, in order. */
  joined(socket: AppSocket): Promise<void>;
  /** The socket left `roomId`, by leaving or by disconnecting: every module's onLeave, in order. */
  left(socket: AppSocket, roomId: string): Promise<void>;
  /** The room was deleted or expired: every module drops what it holds for it. */
  roomDeleted(roomId: string): void;
}

/**
 * The one place every lifecycle hook of the modules is called from, so the order modules hear
 * of a socket or a room is the order they were added in, whichever module saw it happen.
 */
export class LifecycleHub implements LifecycleHooks {
  constructor(
    readonly modules: readonly RealtimeModule[],
    private readonly log: Logger,
  ) {}

  async joined(socket: AppSocket): Promise<void> {
    for (const module of this.modules) await module.onJoin?.(socket);
  }

  async left(socket: AppSocket, roomId: string): Promise<void> {
    for (const module of this.modules) await module.onLeave?.(socket, roomId);
  }

  roomDeleted(roomId: string): void {
    // Not awaited: the room's sockets are disconnected right after, whatever each module still does.
    for (const module of this.modules) {
      module.onRoomDeleted?.(roomId).catch((err: unknown) =>
        this.log.warn({ roomId, module: module.name, err: err instanceof Error ? err.message : 'unknown' }, 'dropping a deleted room failed'),
      );
    }
  }

  disconnected(socket: AppSocket, reason: string): void {
    for (const module of this.modules) module.onDisconnect?.(socket, reason);
  }
}

/**
 * Serves every connection with the modules' handlers, registered once here: a socket gets one
 * listener for its events (the dispatcher's) and one for its disconnection, both shared by
 * every socket, so a connection costs no closure per socket and event.
 */
export function attachModules(io: AppServer, dispatcher: EventDispatcher, hub: LifecycleHub, log: Logger): void {
  for (const module of hub.modules) module.register();
  // Node's emitter calls a listener with the socket as `this`.
  function disconnected(this: AppSocket, reason: string): void {
    hub.disconnected(this, reason);
  }
  io.on('connection', (socket: AppSocket) => {
    log.debug({ socketId: socket.id }, 'connected');
    dispatcher.attach(socket);
    watchLink(socket);
    socket.on('disconnect', disconnected);
  });
}
