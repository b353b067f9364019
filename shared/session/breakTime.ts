import type { BreakSpan, PausedState, SessionState } from './types';

/** How many time-outs a step keeps: enough for any real evening, bounded for the store. */
export const MAX_BREAKS_KEPT = 50;

/**
 * Time passed since `from`, leaving out the time-outs (or the parts of them) that fall between
 * `from` and `now`: the clocks of a step stand still while its people are on a break.
 */
export function timeLeavingOutBreaks(from: number, now: number, breaks: readonly BreakSpan[] = []): number {
  let taken = 0;
  for (const span of breaks) {
    const start = Math.max(span.from, from);
    const end = Math.min(span.to, now);
    if (end > start) taken += end - start;
  }
  return Math.max(0, now - from - taken);
}

/**
 * What a time-out gives back when it ends at `now` (TM-30): the paused state as it was, with
 * this break added to its list so its clocks leave it out. Breaks from before the step began
 * can no longer touch its clocks and are dropped.
 */
export function resumedFrom(paused: PausedState, now: number): SessionState {
  const before = paused.resumeTo;
  if (before.phase !== 'active') return before;
  const span: BreakSpan = { from: paused.pause.at, to: Math.max(paused.pause.at, now) };
  const kept = (before.breaks ?? []).filter((b) => b.to > before.stepStartedAt);
  return { ...before, breaks: [...kept, span].slice(-MAX_BREAKS_KEPT) };
}
