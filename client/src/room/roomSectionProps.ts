import type { RoomView, SeatId } from '../../../shared/protocol/rooms';

/** What every part of a room below its header is given (RoomSections lays them out). */
export interface RoomSectionProps {
  room: RoomView;
  you: SeatId;
  connected: boolean;
  /** told whether a guided session is proposed or running, so the room can point to it */
  onSessionLive?: (live: boolean) => void;
  /** shows the room's agreements (their tab, on a phone), e.g. from a session's summary */
  onOpenAgreements?: () => void;
  /** told when a time-out starts and ends, so the whole room can give way to the break screen */
  onBreak?: (onBreak: boolean) => void;
  /** the room's time-out bar at the top of its main region, where the time-out button shows on every tab */
  timeOutSlot?: HTMLElement | null;
}
