import type { Pack } from '../../../shared/content/packSchema';
import type { PartnerSeat } from '../../../shared/protocol/identity';
import { notchOf } from '../../../shared/session/moderation';
import type { LastMove, Notch, SessionState, StepState } from '../../../shared/session/types';
import type { SeatId } from '../../../shared/protocol/identity';

/**
 * The one calm line about the last move a partner did not make themselves (TM-42): the
 * counsellor's moves, told to the partners by name ("Dr Ortiz paused the session for a
 * moment") and to the counsellor as what their action did; a next step both agreed to.
 */

export interface MoveNames {
  A: string;
  B: string;
  counsellor: string;
}

/** "Sam's", or "your" for the reader. */
function whose(seat: PartnerSeat, you: SeatId, names: MoveNames): string {
  return seat === you ? 'your' : `${names[seat]}’s`;
}

/** What "one notch on" moves past, as a phrase: "Sam’s speaking", "this step". */
export function notchWords(notch: Notch, seat: PartnerSeat | undefined, you: SeatId, names: MoveNames): string {
  const of = (s: PartnerSeat | undefined) => (s ? whose(s, you, names) : 'the');
  switch (notch) {
    case 'speak':
      return `the rest of ${of(seat)} speaking`;
    case 'reflect':
      return `${of(seat)} saying back`;
    case 'check':
      return `${of(seat)} check of what was heard`;
    case 'validate':
      return `${of(seat)} “that makes sense”`;
    case 'empathise':
      return `${of(seat)} guess at how it felt`;
    case 'pass':
      return `${of(seat)} passing of the floor`;
    case 'ready':
      return 'both of you saying you are ready';
    case 'step':
      return 'this step';
    default:
      return 'this step';
  }
}

/** The counsellor's "Move one notch on" button, saying beforehand what it skips. */
export function advanceLabel(step: StepState, names: MoveNames): string {
  const { notch, seat } = notchOf(step);
  if (notch === 'step') return 'Move one notch on: to the next step';
  if (notch === 'ready') return 'Move one notch on: mark this step as done for both';
  return `Move one notch on: skip ${notchWords(notch, seat, 'counsellor', names)}`;
}

function stepTitle(pack: Pack | undefined, index: number | undefined): string {
  const title = index === undefined ? undefined : pack?.steps[index]?.title;
  return title ? `“${title}”` : 'this step';
}

export function lastMoveLine(move: LastMove, you: SeatId, names: MoveNames, pack?: Pack): string {
  const mine = move.by === you;
  const who = mine ? 'You' : move.by === 'counsellor' ? names.counsellor : names[move.by];
  const us = you === 'counsellor' ? 'them' : 'us';
  switch (move.kind) {
    case 'paused':
      return mine ? 'You paused the session for both partners. Resume it when they are ready.' : `${who} paused the session for a moment.`;
    case 'resumed':
      return mine ? 'You resumed the session for both partners.' : `${who} resumed the session. We carry on where we were.`;
    case 'floorGranted': {
      const seat = move.seat ?? 'A';
      if (mine) return `You gave ${names[seat]} the floor: ${names[seat]} starts afresh.`;
      return seat === you ? `${who} gave you the floor. Take your time.` : `${who} gave ${names[seat]} the floor.`;
    }
    case 'advanced': {
      const what = notchWords(move.notch ?? 'step', move.seat, you, names);
      if (move.notch === 'step') return mine ? 'You moved them to the next step.' : `${who} moved ${us} to the next step.`;
      if (move.notch === 'ready') return mine ? 'You marked this step as done for both partners.' : `${who} marked this step as done for both of you.`;
      return mine ? `You moved past ${what}.` : `${who} moved ${us} past ${what}.`;
    }
    case 'skippedStep':
      return mine ? `You skipped ${stepTitle(pack, move.stepIndex)}.` : `${who} skipped ${stepTitle(pack, move.stepIndex)}; it does not count as done.`;
    case 'repeatedStep':
      return mine ? `You started ${stepTitle(pack, move.stepIndex)} again.` : `${who} started ${stepTitle(pack, move.stepIndex)} again.`;
    case 'movedOn':
      return mine ? 'You moved them to the next step.' : `${who} moved ${us} to the next step.`;
    case 'movedOnTogether':
      return you === 'counsellor' ? `${names.A} and ${names.B} agreed to move on.` : 'You both agreed to move on.';
    case 'ended':
      return mine ? 'You ended the session.' : `${who} ended the session.`;
  }
}

/** The line to show now, or null: only while the session it describes is still what the reader sees. */
export function currentMoveLine(state: SessionState, you: SeatId, names: MoveNames, pack?: Pack): string | null {
  const move = state.lastMove;
  if (!move) return null;
  // The summary says who ended the session; a partner's own moves need no line.
  if (move.kind === 'ended') return null;
  if (move.by !== 'counsellor' && move.kind !== 'movedOnTogether') return null;
  return lastMoveLine(move, you, names, pack);
}
