import type { Pack } from '../../../shared/content/packSchema';
import type { SessionState } from '../../../shared/session/types';
import { currentMoveLine, type MoveNames } from './moveWords';
import type { SeatId } from '../../../shared/protocol/identity';
import './ending.css';

/** One calm line about the counsellor's last move, or a next step both agreed to (TM-42). */
export function MoveNotice({ state, you, names, pack }: { state: SessionState; you: SeatId; names: MoveNames; pack: Pack | undefined }) {
  const line = currentMoveLine(state, you, names, pack);
  return (
    <p className={`move-notice${line ? '' : ' is-empty'}`} role="status" aria-live="polite">
      {line}
    </p>
  );
}
