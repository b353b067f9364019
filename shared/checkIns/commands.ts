import { AppError } from '../protocol/errors';
import type { PartnerSeat } from '../protocol/identity';
import { MAX_ANSWERS, MAX_NOTES, MAX_SESSIONS, type CheckInState, type Mark, type RhythmKind, type SmallStep, type Weekday } from './model';
import { openPeriods, periodOfKey } from './periods';

/**
 * The changes a seat's command makes to a room's check-ins: pure, `(state, input, now) -> state`.
 * The caller (server/checkIns/checkInService.ts) passes the seat of the socket, the time of the
 * server's clock and the commitments in force from the agreements record; nothing here trusts a
 * device for those.
 */

function requireInForce(inForce: ReadonlySet<string>, commitmentId: string): void {
  if (!inForce.has(commitmentId)) throw new AppError('COMMITMENT_NOT_FOUND');
}

/** [CI-01, CI-02] Either partner sets the rhythm; 'none' keeps the zone, so the record says who stopped it. */
export function setRhythm(
  state: CheckInState,
  input: { seat: PartnerSeat; commitmentId: string; kind: RhythmKind; weekday: Weekday | null; timeZone: string; now: number; inForce: ReadonlySet<string> },
): CheckInState {
  requireInForce(input.inForce, input.commitmentId);
  const weekday = input.kind === 'weekly' ? (input.weekday ?? 'sunday') : null;
  const current = state.rhythms[input.commitmentId];
  if (current && current.kind === input.kind && current.weekday === weekday && current.timeZone === input.timeZone) return state;
  return {
    ...state,
    rhythms: { ...state.rhythms, [input.commitmentId]: { kind: input.kind, weekday, timeZone: input.timeZone, setBy: input.seat, setAt: input.now } },
  };
}

/** [CI-04, CI-05, CI-13] One's own answer for an open period; answering again replaces it. */
export function answer(
  state: CheckInState,
  input: { seat: PartnerSeat; commitmentId: string; periodKey: string; mark: Mark; words: string; shareWords: boolean; now: number; inForce: ReadonlySet<string> },
): CheckInState {
  requireInForce(input.inForce, input.commitmentId);
  const rhythm = state.rhythms[input.commitmentId];
  if (!rhythm || rhythm.kind === 'none') throw new AppError('CHECK_IN_NO_RHYTHM');
  const period = periodOfKey(rhythm, input.periodKey);
  const open = openPeriods(rhythm, input.now).some((p) => p.key === period?.key);
  if (!period || !open) throw new AppError('CHECK_IN_CLOSED');
  const mine = (a: CheckInState['answers'][number]) => a.commitmentId === input.commitmentId && a.periodKey === period.key && a.seat === input.seat;
  const kept = state.answers.filter((a) => !mine(a));
  const next = {
    commitmentId: input.commitmentId,
    periodKey: period.key,
    seat: input.seat,
    mark: input.mark,
    words: input.words.trim(),
    shareWords: input.shareWords,
    at: input.now,
  };
  return { ...state, answers: [...kept, next].slice(-MAX_ANSWERS) };
}

/** [CI-10, CI-13] A small step either partner notes, for both to see. */
export function addNote(
  state: CheckInState,
  input: { seat: PartnerSeat; id: string; text: string; commitmentId: string | null; now: number; inForce: ReadonlySet<string> },
): { state: CheckInState; note: SmallStep } {
  if (input.commitmentId !== null) requireInForce(input.inForce, input.commitmentId);
  const note: SmallStep = { id: input.id, text: input.text.trim(), seat: input.seat, at: input.now, commitmentId: input.commitmentId };
  return { state: { ...state, notes: [...state.notes, note].slice(-MAX_NOTES) }, note };
}

/** [CI-12] One partner's consent (or its withdrawal) to show a commitment's marks to the counsellor. */
export function setCounsellorConsent(
  state: CheckInState,
  input: { seat: PartnerSeat; commitmentId: string; share: boolean; now: number; inForce: ReadonlySet<string> },
): CheckInState {
  requireInForce(input.inForce, input.commitmentId);
  const current = state.counsellorConsent[input.commitmentId] ?? {};
  if ((current[input.seat] !== undefined) === input.share) return state;
  const next = { ...current };
  if (input.share) next[input.seat] = input.now;
  else delete next[input.seat];
  return { ...state, counsellorConsent: { ...state.counsellorConsent, [input.commitmentId]: next } };
}

/** [CI-14] A guided session ended: counted once by when it started. */
export function recordSession(state: CheckInState, startedAt: number): CheckInState {
  const sessions = state.sessions ?? [];
  if (sessions.includes(startedAt)) return state;
  return { ...state, sessions: [...sessions, startedAt].slice(-MAX_SESSIONS) };
}

/** [CI-12] Both partners said yes for this commitment. */
export function bothConsented(state: CheckInState, commitmentId: string): boolean {
  const consent = state.counsellorConsent[commitmentId];
  return consent?.A !== undefined && consent?.B !== undefined;
}
