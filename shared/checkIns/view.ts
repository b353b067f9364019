import type { PartnerSeat, SeatId } from '../protocol/identity';
import { bothConsented } from './commands';
import { otherSeat, type CheckInAnswer, type CheckInState, type Mark, type Rhythm, type SmallStep } from './model';
import { openPeriods, periodAfter, periodAt, recentPeriods, type Period } from './periods';
import { celebrationLine } from './wording';

/**
 * What one seat may read of a room's check-ins. The server sends only these views: an answer
 * not yet revealed to a seat, and words kept to oneself, are left out here, so they never
 * leave the server (CI-06, CI-07, CI-12).
 */

/** How many periods the way so far shows per commitment. */
export const PERIODS_SHOWN = 12;
/** How far back a streak is counted, at most. */
const STREAK_LOOKBACK = 520;

export type SeenAnswer =
  /** [CI-06] given, not shown yet */
  | { seen: false; at: number }
  | { seen: true; mark: Mark; at: number; words: string | null; wordsKept: boolean };

export interface PeriodView extends Period {
  open: boolean;
  /** both answered, or its answers closed */
  revealed: boolean;
  answers: Partial<Record<PartnerSeat, SeenAnswer>>;
  bothKept: boolean;
}

export interface CommitmentCheckIns {
  commitmentId: string;
  title: string;
  rhythm: Rhythm | null;
  /** the last PERIODS_SHOWN periods, oldest first, since the rhythm was set */
  periods: PeriodView[];
  /** keys of the periods still open for answers */
  openKeys: string[];
  streak: number;
  celebration: string | null;
  consent: Record<PartnerSeat, boolean>;
}

export interface CheckInView {
  commitments: CommitmentCheckIns[];
  notes: SmallStep[];
  /** [CI-14] guided sessions held in the room */
  sessionsHeld: number;
}

export interface CommitmentInForce {
  id: string;
  title: string;
}

function answersOf(state: CheckInState, commitmentId: string, key: string): Partial<Record<PartnerSeat, CheckInAnswer>> {
  const out: Partial<Record<PartnerSeat, CheckInAnswer>> = {};
  for (const a of state.answers) if (a.commitmentId === commitmentId && a.periodKey === key) out[a.seat] = a;
  return out;
}

/** [CI-06] Both answered, or the period's answers closed. */
export function isRevealed(answers: Partial<Record<PartnerSeat, CheckInAnswer>>, period: Period, now: number): boolean {
  return (answers.A !== undefined && answers.B !== undefined) || now >= period.closesAt;
}

function seenBy(reader: SeatId, answer: CheckInAnswer, revealed: boolean): SeenAnswer {
  if (answer.seat === reader) return { seen: true, mark: answer.mark, at: answer.at, words: answer.words || null, wordsKept: !answer.shareWords };
  if (!revealed) return { seen: false, at: answer.at };
  // [CI-07] words kept to oneself are not in the view at all
  return { seen: true, mark: answer.mark, at: answer.at, words: answer.shareWords && answer.words ? answer.words : null, wordsKept: !answer.shareWords && answer.words !== '' };
}

function periodView(state: CheckInState, reader: PartnerSeat, commitmentId: string, period: Period, now: number, openKeys: ReadonlySet<string>): PeriodView {
  const answers = answersOf(state, commitmentId, period.key);
  const revealed = isRevealed(answers, period, now);
  const seen: Partial<Record<PartnerSeat, SeenAnswer>> = {};
  for (const seat of [reader, otherSeat(reader)]) {
    const a = answers[seat];
    if (a) seen[seat] = seenBy(reader, a, revealed);
  }
  return { ...period, open: openKeys.has(period.key), revealed, answers: seen, bothKept: revealed && answers.A?.mark === 'kept' && answers.B?.mark === 'kept' };
}

/** [CI-08] Periods in a row, newest first, both marked kept; an open period not answered by both (not revealed) is passed over. */
export function streakOf(state: CheckInState, commitmentId: string, rhythm: Rhythm, now: number): number {
  let period = periodAt(rhythm, now);
  if (!period) return 0;
  const since = periodAt(rhythm, rhythm.setAt);
  let streak = 0;
  for (let i = 0; i < STREAK_LOOKBACK && period && (!since || period.startsAt >= since.startsAt); i++) {
    const answers = answersOf(state, commitmentId, period.key);
    if (isRevealed(answers, period, now)) {
      if (answers.A?.mark === 'kept' && answers.B?.mark === 'kept') streak++;
      else break;
    }
    period = periodAfter(rhythm, period, -1);
  }
  return streak;
}

