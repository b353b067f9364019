import { describe, expect, it } from 'vitest';
import type { PartnerSeat } from '../../../shared/protocol/identity';
import type { ActiveState, SessionEvent, StepState } from '../../../shared/session/types';
import type { SeatId } from '../../../shared/protocol/identity';
import { acknowledgement, yourTurn } from './yourTurn';

const names: Record<PartnerSeat, string> = { A: 'Sam', B: 'Alex' };
const VIEWERS: SeatId[] = ['A', 'B', 'counsellor'];

function active(step: StepState, extra: Partial<ActiveState> = {}): ActiveState {
  return {
    phase: 'active',
    version: 3,
    updatedAt: 0,
    packId: 'p',
    mode: 'write',
    proposedBy: 'A',
    startedAt: 0,
    stepIndex: 0,
    stepId: 's1',
    stepCount: 3,
    stepStartedAt: 0,
    step,
    record: { doneSteps: [], reflectionsConfirmed: { A: 0, B: 0 }, proposals: [], keepRecord: { A: null, B: null } },
    ...extra,
  };
}

function turn(sub: 'speak' | 'reflect' | 'check' | 'validate' | 'empathise' | 'pass' | 'complete', round: 1 | 2 = 1): StepState {
  const base = { kind: 'speaker-listener', rounds: 2, round, offerValidate: true, offerEmpathise: true, speaker: 'A', subStartedAt: 0, said: [] as string[] } as const;
  return { ...base, sub, reflection: null, validation: null, empathy: null } as StepState;
}

const simple = (t: PartnerSeat, ready = { A: false, B: false }): StepState => ({ kind: 'open', turn: t, entries: [], ready });

/** phase × reader → the title each reads. Sam (A) speaks in every speaker-listener row. */
const table: [moment: string, state: ActiveState, titles: Record<SeatId, string>][] = [
  ['speak', active(turn('speak')), { A: 'Your turn: you have the floor', B: 'Listen. Sam has the floor.', counsellor: 'Sam has the floor' }],
  [
    'reflect',
    active(turn('reflect')),
    { A: 'Alex is saying back what they heard: is it right?', B: 'Your turn: say back what Sam said', counsellor: 'Alex is saying back what Sam said' },
  ],
  ['check', active(turn('check')), { A: 'Your turn: did Alex get it?', B: 'Sam is checking what you said back', counsellor: 'Sam is checking what Alex heard' }],
  [
    'validate',
    active(turn('validate')),
    { A: 'Alex may say why it makes sense', B: 'Your turn: say why it makes sense', counsellor: 'Alex may say why it makes sense' },
  ],
  ['empathise', active(turn('empathise')), { A: 'Alex may guess how you feel', B: 'Your turn: guess gently how Sam feels', counsellor: 'Alex may guess how Sam feels' }],
  ['pass', active(turn('pass')), { A: 'Your turn: pass the floor', B: 'Next, the floor is yours', counsellor: 'Sam feels heard' }],
  ['pass, last round', active(turn('pass', 2)), { A: 'Your turn: wrap up', B: 'Sam is finishing their turn', counsellor: 'Sam feels heard' }],
  ['complete', active(turn('complete')), { A: 'You have both been heard', B: 'You have both been heard', counsellor: 'Both have been heard' }],
  [
    'complete, Alex asked to move on',
    active(turn('complete'), { nextAskedBy: 'B' }),
    { A: 'Your turn: move on with Alex?', B: 'Waiting for Sam', counsellor: 'Both have been heard' },
  ],
  [
    'open step, Sam adds',
    active(simple('A')),
    { A: 'Your turn: add something, or say you are ready', B: 'Listen. It is Sam’s turn.', counsellor: 'Sam’s turn' },
  ],
  ['open step done', active(simple('A', { A: true, B: true })), { A: 'This step is done', B: 'This step is done', counsellor: 'This step is done' }],
  [
    'agreement, Alex ready',
    active({ kind: 'agreement', ready: { A: false, B: true } }),
    { A: 'Your turn: propose, together', B: 'You are ready: Sam may still propose', counsellor: 'They propose, together' },
  ],
  ['break step', active({ kind: 'break' }), { A: 'A breather', B: 'A breather', counsellor: 'A breather' }],
];

