import type { FloorView } from '../../../shared/session/floorView';
import type { PartnerSeat } from '../../../shared/protocol/identity';
import type { Command, SessionState } from '../../../shared/session/types';
import type { SeatId } from '../../../shared/protocol/identity';

/** What every session screen is given. */
export interface ScreenProps {
  state: SessionState;
  you: SeatId;
  names: Record<PartnerSeat, string>;
  floor: FloorView;
  /** Sends a command; resolves true when accepted (a refusal is shown by the panel). */
  act(command: Command): Promise<boolean>;
  busy: boolean;
  offset: number;
}