/** The way so far as one partner may see it (CI-06, CI-07). */
export function partnerView(state: CheckInState, reader: PartnerSeat, inForce: readonly CommitmentInForce[], now: number): CheckInView {
  const ids = new Set(inForce.map((c) => c.id));
  const commitments = inForce.map((c): CommitmentCheckIns => {
    const rhythm = state.rhythms[c.id] ?? null;
    const consent = state.counsellorConsent[c.id] ?? {};
    const base = { commitmentId: c.id, title: c.title, rhythm, consent: { A: consent.A !== undefined, B: consent.B !== undefined } };
    if (!rhythm || rhythm.kind === 'none') return { ...base, periods: [], openKeys: [], streak: 0, celebration: null };
    const open = openPeriods(rhythm, now).map((p) => p.key);
    const openKeys = new Set(open);
    const periods = recentPeriods(rhythm, now, PERIODS_SHOWN, rhythm.setAt).map((p) => periodView(state, reader, c.id, p, now, openKeys));
    const streak = streakOf(state, c.id, rhythm, now);
    // [CI-09] the warm line belongs to the latest periods only, not to one long past
    const latest = periods.filter((p) => p.revealed).at(-1);
    const recent = latest !== undefined && periods.indexOf(latest) >= periods.length - 2 && latest.bothKept;
    return { ...base, periods, openKeys: open, streak, celebration: recent ? celebrationLine(rhythm.kind, streak) : null };
  });
  return { commitments, notes: state.notes.filter((n) => n.commitmentId === null || ids.has(n.commitmentId)), sessionsHeld: state.sessions?.length ?? 0 };
}

export interface CounsellorPeriod {
  key: string;
  firstDay: string;
  lastDay: string;
  marks: Partial<Record<PartnerSeat, Mark>>;
}

export interface CounsellorCommitmentMarks {
  commitmentId: string;
  title: string;
  rhythm: Pick<Rhythm, 'kind' | 'weekday' | 'timeZone'>;
  periods: CounsellorPeriod[];
}

/** [CI-12] Marks of revealed periods of the commitments both partners share; never words. */
export function counsellorView(state: CheckInState, inForce: readonly CommitmentInForce[], now: number): CounsellorCommitmentMarks[] {
  const out: CounsellorCommitmentMarks[] = [];
  for (const c of inForce) {
    const rhythm = state.rhythms[c.id];
    if (!rhythm || rhythm.kind === 'none' || !bothConsented(state, c.id)) continue;
    const periods = recentPeriods(rhythm, now, PERIODS_SHOWN, rhythm.setAt).map((p): CounsellorPeriod => {
      const answers = answersOf(state, c.id, p.key);
      const revealed = isRevealed(answers, p, now);
      const marks: Partial<Record<PartnerSeat, Mark>> = {};
      if (revealed) for (const seat of ['A', 'B'] as const) if (answers[seat]) marks[seat] = answers[seat]!.mark;
      return { key: p.key, firstDay: p.firstDay, lastDay: p.lastDay, marks };
    });
    out.push({ commitmentId: c.id, title: c.title, rhythm: { kind: rhythm.kind, weekday: rhythm.weekday, timeZone: rhythm.timeZone }, periods });
  }
  return out;
}

export interface CheckInDue {
  /** unique per commitment and period: `<commitmentId>@<periodKey>` */
  key: string;
  dueAt: number;
  commitmentId: string;
}

/**
 * [CI-11] What the seat still has to answer: per commitment with a rhythm, each open period it
 * has not answered, due at the check-in hour of the period's last day. For reminders
 * (server/reminders/): a key is the same on every node and after a restart.
 */
export function checkInsDueAt(state: CheckInState, seat: PartnerSeat, now: number, inForce?: ReadonlySet<string>): CheckInDue[] {
  const out: CheckInDue[] = [];
  for (const [commitmentId, rhythm] of Object.entries(state.rhythms)) {
    if (rhythm.kind === 'none' || (inForce && !inForce.has(commitmentId))) continue;
    for (const period of openPeriods(rhythm, now)) {
      const answered = state.answers.some((a) => a.commitmentId === commitmentId && a.periodKey === period.key && a.seat === seat);
      if (!answered) out.push({ key: `${commitmentId}@${period.key}`, dueAt: period.dueAt, commitmentId });
    }
  }
  return out.sort((a, b) => a.dueAt - b.dueAt || a.key.localeCompare(b.key));
}
