import { ErrorCode } from '../protocol/errors';
import type { PartnerSeat } from '../protocol/identity';
import { resumedFrom } from './breakTime';
import { assertNever, byOf, done, refuse, type Outcome } from './outcomes';
import {
  PAUSE_DEFAULT_MINUTES,
  RepairPhrase,
  type Actor,
  type CommandOf,
  type PausedState,
  type SessionState,
} from './types';

/**
 * The two ways to slow a conversation down: a time-out over the session, and repair cards
 * that change nothing but are heard (TM-28 to TM-31).
 */

export function pause(state: SessionState, actor: Actor, command: CommandOf<'pause'>, now: number): Outcome {
  const minutes = command.minutes ?? PAUSE_DEFAULT_MINUTES;
  const until = now + minutes * 60_000;
  const by = byOf(actor);
  const label = command.untilLabel === undefined ? {} : { untilLabel: command.untilLabel };
  switch (state.phase) {
    case 'idle':
    case 'ended':
      return refuse(ErrorCode.SESSION_NOT_FOUND, 'TM-28');
    case 'proposed':
    case 'active': {
      const paused: PausedState = {
        phase: 'paused',
        version: state.version,
        updatedAt: now,
        pause: { by, at: now, until, ...label, back: { A: false, B: false } },
        resumeTo: state,
      };
      return done(paused, { type: 'paused', until, ...label });
    }
    case 'paused': {
      const longer = until > state.pause.until;
      const back = actor.role === 'partner' ? { ...state.pause.back, [actor.seat]: false } : state.pause.back;
      const pauseInfo = longer
        ? { by, at: state.pause.at, until, ...label, back }
        : { ...state.pause, back };
      return done({ ...state, pause: pauseInfo }, {
        type: 'paused',
        until: pauseInfo.until,
        ...(pauseInfo.untilLabel === undefined ? {} : { untilLabel: pauseInfo.untilLabel }),
      });
    }
    default:
      return assertNever(state);
  }
}

export function back(state: SessionState, seat: PartnerSeat, now: number): Outcome {
  if (state.phase !== 'paused') return refuse(ErrorCode.WRONG_PHASE, 'TM-30');
  if (state.pause.back[seat]) return refuse(ErrorCode.WRONG_PHASE, 'TM-30');
  const backFlags = { ...state.pause.back, [seat]: true };
  // The partner who called the break ends it by coming back: the other never left. A break the
  // counsellor called ends when both partners are back.
  if (state.pause.by === seat || (backFlags.A && backFlags.B)) {
    return done(resumedFrom(state, now), { type: 'partnerBack', seat }, { type: 'resumed', by: 'partners' });
  }
  return done({ ...state, pause: { ...state.pause, back: backFlags } }, { type: 'partnerBack', seat });
}

export function resume(state: SessionState, now: number): Outcome {
  if (state.phase !== 'paused') return refuse(ErrorCode.WRONG_PHASE, 'TM-30');
  return done(resumedFrom(state, now), { type: 'resumed', by: 'counsellor' });
}

export function repair(state: SessionState, seat: PartnerSeat, phrase: CommandOf<'repair'>['phrase']): Outcome {
  if (state.phase === 'idle' || state.phase === 'ended') return refuse(ErrorCode.SESSION_NOT_FOUND, 'TM-06');
  return done(state, { type: 'repair', seat, phrase, text: RepairPhrase[phrase] });
}
