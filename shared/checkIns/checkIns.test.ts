import { describe, expect, it } from 'vitest';
import { addNote, answer, bothConsented, recordSession, setCounsellorConsent, setRhythm } from './commands';
import { emptyCheckIns, MAX_ANSWERS, type CheckInState, type Mark } from './model';
import { checkInsDueAt, counsellorView, partnerView } from './view';
import { celebrationLine, checkInQuestion, markWords, rhythmWords } from './wording';

const DAY = 86_400_000;
const inForce = new Set(['c1']);
const commitments = [{ id: 'c1', title: 'Walk before we talk' }];
// Monday 2026-06-01 10:00 UTC; weekly on Sunday, UTC
const start = Date.UTC(2026, 5, 1, 10);

function withRhythm(): CheckInState {
  return setRhythm(emptyCheckIns(), { seat: 'A', commitmentId: 'c1', kind: 'weekly', weekday: 'sunday', timeZone: 'UTC', now: start, inForce });
}

function give(state: CheckInState, seat: 'A' | 'B', periodKey: string, mark: Mark, now: number, words = '', shareWords = true): CheckInState {
  return answer(state, { seat, commitmentId: 'c1', periodKey, mark, words, shareWords, now, inForce });
}

describe('rhythms', () => {
  it('[CI-01] either partner sets a rhythm, and both see who set it', () => {
    const s = setRhythm(withRhythm(), { seat: 'B', commitmentId: 'c1', kind: 'daily', weekday: 'friday', timeZone: 'Europe/Berlin', now: start + 1, inForce });
    expect(s.rhythms.c1).toEqual({ kind: 'daily', weekday: null, timeZone: 'Europe/Berlin', setBy: 'B', setAt: start + 1 });
    expect(partnerView(s, 'A', commitments, start).commitments[0]!.rhythm?.setBy).toBe('B');
  });

  it('[CI-01] a rhythm only on a commitment in force', () => {
    expect(() => setRhythm(emptyCheckIns(), { seat: 'A', commitmentId: 'gone', kind: 'daily', weekday: null, timeZone: 'UTC', now: start, inForce })).toThrow(
      expect.objectContaining({ code: 'COMMITMENT_NOT_FOUND' }),
    );
  });
});

