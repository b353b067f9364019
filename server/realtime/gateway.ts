import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { ErrorCode, errorMessages } from '../../shared/protocol/errors';
import { PROTOCOL_VERSION } from '../../shared/protocol/version';
import type { Logger } from '../logger';
import type { AppServer, AppSocket } from './handlerKit';
import type { RealtimeModule } from './realtimeModule';

export interface GatewayOptions {
  maxHttpBufferSize: number;
  trustProxy: number;
}

export function createSocketServer(http: HttpServer, log: Logger, options: GatewayOptions): AppServer {
  const io: AppServer = new Server(http, {
    maxHttpBufferSize: options.maxHttpBufferSize,
    // A phone that loses the network for a moment gets its rooms and missed events back.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: false },
    serveClient: false,
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

export function attachModules(io: AppServer, modules: RealtimeModule[], log: Logger): void {
  io.on('connection', (socket: AppSocket) => {
    log.debug({ socketId: socket.id, recovered: socket.recovered }, 'connected');
    for (const module of modules) module.register(socket);
  });
}

/** The address used for per-address limits: the socket's, or the proxy's forwarded one. */
export function socketAddress(socket: AppSocket, trustProxy: number): string {
  if (trustProxy > 0) {
    const forwarded = socket.handshake.headers['x-forwarded-for'];
    const list = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const chosen = list[list.length - trustProxy];
    if (chosen) return chosen;
  }
  return socket.handshake.address;
}
