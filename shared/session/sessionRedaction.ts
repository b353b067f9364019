import type { SeatId } from '../protocol/identity';
import type { SessionState } from './types';

/**
 * The snapshot as one person may receive it: the only way session state leaves the server.
 * Who called a time-out stays with the caller and the counsellor; the other partner sees only
 * when the break ends.
 */
export function snapshotFor(state: SessionState, who: SeatId): SessionState {
  if (state.phase !== 'paused' || who === 'counsellor' || state.pause.by === who) return state;
  return { ...state, pause: { ...state.pause, by: null } };
}
