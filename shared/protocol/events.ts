import type { AgreementClientEvents, AgreementServerEvents } from './agreements';
import type { ConnectionServerEvents } from './connection';
import type { CounsellorClientEvents, CounsellorServerEvents } from './counsellors';
import type { DocumentClientEvents, DocumentInterServerEvents, DocumentServerEvents } from './documents';
import type { RoomClientEvents, RoomServerEvents, SeatId } from './rooms';
import type { SessionClientEvents, SessionServerEvents } from './sessions';

/**
 * The typed event maps handed to Socket.IO's generics. Each feature area declares its own
 * client and server event interfaces in its protocol file; they are joined here, so no event
 * name is ever typed twice.
 */
export interface ClientToServerEvents
  extends RoomClientEvents, DocumentClientEvents, AgreementClientEvents, SessionClientEvents, CounsellorClientEvents {}

export interface ServerToClientEvents
  extends RoomServerEvents, DocumentServerEvents, AgreementServerEvents, SessionServerEvents, CounsellorServerEvents, ConnectionServerEvents {}

export interface InterServerEvents extends DocumentInterServerEvents {}

export type Role = 'none' | 'partner' | 'counsellor';

/** What the server knows about a socket after the handshake and a successful join. */
export interface SocketData {
  role: Role;
  roomId: string | null;
  seat: SeatId | null;
  /** the tab is visible (here) or hidden (away) */
  presence: 'here' | 'away';
  counsellorId: string | null;
}

export type ClientEventName = keyof ClientToServerEvents;

export interface HandshakeAuth {
  protocolVersion: number;
}
