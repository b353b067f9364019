import type { By } from '../../../shared/session/types';
import type { PartnerSeat } from '../../../shared/protocol/identity';
import type { SeatId } from '../../../shared/protocol/identity';

/**
 * Who reads a break screen, as far as its words go: the partner who called the break, the
 * other partner, a partner whose counsellor called it, or the counsellor (who called it, or not).
 */
export type BreakReader = 'caller' | 'partner' | 'calledByCounsellor' | 'counsellor' | 'counsellorCaller';

/** A break still running, or one whose time has passed with nobody back yet. */
export type BreakSituation = 'running' | 'over';

/** What a reader may do from the break screen. */
export type BreakAction = 'back' | 'longer' | 'resume';

export interface BreakLines {
  heading: string;
  body: string;
  actions: BreakAction[];
}

export function breakReader(by: By, you: SeatId): BreakReader {
  if (you === 'counsellor') return by === 'counsellor' ? 'counsellorCaller' : 'counsellor';
  if (by === 'counsellor') return 'calledByCounsellor';
  return by === you ? 'caller' : 'partner';
}

interface Names {
  /** the first name of the partner who called it (for the other partner and the counsellor) */
  caller: string;
  until: string;
}

type Table = Record<BreakReader, Record<BreakSituation, (n: Names) => BreakLines>>;

/**
 * Every line of the break screen, per reader and situation, so no one reads words written for
 * someone else: the other partner is never offered "I need longer" or "I'm back" for a break
 * they never left, and only the caller is told to take their time.
 */
const table: Table = {
  caller: {
    running: ({ until }) => ({
      heading: `You are taking a break until ${until}.`,
      body: 'Take the time you need. Breathe slowly; drink some water; step outside if you can. The session waits, exactly where it was.',
      actions: ['back', 'longer'],
    }),
    over: ({ until }) => ({
      heading: `Your break was until ${until}.`,
      body: 'Come back when you are ready, or take a little longer. The session waits, exactly where it was.',
      actions: ['back', 'longer'],
    }),
  },
  partner: {
    running: ({ caller, until }) => ({
      heading: `${caller} is taking a break until ${until}.`,
      body: `You don’t need to do anything. The session carries on, exactly where it was, when ${caller} is back. Take this time for yourself too.`,
      actions: [],
    }),
    over: ({ caller, until }) => ({
      heading: `${caller}’s break was until ${until}.`,
      body: `You don’t need to do anything. The session carries on, exactly where it was, when ${caller} is back.`,
      actions: [],
    }),
  },
  calledByCounsellor: {
    running: ({ caller, until }) => ({
      heading: `${caller} called a break until ${until}.`,
      body: 'Take the time you need. Press “I’m back” when you are ready; the session carries on when you are both back.',
      actions: ['back'],
    }),
    over: ({ until }) => ({
      heading: `The break was until ${until}.`,
      body: 'Press “I’m back” when you are ready; the session carries on when you are both back.',
      actions: ['back'],
    }),
  },
  counsellor: {
    running: ({ caller, until }) => ({
      heading: `${caller} is taking a break until ${until}.`,
      body: `Nothing is needed from you. The session carries on when ${caller} is back; you may also resume it for both of them, or end it.`,
      actions: ['resume'],
    }),
    over: ({ caller, until }) => ({
      heading: `${caller}’s break was until ${until}.`,
      body: `${caller} is not back yet. You may wait, resume the session for both of them, or end it.`,
      actions: ['resume'],
    }),
  },
  counsellorCaller: {
    running: ({ until }) => ({
      heading: `You called a break until ${until}.`,
      body: 'The session carries on when both partners are back, or when you resume it.',
      actions: ['resume'],
    }),
    over: ({ until }) => ({
      heading: `The break you called was until ${until}.`,
      body: 'The session carries on when both partners are back, or when you resume it.',
      actions: ['resume'],
    }),
  },
};

export function breakLines(reader: BreakReader, situation: BreakSituation, names: Names): BreakLines {
  return table[reader][situation](names);
}

/** The caller's name, for the others' screens ("Dr Lee" for the counsellor, if the room knows it). */
export function callerName(by: By, names: Record<PartnerSeat, string>, counsellor: string | null = null): string {
  return by === 'counsellor' ? (counsellor ?? 'Your counsellor') : names[by];
}
