import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { Adapter, SessionAwareAdapter, type BroadcastOptions } from 'socket.io-adapter';
import { ErrorCode, errorMessages } from '../../shared/protocol/errors';
import { PROTOCOL_VERSION } from '../../shared/protocol/version';
import type { Logger } from '../logger';
import { allowHandshakeFrom } from '../security/handshakeOrigin';
import { coalesceWebSocketFrames } from './frameCoalescing';
import type { AppServer, AppSocket, HandlerKit } from './handlerKit';
import type { RealtimeModule } from './realtimeModule';

export interface GatewayOptions {
  maxHttpBufferSize: number;
  /** the only origin whose pages may connect; undefined: the request's own Host (server/security/handshakeOrigin.ts) */
  publicOrigin: string | undefined;
}

/**
 * Events a client gets again in full whenever it comes back, so none of them is kept for
 * replay. Yjs messages: a client that comes back joins again and resyncs its documents by
 * state vector (sync step 1), which carries whatever it missed. The others are whole views:
 * every connect (recovered or not) sends `room:join`, whose answer holds the room's view and
 * whose handlers send the seat's session snapshot and the whole transcript (`replace: true`).
 */
const NOT_REPLAYED = new Set(['doc:message', 'room:state', 'session:state', 'session:transcript']);

/**
 * Connection state recovery keeps every event it may have to replay for two minutes (swept
 * every minute, so up to three). Kept, the events above were every keystroke and cursor move
 * of every room, and three session snapshots per turn (measured with `npm run bench`: most of
 * the server's memory per room). Every other event is kept as before.
 */
class RecoveryAdapter extends SessionAwareAdapter {
  override broadcast(packet: { data?: unknown[] }, opts: BroadcastOptions): void {
    const event = packet.data?.[0];
    if (typeof event === 'string' && NOT_REPLAYED.has(event)) return Adapter.prototype.broadcast.call(this, packet, opts);
    super.broadcast(packet, opts);
  }
}

export function createSocketServer(http: HttpServer, options: GatewayOptions): AppServer {
  coalesceWebSocketFrames();
  const io: AppServer = new Server(http, {
    maxHttpBufferSize: options.maxHttpBufferSize,
    // A phone that loses the network for a moment gets its rooms and missed events back.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: false },
    // Replaced by the Redis adapter when there are several nodes.
    adapter: RecoveryAdapter,
    serveClient: false,
    allowRequest: allowHandshakeFrom(options.publicOrigin),
  });

  io.use((socket, next) => {
    const version = (socket.handshake.auth as { protocolVersion?: unknown }).protocolVersion;
    if (version !== PROTOCOL_VERSION) {
      const err = new Error(errorMessages.PROTOCOL_MISMATCH) as Error & { data: unknown };
      err.data = { code: ErrorCode.PROTOCOL_MISMATCH, message: errorMessages.PROTOCOL_MISMATCH, serverVersion: PROTOCOL_VERSION };
      return next(err);
    }
    socket.data.role ??= 'none';
    socket.data.roomId ??= null;
    socket.data.seat ??= null;
    socket.data.presence ??= 'here';
    socket.data.counsellorId ??= null;
    next();
  });
  return io;
}

/**
 * Serves every connection with the modules' handlers, registered once here: a socket gets one
 * listener for its events (the kit's) and one for its disconnection, both shared by every
 * socket, instead of a closure per socket and event.
 */
export function attachModules(io: AppServer, kit: HandlerKit, modules: RealtimeModule[], log: Logger): void {
  for (const module of modules) module.register();
  // Node's emitter calls a listener with the socket as `this`.
  function disconnected(this: AppSocket): void {
    for (const module of modules) module.onDisconnect?.(this);
  }
  io.on('connection', (socket: AppSocket) => {
    log.debug({ socketId: socket.id, recovered: socket.recovered }, 'connected');
    kit.attach(socket);
    socket.on('disconnect', disconnected);
  });
}
