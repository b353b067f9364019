import type { PartnerSeat } from '../protocol/identity';

/**
 * Check-ins on a commitment between sessions: the record's shapes. The server keeps one
 * `CheckInState` per room as a versioned snapshot (Storage.checkIns) and writes it only on
 * commands from a seat's own device; what each device may read of it is worked out in
 * ./view.ts, so an answer not yet revealed never leaves the server.
 *
 * Rules (cited by the tests as [CI-nn]):
 * - CI-01 A rhythm is 'daily', 'weekly' (on a weekday) or 'none', on a commitment in force.
 *   Either partner sets or changes it, and both see who set it and when: it is a light,
 *   reversible choice about when to look, not a promise, so it needs no second consent
 *   (sharing with a counsellor does: CI-12).
 * - CI-02 A rhythm carries the couple's IANA time zone; every period is counted in it.
 * - CI-03 A daily period is one calendar day of that zone; a weekly one is seven calendar days
 *   ending on the chosen weekday. Days are calendar days, so a daylight-saving change makes a
 *   period 23 or 25 (or 167 or 169) hours long, never shifts it.
 * - CI-04 A period is open for answers from its start until its answers close: one day after
 *   its end for a daily rhythm, two days after it for a weekly one (so "how did we do this
 *   week" can be answered on the Monday after a Sunday).
 * - CI-05 Each partner answers for themselves only (the seat is the socket's): a mark
 *   ('kept' | 'mostly' | 'struggled'), up to 500 characters of words, and whether the other
 *   partner may read the words or only the mark. Answering again replaces one's own answer
 *   while the period is open.
 * - CI-06 Reveal after both: the other partner's answer is seen once both have answered that
 *   period, or once its answers have closed. Until then they see only that it was given.
 * - CI-07 Words kept to oneself are never seen by the other partner, whatever happens.
 * - CI-08 A streak is the run of the latest periods in which both marked 'kept', counted back
 *   from the newest revealed period; a period still open and not yet answered by both neither
 *   adds to it nor ends it.
 * - CI-09 When both mark a period kept there is a warm line; after a streak of two or more,
 *   a line that names it. Nothing is ever said about a streak that ended.
 * - CI-10 Small steps: either partner adds a short note (up to 200 characters) both see.
 * - CI-11 What is due: per commitment with a rhythm, the open periods the seat has not answered,
 *   each with one key per commitment and period, due at the check-in hour of the period's last day.
 * - CI-12 A counsellor sees a commitment's check-ins only once both partners consented for that
 *   commitment, and then the marks of revealed periods only: never words, never an answer
 *   the other partner has not seen yet. Either partner may take their consent back.
 * - CI-13 Bounded: at most MAX_ANSWERS answers (the oldest go first) and MAX_NOTES notes.
 * - CI-14 Sessions held: each guided session that ends in the room counts once (by its start),
 *   whoever ended it and however many nodes saw it end.
 */

export const RHYTHM_KINDS = ['daily', 'weekly', 'none'] as const;
export type RhythmKind = (typeof RHYTHM_KINDS)[number];

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const MARKS = ['kept', 'mostly', 'struggled'] as const;
export type Mark = (typeof MARKS)[number];

export const MAX_WORDS = 500;
export const MAX_NOTE = 200;
export const MAX_ANSWERS = 5000;
export const MAX_NOTES = 300;
export const MAX_SESSIONS = 1000;
/** The zone's clock hour a period's check-in is due at, on its last day. */
export const CHECK_IN_HOUR = 19;

export interface Rhythm {
  kind: RhythmKind;
  /** weekly only: the day the week ends on, the day to look back together */
  weekday: Weekday | null;
  /** IANA zone the periods are counted in */
  timeZone: string;
  setBy: PartnerSeat;
  setAt: number;
}

export interface CheckInAnswer {
  commitmentId: string;
  /** the period it answers (./periods.ts periodKey) */
  periodKey: string;
  seat: PartnerSeat;
  mark: Mark;
  /** '' when none were written */
  words: string;
  /** false: the other partner sees the mark only */
  shareWords: boolean;
  at: number;
}

export interface SmallStep {
  id: string;
  text: string;
  seat: PartnerSeat;
  at: number;
  /** the commitment it is about, if one */
  commitmentId: string | null;
}

export interface CheckInState {
  rhythms: Record<string, Rhythm>;
  answers: CheckInAnswer[];
  notes: SmallStep[];
  /** per commitment, when each partner agreed to show its marks to the counsellor */
  counsellorConsent: Record<string, Partial<Record<PartnerSeat, number>>>;
  /** [CI-14] when each guided session that ended here had started (its id), at most MAX_SESSIONS; absent in states stored before it */
  sessions?: number[];
}

export function emptyCheckIns(): CheckInState {
  return { rhythms: {}, answers: [], notes: [], counsellorConsent: {} };
}

export function otherSeat(seat: PartnerSeat): PartnerSeat {
  return seat === 'A' ? 'B' : 'A';
}
