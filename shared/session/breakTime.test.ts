import { describe, expect, it } from 'vitest';
import { MAX_BREAKS_KEPT, resumedFrom, timeLeavingOutBreaks } from './breakTime';
import type { ActiveState, PausedState, ProposedState } from './types';

const MIN = 60_000;

describe('timeLeavingOutBreaks: clocks stand still during a time-out', () => {
  it.each([
    ['no breaks', 0, 10 * MIN, [], 10 * MIN],
    ['a break wholly inside', 0, 30 * MIN, [{ from: 5 * MIN, to: 25 * MIN }], 10 * MIN],
    ['a break that began before the clock started', 10 * MIN, 30 * MIN, [{ from: 0, to: 15 * MIN }], 15 * MIN],
    ['a break still to come (now is before it)', 0, 4 * MIN, [{ from: 5 * MIN, to: 25 * MIN }], 4 * MIN],
    ['a break now running (ends later than now)', 0, 10 * MIN, [{ from: 6 * MIN, to: 40 * MIN }], 6 * MIN],
    ['a break wholly before', 20 * MIN, 25 * MIN, [{ from: 0, to: 10 * MIN }], 5 * MIN],
    ['two breaks', 0, 60 * MIN, [{ from: 10 * MIN, to: 20 * MIN }, { from: 30 * MIN, to: 50 * MIN }], 30 * MIN],
    ['a clock ahead of now never goes below zero', 10 * MIN, 5 * MIN, [], 0],
  ])('%s', (_name, from, now, breaks, expected) => {
    expect(timeLeavingOutBreaks(from, now, breaks)).toBe(expected);
  });
});

const active = (over: Partial<ActiveState> = {}): ActiveState =>
  ({ phase: 'active', version: 3, updatedAt: 0, stepStartedAt: 100 * MIN, ...over }) as ActiveState;
const pausedOver = (resumeTo: ActiveState | ProposedState, at: number): PausedState => ({
  phase: 'paused',
  version: 4,
  updatedAt: at,
  pause: { by: 'A', at, until: at + 20 * MIN, back: { A: false, B: false } },
  resumeTo,
});

describe('resumedFrom: a resumed session notes its break (TM-30)', () => {
  it('adds the break from its call to the resume', () => {
    const resumed = resumedFrom(pausedOver(active(), 110 * MIN), 125 * MIN);
    expect(resumed).toMatchObject({ phase: 'active', breaks: [{ from: 110 * MIN, to: 125 * MIN }] });
  });

  it('drops breaks that ended before the step began, and keeps at most MAX_BREAKS_KEPT', () => {
    const old = { from: 10 * MIN, to: 20 * MIN };
    const many = Array.from({ length: MAX_BREAKS_KEPT }, (_, i) => ({ from: 100 * MIN + i, to: 100 * MIN + i + 1 }));
    const resumed = resumedFrom(pausedOver(active({ breaks: [old, ...many] }), 200 * MIN), 210 * MIN);
    if (resumed.phase !== 'active') throw new Error('expected active');
    expect(resumed.breaks).toHaveLength(MAX_BREAKS_KEPT);
    expect(resumed.breaks).not.toContainEqual(old);
    expect(resumed.breaks?.at(-1)).toEqual({ from: 200 * MIN, to: 210 * MIN });
  });

  it('gives a paused proposal back exactly: it has no clocks', () => {
    const proposed = { phase: 'proposed', version: 2, updatedAt: 0 } as ProposedState;
    expect(resumedFrom(pausedOver(proposed, 5 * MIN), 9 * MIN)).toBe(proposed);
  });
});
