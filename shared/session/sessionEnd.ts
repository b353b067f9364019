import { ErrorCode } from '../protocol/errors';
import type { PartnerSeat } from '../protocol/identity';
import { assertNever, done, refusalIn, refuse, type Outcome } from './outcomes';
import { endActive, heardOf } from './stepFlow';
import { END_NOTE_MAX, SessionMode, type By, type CommandOf, type SessionEvent, type SessionState } from './types';

/** Ending a session and each partner's choice to keep its written record (TM-32, TM-33, TM-38, TM-43, TM-44). */

export function keepRecord(state: SessionState, seat: PartnerSeat, keep: boolean): Outcome {
  const event: SessionEvent = { type: 'recordChoice', seat, keep };
  switch (state.phase) {
    case 'active': {
      if (state.mode !== SessionMode.Write) return refuse(ErrorCode.WRONG_PHASE, 'TM-32');
      const record = { ...state.record, keepRecord: { ...state.record.keepRecord, [seat]: keep } };
      return done({ ...state, record }, event);
    }
    case 'ended': {
      const s = state.summary;
      if (s.mode !== SessionMode.Write) return refuse(ErrorCode.WRONG_PHASE, 'TM-32');
      if (!s.recordKept) return refuse(ErrorCode.WRONG_PHASE, 'TM-38');
      const choices = { ...s.keepRecord, [seat]: keep };
      const recordKept = choices.A === true && choices.B === true;
      const summary = { ...s, keepRecord: choices, recordKept, ...(s.heard ? { heard: heardOf(s.heard, recordKept) } : {}) };
      return done({ ...state, summary }, event);
    }
    default:
      return refusalIn(state, refuse(ErrorCode.WRONG_PHASE, 'TM-06'));
  }
}

/** TM-33; TM-44: its ender may say why, and the summary carries it; a proposal ends with no reason to give. */
export function endSession(state: SessionState, by: By, command: CommandOf<'endSession'>, now: number): Outcome {
  const target = state.phase === 'paused' ? state.resumeTo : state;
  const note = command.note?.trim();
  if (command.note !== undefined && (!note || note.length > END_NOTE_MAX)) return refuse(ErrorCode.INVALID_PAYLOAD, 'TM-44');
  switch (target.phase) {
    case 'active':
      return endActive({ ...target, version: state.version }, now, by, {
        ...(command.reason ? { endReason: command.reason } : {}),
        ...(note ? { endNote: note } : {}),
      });
    case 'proposed':
      return done({ phase: 'idle', version: state.version, updatedAt: now }, { type: 'proposalCancelled', by });
    case 'idle':
    case 'ended':
      return refuse(ErrorCode.SESSION_NOT_FOUND, 'TM-33');
    default:
      return assertNever(target);
  }
}
