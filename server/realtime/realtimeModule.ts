import type { AppSocket } from './eventDispatcher';

/**
 * A feature's share of the realtime gateway (rooms, documents, sessions, counsellors).
 * The lifecycle hub (gateway.ts) calls the hooks, module by module in the order they were
 * added; each module keeps its own handlers and state.
 */
export interface RealtimeModule {
  readonly name: string;
  /** Registers the module's event handlers with the event dispatcher, once per server. */
  register(): void;
  /** The socket's connection closed (after Socket.IO took it out of its channels); `reason` is Socket.IO's (`ping timeout`, `transport close`, …). */
  onDisconnect?(socket: AppSocket, reason: string): void;
  /** After the socket took its seat in socket.data.roomId: send what the seat may see. */
  onJoin?(socket: AppSocket): Promise<void>;
  /** The socket left its room or disconnected. */
  onLeave?(socket: AppSocket, roomId: string): Promise<void>;
  /** The room was deleted or expired: drop everything held for it. */
  onRoomDeleted?(roomId: string): Promise<void>;
  close?(): Promise<void>;
}

export const roomChannel = (roomId: string): string => `room:${roomId}`;
export const seatChannel = (roomId: string, seat: string): string => `seat:${roomId}:${seat}`;
