import type { SeatId } from '../protocol/identity';
import type { SessionState } from './types';

/**
 * The snapshot as one person may receive it: the only way session state leaves the server.
 * Every seat sees the same state today, who called a time-out included, so each break screen
 * can say whose break it is ("Alex is taking a break until 20:40"); what a seat may not see
 * is left out here.
 */
export function snapshotFor(state: SessionState, _who: SeatId): SessionState {
  return state;
}
