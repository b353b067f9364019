import { CHECK_IN_HOUR, WEEKDAYS, type Rhythm } from './model';
import { addDays, daysBetween, localDay, startOfDay, weekdayOf, zonedTime } from './zonedTime';

/** One period of a rhythm: its first and last calendar day and the instants that bound it. */
export interface Period {
  /** `d:YYYY-MM-DD` or `w:YYYY-MM-DD` (the first day): unique per rhythm kind and start */
  key: string;
  firstDay: string;
  lastDay: string;
  startsAt: number;
  /** the first instant after its last day */
  endsAt: number;
  /** [CI-04] answers are taken until then; afterwards both see what was given */
  closesAt: number;
  /** [CI-11] the check-in hour of its last day */
  dueAt: number;
}

const GRACE_DAYS = { daily: 1, weekly: 2 } as const;

function periodFrom(rhythm: Rhythm, firstDay: string): Period {
  const kind = rhythm.kind === 'weekly' ? 'weekly' : 'daily';
  const length = kind === 'weekly' ? 7 : 1;
  const lastDay = addDays(firstDay, length - 1);
  const zone = rhythm.timeZone;
  return {
    key: `${kind === 'weekly' ? 'w' : 'd'}:${firstDay}`,
    firstDay,
    lastDay,
    startsAt: startOfDay(firstDay, zone),
    endsAt: startOfDay(addDays(lastDay, 1), zone),
    closesAt: startOfDay(addDays(lastDay, 1 + GRACE_DAYS[kind]), zone),
    dueAt: zonedTime(lastDay, CHECK_IN_HOUR, zone),
  };
}

/** [CI-03] The period of the rhythm that `now` falls in; null for 'none'. */
export function periodAt(rhythm: Rhythm, now: number): Period | null {
  if (rhythm.kind === 'none') return null;
  const today = localDay(now, rhythm.timeZone);
  if (rhythm.kind === 'daily') return periodFrom(rhythm, today);
  const endDay = WEEKDAYS.indexOf(rhythm.weekday ?? 'sunday');
  const untilEnd = (endDay - weekdayOf(today) + 7) % 7;
  return periodFrom(rhythm, addDays(today, untilEnd - 6));
}

/** The period before `period` (or after it, with `step` 1). */
export function periodAfter(rhythm: Rhythm, period: Period, step: number): Period {
  const length = rhythm.kind === 'weekly' ? 7 : 1;
  return periodFrom(rhythm, addDays(period.firstDay, step * length));
}

/**
 * [CI-04] The periods open for answers at `now`, oldest first: the current one and, in its
 * grace, the one before, unless that one began before the rhythm was set.
 */
export function openPeriods(rhythm: Rhythm, now: number): Period[] {
  const current = periodAt(rhythm, now);
  if (!current) return [];
  const before = periodAfter(rhythm, current, -1);
  const first = periodAt(rhythm, rhythm.setAt);
  return now < before.closesAt && (!first || before.startsAt >= first.startsAt) ? [before, current] : [current];
}

/** The period a key names under this rhythm, or null when the key belongs to another rhythm. */
export function periodOfKey(rhythm: Rhythm, key: string): Period | null {
  const match = /^([dw]):(\d{4}-\d{2}-\d{2})$/.exec(key);
  if (!match || rhythm.kind === 'none') return null;
  const [, kind, firstDay] = match;
  if ((kind === 'w') !== (rhythm.kind === 'weekly')) return null;
  const period = periodFrom(rhythm, firstDay!);
  // a weekly key must end on the rhythm's weekday
  if (rhythm.kind === 'weekly' && weekdayOf(period.lastDay) !== WEEKDAYS.indexOf(rhythm.weekday ?? 'sunday')) return null;
  return period;
}

/** The last `count` periods up to the one `now` falls in, oldest first, none before `since`'s. */
export function recentPeriods(rhythm: Rhythm, now: number, count: number, since: number): Period[] {
  const current = periodAt(rhythm, now);
  if (!current) return [];
  const first = periodAt(rhythm, since) ?? current;
  const available = Math.floor(daysBetween(first.firstDay, current.firstDay) / (rhythm.kind === 'weekly' ? 7 : 1)) + 1;
  const n = Math.max(1, Math.min(count, available));
  return Array.from({ length: n }, (_, i) => periodAfter(rhythm, current, i - (n - 1)));
}