describe('answers and reveal after both', () => {
  it('[CI-05, CI-06] the other partner sees only that an answer was given until both answered', () => {
    let s = give(withRhythm(), 'A', 'w:2026-06-01', 'kept', start + DAY, 'We walked twice');
    const b = partnerView(s, 'B', commitments, start + DAY).commitments[0]!.periods.at(-1)!;
    expect(b.answers.A).toEqual({ seen: false, at: start + DAY });
    expect(JSON.stringify(b)).not.toContain('walked');
    expect(JSON.stringify(b)).not.toContain('kept"');
    const a = partnerView(s, 'A', commitments, start + DAY).commitments[0]!.periods.at(-1)!;
    expect(a.answers.A).toMatchObject({ seen: true, mark: 'kept', words: 'We walked twice' });
    s = give(s, 'B', 'w:2026-06-01', 'mostly', start + 2 * DAY);
    const after = partnerView(s, 'B', commitments, start + 2 * DAY).commitments[0]!.periods.at(-1)!;
    expect(after.revealed).toBe(true);
    expect(after.answers.A).toMatchObject({ seen: true, mark: 'kept', words: 'We walked twice' });
  });

  it('[CI-06] once a period\'s answers close, what was given shows', () => {
    const s = give(withRhythm(), 'A', 'w:2026-06-01', 'struggled', start + DAY);
    // the week ends Sunday 7 June; answers close Wednesday 10 June 00:00 UTC
    const tuesday = Date.UTC(2026, 5, 9, 12);
    expect(partnerView(s, 'B', commitments, tuesday).commitments[0]!.periods.find((p) => p.key === 'w:2026-06-01')!.answers.A).toMatchObject({ seen: false });
    const wednesday = Date.UTC(2026, 5, 10, 1);
    expect(partnerView(s, 'B', commitments, wednesday).commitments[0]!.periods.find((p) => p.key === 'w:2026-06-01')!.answers.A).toMatchObject({ seen: true, mark: 'struggled' });
  });

  it('[CI-07] words kept to oneself never reach the other, even after both answered', () => {
    let s = give(withRhythm(), 'A', 'w:2026-06-01', 'mostly', start, 'only for me', false);
    s = give(s, 'B', 'w:2026-06-01', 'kept', start);
    const view = partnerView(s, 'B', commitments, start);
    expect(view.commitments[0]!.periods.at(-1)!.answers.A).toMatchObject({ seen: true, mark: 'mostly', words: null, wordsKept: true });
    expect(JSON.stringify(view)).not.toContain('only for me');
    expect(partnerView(s, 'A', commitments, start).commitments[0]!.periods.at(-1)!.answers.A).toMatchObject({ words: 'only for me', wordsKept: true });
  });

  it('[CI-04, CI-05] answering again replaces one\'s own answer; a closed or foreign period is refused', () => {
    let s = give(withRhythm(), 'A', 'w:2026-06-01', 'struggled', start);
    s = give(s, 'A', 'w:2026-06-01', 'mostly', start + 1);
    expect(s.answers).toHaveLength(1);
    expect(() => give(s, 'A', 'w:2026-05-18', 'kept', start)).toThrow(expect.objectContaining({ code: 'CHECK_IN_CLOSED' }));
    expect(() => give(s, 'A', 'w:2026-06-01', 'kept', Date.UTC(2026, 5, 20))).toThrow(expect.objectContaining({ code: 'CHECK_IN_CLOSED' }));
    expect(() => give(s, 'A', 'w:2026-06-02', 'kept', start)).toThrow(expect.objectContaining({ code: 'CHECK_IN_CLOSED' }));
    expect(() => give(emptyCheckIns(), 'A', 'w:2026-06-01', 'kept', start)).toThrow(expect.objectContaining({ code: 'CHECK_IN_NO_RHYTHM' }));
  });

  it('[CI-13] answers are bounded, the oldest going first', () => {
    let s = withRhythm();
    s = { ...s, answers: Array.from({ length: MAX_ANSWERS }, (_, i) => ({ commitmentId: 'old', periodKey: `w:${i}`, seat: 'A' as const, mark: 'kept' as const, words: '', shareWords: true, at: i })) };
    s = give(s, 'A', 'w:2026-06-01', 'kept', start);
    expect(s.answers).toHaveLength(MAX_ANSWERS);
    expect(s.answers.at(-1)!.commitmentId).toBe('c1');
  });
});

describe('streaks and the warm line', () => {
  function weeks(marks: Array<[Mark, Mark]>): { state: CheckInState; now: number } {
    let s = withRhythm();
    let now = start;
    marks.forEach(([a, b], i) => {
      const day = new Date(Date.UTC(2026, 5, 1 + 7 * i)).toISOString().slice(0, 10);
      now = Date.UTC(2026, 5, 7 + 7 * i, 18);
      s = give(s, 'A', `w:${day}`, a, now);
      s = give(s, 'B', `w:${day}`, b, now);
    });
    return { state: s, now };
  }

  it('[CI-08, CI-09] three weeks both kept is a streak of three, named warmly', () => {
    const { state, now } = weeks([['kept', 'kept'], ['kept', 'kept'], ['kept', 'kept']]);
    const c = partnerView(state, 'A', commitments, now).commitments[0]!;
    expect(c.streak).toBe(3);
    expect(c.celebration).toBe('3 weeks in a row you have both kept this. Take a moment to notice it together.');
  });

  it('[CI-08] a harder week ends the count and nothing is said of it; the new run counts from there', () => {
    const { state, now } = weeks([['kept', 'kept'], ['kept', 'kept'], ['struggled', 'kept']]);
    const c = partnerView(state, 'A', commitments, now).commitments[0]!;
    expect(c.streak).toBe(0);
    expect(c.celebration).toBeNull();
    const again = weeks([['kept', 'kept'], ['mostly', 'kept'], ['kept', 'kept']]);
    expect(partnerView(again.state, 'B', commitments, again.now).commitments[0]!.streak).toBe(1);
  });

  it('[CI-08] a new week not yet answered by both neither adds to the streak nor ends it', () => {
    const { state } = weeks([['kept', 'kept'], ['kept', 'kept']]);
    const nextTuesday = Date.UTC(2026, 5, 16, 12);
    const s = give(state, 'A', 'w:2026-06-15', 'kept', nextTuesday);
    expect(partnerView(s, 'A', commitments, nextTuesday).commitments[0]!.streak).toBe(2);
  });

  it('[CI-09] the words: about how we did, a harder week, never a broken streak', () => {
    expect(checkInQuestion('weekly')).toBe('How did we do this week?');
    expect(checkInQuestion('daily')).toBe('How did we do today?');
    expect(markWords('struggled', 'weekly')).toBe('a harder week');
    expect(markWords('struggled', 'daily')).toBe('a harder day');
    expect(celebrationLine('weekly', 0)).toBeNull();
    expect(celebrationLine('weekly', 1)).toBe('You both kept it this week. Small steps like this are how trust grows back.');
    expect(celebrationLine('daily', 4)).toContain('4 days in a row');
    expect(rhythmWords({ kind: 'weekly', weekday: 'sunday' })).toBe('We look at this together every Sunday.');
    for (const line of [celebrationLine('weekly', 2), markWords('struggled', 'weekly'), rhythmWords(null)]) expect(line).not.toMatch(/broke|fail|lost|missed/i);
  });
});

