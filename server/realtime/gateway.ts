import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { ErrorCode, errorMessages } from '../../shared/protocol/errors';
import { handshakeAuthSchema, PROTOCOL_VERSION } from '../../shared/protocol/version';
import type { Logger } from '../logger';
import { allowHandshakeFrom } from '../security/handshakeOrigin';
import { coalesceWebSocketFrames } from './frameCoalescing';
import type { AppServer, AppSocket, EventDispatcher } from './eventDispatcher';
import type { RealtimeModule } from './realtimeModule';

export interface GatewayOptions {
  maxHttpBufferSize: number;
  /** the only origin whose pages may connect; undefined: the request's own Host (server/security/handshakeOrigin.ts) */
  publicOrigin: string | undefined;
}

export function createSocketServer(http: HttpServer, options: GatewayOptions): AppServer {
  coalesceWebSocketFrames();
  const io: AppServer = new Server(http, {
    maxHttpBufferSize: options.maxHttpBufferSize,
    // No connection state recovery: a socket that comes back is a new socket with no seat and
    // in no channel, and gets them again only by proving who it is (`room:join` with its device
    // token, `counsellor:signIn` with its key). Recovery restored a socket's seat and channels
    // from a session id and an offset, which outlived a seat moved to another device, a room
    // deleted, and a counsellor key replaced.
    serveClient: false,
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
 * Serves every connection with the modules' handlers, registered once here: a socket gets one
 * listener for its events (the dispatcher's) and one for its disconnection, both shared by every
 * socket, instead of a closure per socket and event.
 */
export function attachModules(io: AppServer, dispatcher: EventDispatcher, modules: RealtimeModule[], log: Logger): void {
  for (const module of modules) module.register();
  // Node's emitter calls a listener with the socket as `this`.
  function disconnected(this: AppSocket): void {
    for (const module of modules) module.onDisconnect?.(this);
  }
  io.on('connection', (socket: AppSocket) => {
    log.debug({ socketId: socket.id }, 'connected');
    dispatcher.attach(socket);
    socket.on('disconnect', disconnected);
  });
}
