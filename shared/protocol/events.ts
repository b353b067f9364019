import type { AgreementServerEvents } from './agreements';
import type { CheckInServerEvents } from './checkIns';
import type { ClientEventListeners } from './clientEvents';
import type { ConnectionServerEvents } from './connection';
import type { CounsellorServerEvents } from './counsellors';
import type { DocumentInterServerEvents, DocumentServerEvents } from './documents';
import type { Role, SeatId } from './identity';
import type { RoomServerEvents } from './rooms';
import type { SessionServerEvents } from './sessions';
import type { VoiceServerEvents } from './voice';

/**
 * The typed event maps handed to Socket.IO's generics. The client's events come from the one
 * table (./clientEvents.ts), so a payload or an ack type cannot differ between the table and
 * Socket.IO; each feature area declares the events the server sends in its protocol file, and
 * they are joined here, so no event name is ever typed twice.
 */
export interface ClientToServerEvents extends ClientEventListeners {}

export interface ServerToClientEvents
  extends RoomServerEvents, DocumentServerEvents, AgreementServerEvents, SessionServerEvents, CounsellorServerEvents, ConnectionServerEvents, VoiceServerEvents, CheckInServerEvents {}

export interface InterServerEvents extends DocumentInterServerEvents {}

/** What the server knows about a socket after the handshake and a successful join. */
export interface SocketData {
  role: Role;
  roomId: string | null;
  seat: SeatId | null;
  /** the tab is visible (here) or hidden (away) */
  presence: 'here' | 'away';
  counsellorId: string | null;
}