describe('sessions held', () => {
  it('[CI-14] each ended session counts once, by its start', () => {
    let s = recordSession(emptyCheckIns(), 100);
    s = recordSession(s, 100);
    s = recordSession(s, 200);
    expect(partnerView(s, 'A', commitments, start).sessionsHeld).toBe(2);
    expect(partnerView(emptyCheckIns(), 'A', commitments, start).sessionsHeld).toBe(0);
  });
});

describe('small steps, due check-ins and the counsellor', () => {
  it('[CI-10] either partner notes a small step, both see it', () => {
    const { state } = addNote(withRhythm(), { seat: 'B', id: 'n1', text: ' We walked before we talked, twice ', commitmentId: 'c1', now: start, inForce });
    expect(partnerView(state, 'A', commitments, start).notes).toEqual([{ id: 'n1', text: 'We walked before we talked, twice', seat: 'B', at: start, commitmentId: 'c1' }]);
  });

  it('[CI-11] what is due: one key per commitment and period, gone once answered', () => {
    const s = withRhythm();
    expect(checkInsDueAt(s, 'A', start)).toEqual([{ key: 'c1@w:2026-06-01', dueAt: Date.UTC(2026, 5, 7, 19), commitmentId: 'c1' }]);
    const answered = give(s, 'A', 'w:2026-06-01', 'kept', start);
    expect(checkInsDueAt(answered, 'A', start)).toEqual([]);
    expect(checkInsDueAt(answered, 'B', start)).toHaveLength(1);
    // Monday after: last week still open for B, and the new week
    expect(checkInsDueAt(answered, 'B', Date.UTC(2026, 5, 8, 9)).map((d) => d.key)).toEqual(['c1@w:2026-06-01', 'c1@w:2026-06-08']);
    expect(checkInsDueAt(answered, 'B', start, new Set())).toEqual([]);
  });

  it('[CI-12] the counsellor sees marks of revealed periods, only with both partners\' consent, never words', () => {
    let s = give(withRhythm(), 'A', 'w:2026-06-01', 'kept', start, 'private words');
    s = setCounsellorConsent(s, { seat: 'A', commitmentId: 'c1', share: true, now: start, inForce });
    expect(bothConsented(s, 'c1')).toBe(false);
    expect(counsellorView(s, commitments, start)).toEqual([]);
    s = setCounsellorConsent(s, { seat: 'B', commitmentId: 'c1', share: true, now: start, inForce });
    expect(counsellorView(s, commitments, start)[0]!.periods.at(-1)!.marks).toEqual({});
    s = give(s, 'B', 'w:2026-06-01', 'mostly', start, 'more words');
    const view = counsellorView(s, commitments, start);
    expect(view[0]!.periods.at(-1)!.marks).toEqual({ A: 'kept', B: 'mostly' });
    expect(JSON.stringify(view)).not.toMatch(/words/);
    s = setCounsellorConsent(s, { seat: 'B', commitmentId: 'c1', share: false, now: start, inForce });
    expect(counsellorView(s, commitments, start)).toEqual([]);
  });
});
