import type { Mark, Rhythm, RhythmKind, Weekday } from './model';

/**
 * The words of check-ins, in one place so they stay calm: about how "we" did, never a verdict on
 * one partner; a hard period is "a harder week", and nothing is ever said about a streak that
 * ended (CI-09).
 */

type Span = 'week' | 'day';

function spanOf(kind: RhythmKind): Span {
  return kind === 'daily' ? 'day' : 'week';
}

/** "How did we do this week?" */
export function checkInQuestion(kind: RhythmKind): string {
  return kind === 'daily' ? 'How did we do today?' : 'How did we do this week?';
}

/** The choice's label. */
export function markChoice(mark: Mark): string {
  return mark === 'kept' ? 'We kept it' : mark === 'mostly' ? 'Mostly' : 'We struggled';
}

/** A mark as the way so far shows it. */
export function markWords(mark: Mark, kind: RhythmKind): string {
  if (mark === 'kept') return 'kept it';
  if (mark === 'mostly') return 'mostly kept it';
  return `a harder ${spanOf(kind)}`;
}

const WEEKDAY_NAMES: Record<Weekday, string> = {
  sunday: 'Sunday',
  monday: 'Monday',
  tuesday: 'Tuesday',
  wednesday: 'Wednesday',
  thursday: 'Thursday',
  friday: 'Friday',
  saturday: 'Saturday',
};

export function weekdayName(day: Weekday): string {
  return WEEKDAY_NAMES[day];
}

/** "We look at this together every Sunday." */
export function rhythmWords(rhythm: Pick<Rhythm, 'kind' | 'weekday'> | null): string {
  if (!rhythm || rhythm.kind === 'none') return 'No rhythm yet: you look at this when you choose to.';
  if (rhythm.kind === 'daily') return 'We look at this together every day.';
  return `We look at this together every ${weekdayName(rhythm.weekday ?? 'sunday')}.`;
}

/** [CI-09] The warm line when both marked a period kept; after two or more in a row, it names the run. */
export function celebrationLine(kind: RhythmKind, streak: number): string | null {
  if (streak < 1) return null;
  const span = spanOf(kind);
  if (streak === 1) return `You both kept it this ${span}. Small steps like this are how trust grows back.`;
  return `${streak} ${span}s in a row you have both kept this. Take a moment to notice it together.`;
}

const dayFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' });

/** "Mon 23 Mar" for a calendar day `YYYY-MM-DD`. */
export function dayLabel(day: string): string {
  return dayFormat.format(new Date(`${day}T12:00:00Z`));
}

/** "The week to Sun 29 Mar" or "Sun 29 Mar". */
export function periodLabel(kind: RhythmKind, lastDay: string): string {
  return kind === 'daily' ? dayLabel(lastDay) : `The week to ${dayLabel(lastDay)}`;
}
