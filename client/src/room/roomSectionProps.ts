import type { RoomView, SeatId } from '../../../shared/protocol/rooms';

/** What every part of a room below its header is given (RoomSections lays them out). */
export interface RoomSectionProps {
  room: RoomView;
  you: SeatId;
  connected: boolean;
  /** told whether a guided session is proposed or running, so the room can point to it */
  onSessionLive?: (live: boolean) => void;
}
