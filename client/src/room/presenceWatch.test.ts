import { describe, expect, it } from 'vitest';
import type { Presence } from '../../../shared/protocol/rooms';
import { calmPresence, onGraceOver, onPresence, PRESENCE_GRACE_MS, type SeatWatch } from './presenceWatch';

/** Plays presence changes at given times and the grace timers they ask for; returns every line told. */
function play(changes: Array<[number, Presence, number?]>, until: number): { lines: string[]; watch: SeatWatch | undefined } {
  let watch: SeatWatch | undefined;
  let wakeAt: number | null = null;
  const lines: string[] = [];
  const events = [...changes];
  for (let t = 0; t <= until; t += 250) {
    if (wakeAt !== null && t >= wakeAt && watch) {
      const step = onGraceOver(watch, 'Alex', t);
      watch = step.watch;
      wakeAt = step.wakeAt;
      if (step.notice) lines.push(step.notice);
    }
    while (events.length && events[0]![0] <= t) {
      const [, presence, silentForMs] = events.shift()!;
      const step = onPresence(watch, presence, 'Alex', t, silentForMs);
      watch = step.watch;
      wakeAt = step.wakeAt ?? (step.watch.told ? null : wakeAt);
      if (step.notice) lines.push(step.notice);
    }
  }
  return { lines, watch };
}

describe('presence without alarm', () => {
  it('a reload (away, gone, here within two seconds) tells the partner nothing', () => {
    expect(play([[0, 'here'], [1000, 'away'], [1200, 'gone'], [2500, 'here']], 30_000).lines).toEqual([]);
  });

  it('a short network loss (gone for 8 seconds) tells nothing', () => {
    expect(play([[0, 'here'], [1000, 'gone'], [9000, 'here']], 30_000).lines).toEqual([]);
  });

  it('an absence past the grace is told once, in one calm line, and the return once', () => {
    const { lines } = play([[0, 'here'], [1000, 'away'], [3000, 'gone'], [40_000, 'here']], 60_000);
    expect(lines).toEqual(['Alex has left the room for now.', 'Alex is back.']);
  });

  it('stepping away for long is told as stepping away', () => {
    expect(play([[0, 'here'], [1000, 'away']], 1000 + PRESENCE_GRACE_MS + 500).lines).toEqual(['Alex stepped away for a moment.']);
  });

  it('what the room looked like on opening is not news; an arrival after is', () => {
    expect(play([[0, 'gone'], [5000, 'here']], 10_000).lines).toEqual(['Alex is here.']);
    expect(play([[0, 'here']], 20_000).lines).toEqual([]);
  });

  it('a lost network, found by the server after 9 s of silence, is told 1 s later: the grace counts from the silence', () => {
    let watch = onPresence(undefined, 'here', 'Alex', 0).watch;
    const left = onPresence(watch, 'gone', 'Alex', 12_000, 9_000);
    expect(left.notice).toBeNull();
    expect(left.wakeAt).toBe(13_000);
    watch = left.watch;
    expect(onGraceOver(watch, 'Alex', 12_500).notice).toBeNull();
    expect(onGraceOver(watch, 'Alex', 13_000).notice).toBe('Alex’s connection dropped. Their place here is kept.');
  });

  it('a silence longer than the grace is told at once; a reload (silent for 0 ms) waits the whole grace', () => {
    expect(play([[0, 'here'], [15_000, 'gone', 14_000]], 15_250).lines).toEqual(['Alex’s connection dropped. Their place here is kept.']);
    expect(play([[0, 'here'], [1000, 'gone', 0], [3000, 'here']], 30_000).lines).toEqual([]);
    expect(play([[0, 'here'], [1000, 'gone', -50]], 1000 + PRESENCE_GRACE_MS - 250).lines).toEqual([]);
  });

  it('a state without the silence that came before the drop\'s own: the grace still counts from the silence', () => {
    let watch = onPresence(undefined, 'here', 'Alex', 0).watch;
    watch = onPresence(watch, 'away', 'Alex', 11_000).watch;
    const dropped = onPresence(watch, 'gone', 'Alex', 12_000, 9_000);
    expect(dropped.wakeAt).toBe(13_000);
    expect(onGraceOver(dropped.watch, 'Alex', 13_000).notice).toBe('Alex’s connection dropped. Their place here is kept.');
  });

  it('the room shows them here while a departure waits out its grace', () => {
    const left = onPresence(onPresence(undefined, 'here', 'Alex', 0).watch, 'gone', 'Alex', 1000).watch;
    expect(calmPresence(left, 'gone')).toBe('here');
    const told = onGraceOver(left, 'Alex', 1000 + PRESENCE_GRACE_MS).watch;
    expect(calmPresence(told, 'gone')).toBe('gone');
  });
});
