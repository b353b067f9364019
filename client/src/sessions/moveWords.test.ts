import { describe, expect, it } from 'vitest';
import type { LastMove, SpeakerListenerStepState } from '../../../shared/session/types';
import { fixturePack } from '../../../test/support/turnMachineKit';
import { advanceLabel, currentMoveLine, lastMoveLine } from './moveWords';

const names = { A: 'Sam', B: 'Alex', counsellor: 'Dr Ortiz' };
const by = (kind: LastMove['kind'], extra: Partial<LastMove> = {}): LastMove => ({ by: 'counsellor', kind, at: 0, ...extra });

describe('[TM-42] the line each reader gets about the last move', () => {
  const table: Array<[LastMove, 'A' | 'B' | 'counsellor', string]> = [
    [by('paused'), 'A', 'Dr Ortiz paused the session for a moment.'],
    [by('paused'), 'counsellor', 'You paused the session for both partners. Resume it when they are ready.'],
    [by('resumed'), 'B', 'Dr Ortiz resumed the session. We carry on where we were.'],
    [by('floorGranted', { seat: 'B' }), 'B', 'Dr Ortiz gave you the floor. Take your time.'],
    [by('floorGranted', { seat: 'B' }), 'A', 'Dr Ortiz gave Alex the floor.'],
    [by('floorGranted', { seat: 'B' }), 'counsellor', 'You gave Alex the floor: Alex starts afresh.'],
    [by('advanced', { notch: 'speak', seat: 'A' }), 'A', 'Dr Ortiz moved us past the rest of your speaking.'],
    [by('advanced', { notch: 'speak', seat: 'A' }), 'B', 'Dr Ortiz moved us past the rest of Sam’s speaking.'],
    [by('advanced', { notch: 'reflect', seat: 'B' }), 'counsellor', 'You moved past Alex’s saying back.'],
    [by('advanced', { notch: 'ready' }), 'A', 'Dr Ortiz marked this step as done for both of you.'],
    [by('advanced', { notch: 'step' }), 'A', 'Dr Ortiz moved us to the next step.'],
    [by('skippedStep', { stepIndex: 1 }), 'A', 'Dr Ortiz skipped “Share”; it does not count as done.'],
    [by('repeatedStep', { stepIndex: 0 }), 'B', 'Dr Ortiz started “Talk” again.'],
    [by('movedOn', { stepIndex: 0 }), 'B', 'Dr Ortiz moved us to the next step.'],
    [by('movedOn', { stepIndex: 0 }), 'counsellor', 'You moved them to the next step.'],
    [{ by: 'A', kind: 'movedOnTogether', at: 0 }, 'B', 'You both agreed to move on.'],
    [{ by: 'A', kind: 'movedOnTogether', at: 0 }, 'counsellor', 'Sam and Alex agreed to move on.'],
  ];
  it.each(table)('%o for %s', (move, you, line) => {
    expect(lastMoveLine(move, you, names, fixturePack)).toBe(line);
  });

  it('never tells the counsellor to drink water, and never shows a partner’s own move as news', () => {
    for (const [move] of table) expect(lastMoveLine(move, 'counsellor', names, fixturePack)).not.toMatch(/water/i);
    const state = { phase: 'idle', version: 1, updatedAt: 0, lastMove: { by: 'A', kind: 'ended', at: 0 } } as const;
    expect(currentMoveLine(state, 'B', names)).toBeNull();
  });

  it('says beforehand what "one notch on" skips', () => {
    const step: SpeakerListenerStepState = { kind: 'speaker-listener', rounds: 2, round: 1, offerValidate: true, offerEmpathise: true, speaker: 'A', subStartedAt: 0, said: [], sub: 'speak', reflection: null, validation: null, empathy: null };
    expect(advanceLabel(step, names)).toBe('Move one notch on: skip the rest of Sam’s speaking');
    expect(advanceLabel({ ...step, sub: 'reflect' }, names)).toBe('Move one notch on: skip Alex’s saying back');
    expect(advanceLabel({ kind: 'open', turn: 'A', entries: [], ready: { A: false, B: false } }, names)).toBe('Move one notch on: mark this step as done for both');
  });
});