describe('the "your turn" line: phase × reader', () => {
  it.each(table)('%s', (_moment, state, titles) => {
    for (const you of VIEWERS) {
      const words = yourTurn(state, you, names);
      expect(words.title, `${you}`).toBe(titles[you]);
      // "mine" and the words agree: only a move of the reader's own says "Your turn".
      expect(words.mine, `${you}: ${words.title}`).toBe(words.title.startsWith('Your turn'));
      // A line for one reader never names its reader: it was not written for someone else.
      if (you !== 'counsellor') expect(`${words.title} ${words.line}`, `${you}`).not.toContain(names[you]);
      // The counsellor never has a turn of their own in the partners' talk.
      if (you === 'counsellor') expect(words.mine).toBe(false);
    }
  });

  it('with the partner ready, the reader reads that their "ready" is the ask to move on', () => {
    const open = yourTurn(active(simple('A', { A: false, B: true })), 'A', names);
    expect(open.title).toBe('Your turn: add something, or say you are ready');
    expect(open.line).toBe('Alex is ready to move on. Write what you would like to add, or say you are ready too and Alex is asked to move on with you.');
    expect(yourTurn(active({ kind: 'agreement', ready: { A: false, B: true } }), 'A', names).line).toMatch(/^Alex is ready to move on\./);
    const asked = active(simple('B', { A: true, B: true }), { nextAskedBy: 'A' });
    expect(yourTurn(asked, 'A', names).line).toBe('You would like to move to the next step; Alex is asked too.');
    expect(yourTurn(asked, 'B', names).title).toBe('Your turn: move on with Sam?');
  });

  it('exactly one partner has the move at each point of a speaker-listener turn', () => {
    for (const sub of ['speak', 'reflect', 'check', 'validate', 'empathise', 'pass'] as const) {
      const mine = (['A', 'B'] as const).filter((you) => yourTurn(active(turn(sub)), you, names).mine);
      expect(mine, sub).toHaveLength(1);
    }
  });

  it('the listener is never told to speak, nor the speaker to say back', () => {
    for (const sub of ['speak', 'reflect', 'check', 'validate', 'empathise', 'pass'] as const) {
      const speaker = yourTurn(active(turn(sub)), 'A', names);
      const listener = yourTurn(active(turn(sub)), 'B', names);
      expect(`${speaker.title} ${speaker.line}`).not.toMatch(/say back what|you say back/i);
      expect(listener.title).not.toMatch(/you have the floor/i);
    }
  });
});

describe('acknowledgements', () => {
  const cases: [string, SessionEvent, Record<SeatId, string>][] = [
    [
      'not quite: try again',
      { type: 'notQuite', seat: 'A', backTo: 'reflect' },
      { A: 'You asked Alex to try again.', B: 'Sam would like you to try again. Take your time.', counsellor: 'Sam asked Alex to try again.' },
    ],
    [
      'not quite: say more',
      { type: 'notQuite', seat: 'A', backTo: 'speak' },
      { A: 'You chose to say more; Alex is listening.', B: 'Sam would like to say more. Listen again.', counsellor: 'Sam would like to say more.' },
    ],
    [
      'that’s it',
      { type: 'reflectionConfirmed', speaker: 'A', listener: 'B' },
      { A: 'You told Alex they got it.', B: 'Sam feels heard. Thank you for listening.', counsellor: 'Sam feels heard.' },
    ],
    [
      'the floor passed',
      { type: 'floorPassed', from: 'A', to: 'B', round: 2 },
      { A: 'You passed the floor to Alex.', B: 'Sam passed the floor to you.', counsellor: 'Sam passed the floor to Alex.' },
    ],
  ];
  it.each(cases)('%s', (_name, event, lines) => {
    for (const you of VIEWERS) expect(acknowledgement(event, you, names), you).toBe(lines[you]);
  });

  it('says nothing for moves that change no one’s task silently', () => {
    expect(acknowledgement({ type: 'spoke', seat: 'A', text: 'x' }, 'B', names)).toBeNull();
    expect(acknowledgement({ type: 'repair', seat: 'A', phrase: 'gentler', text: 'x' }, 'B', names)).toBeNull();
  });
});
