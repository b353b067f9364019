import { describe, expect, it } from 'vitest';
import type { SeatId } from '../protocol/identity';
import type { SessionState } from '../session/types';
import { micFor, playbackMuted, type Mic, type MicReason } from './micRule';

/** Only the fields the rule reads; the rest of a snapshot does not change its answer. */
const active = (step: object) => ({ phase: 'active', version: 3, updatedAt: 0, step }) as unknown as SessionState;
const turn = (sub: string) => active({ kind: 'speaker-listener', speaker: 'A', sub });
const states: Record<string, SessionState> = {
  idle: { phase: 'idle', version: 0, updatedAt: 0 },
  proposed: { phase: 'proposed', version: 1, updatedAt: 0 } as unknown as SessionState,
  ended: { phase: 'ended', version: 9, updatedAt: 0 } as unknown as SessionState,
  paused: { phase: 'paused', version: 4, updatedAt: 0 } as unknown as SessionState,
  speak: turn('speak'),
  reflect: turn('reflect'),
  check: turn('check'),
  validate: turn('validate'),
  empathise: turn('empathise'),
  pass: turn('pass'),
  complete: turn('complete'),
  open: active({ kind: 'open', turn: 'A' }),
  appreciation: active({ kind: 'appreciation', turn: 'B' }),
  agreement: active({ kind: 'agreement' }),
  breakStep: active({ kind: 'break' }),
};

// state × seat (A speaks in every speaker-listener row) → [mic, reason]; selfMuted and holding off.
const table: Array<[keyof typeof states, SeatId, Mic, MicReason]> = [
  ['idle', 'A', 'open', 'conversation'],
  ['idle', 'B', 'open', 'conversation'],
  ['proposed', 'B', 'open', 'conversation'],
  ['ended', 'A', 'open', 'conversation'],
  ['speak', 'A', 'open', 'yourFloor'],
  ['speak', 'B', 'muted', 'listening'],
  ['reflect', 'A', 'open', 'yourFloor'],
  ['reflect', 'B', 'open', 'sayBack'],
  ['check', 'A', 'open', 'yourFloor'],
  ['check', 'B', 'muted', 'listening'],
  ['validate', 'B', 'open', 'sayBack'],
  ['empathise', 'B', 'open', 'sayBack'],
  ['pass', 'A', 'open', 'yourFloor'],
  ['pass', 'B', 'muted', 'listening'],
  ['complete', 'A', 'open', 'conversation'],
  ['complete', 'B', 'open', 'conversation'],
  ['open', 'A', 'open', 'conversation'],
  ['open', 'B', 'open', 'conversation'],
  ['appreciation', 'A', 'open', 'conversation'],
  ['agreement', 'B', 'open', 'conversation'],
  ['breakStep', 'A', 'muted', 'breakStep'],
  ['breakStep', 'B', 'muted', 'breakStep'],
  ['paused', 'A', 'muted', 'timeOut'],
  ['paused', 'B', 'muted', 'timeOut'],
  ['speak', 'counsellor', 'open', 'counsellor'],
  ['paused', 'counsellor', 'open', 'counsellor'],
];

describe('[MR1]–[MR5], [MR7] the floor shapes the microphone', () => {
  it.each(table)('%s, seat %s: %s (%s)', (name, seat, mic, reason) => {
    expect(micFor({ session: states[name]!, seat, selfMuted: false, holding: false })).toEqual({ mic, reason });
  });
});

describe('[MR6] hold to speak', () => {
  it('opens a listener muted by the floor', () => {
    expect(micFor({ session: states.speak!, seat: 'B', selfMuted: false, holding: true })).toEqual({ mic: 'open', reason: 'holding' });
    expect(micFor({ session: states.check!, seat: 'B', selfMuted: false, holding: true }).mic).toBe('open');
    expect(micFor({ session: states.breakStep!, seat: 'A', selfMuted: false, holding: true }).mic).toBe('open');
  });
  it('changes nothing for a microphone already open', () => {
    expect(micFor({ session: states.speak!, seat: 'A', selfMuted: false, holding: true })).toEqual({ mic: 'open', reason: 'yourFloor' });
  });
  it('does not open a time-out', () => {
    expect(micFor({ session: states.paused!, seat: 'B', selfMuted: false, holding: true })).toEqual({ mic: 'muted', reason: 'timeOut' });
  });
});

describe('[MR8] one’s own mute always wins', () => {
  it.each(Object.keys(states))('%s', (name) => {
    for (const seat of ['A', 'B', 'counsellor'] as const) {
      for (const holding of [false, true]) {
        expect(micFor({ session: states[name]!, seat, selfMuted: true, holding })).toEqual({ mic: 'muted', reason: 'selfMuted' });
      }
    }
  });

  it('MR9: during a time-out the receiving device plays no partner, whatever they send; the counsellor is still heard', () => {
    for (const from of ['A', 'B'] as const) expect(playbackMuted(states.paused!, from)).toBe(true);
    expect(playbackMuted(states.paused!, 'counsellor')).toBe(false);
    for (const [name, session] of Object.entries(states)) {
      if (name === 'paused') continue;
      for (const from of ['A', 'B', 'counsellor'] as const) expect(playbackMuted(session, from)).toBe(false);
    }
  });
});
