import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../protocol/errors';
import { packSchema } from '../content/packSchema';
import { resolveStarter } from './stepFlow';
import { applyCommand, initialSessionState } from './turnMachine';
import { A, B, C, Sim, fixturePack, started, turn } from '../../test/support/turnMachineKit';
import type { SessionState } from './types';

const otherPack = packSchema.parse({ ...fixturePack, id: 'other-pack' });

describe('turn machine rules', () => {
  it('[TM-01] a session can be proposed only when none is proposed or running', () => {
    const sim = new Sim();
    sim.do(A, { type: 'propose', packId: 'fixture', mode: 'aloud' });
    sim.refused(B, { type: 'propose', packId: 'fixture', mode: 'write' }, ErrorCode.SESSION_ALREADY_ACTIVE, 'TM-01');
    sim.do(B, { type: 'accept' });
    sim.refused(A, { type: 'propose', packId: 'fixture', mode: 'aloud' }, ErrorCode.SESSION_ALREADY_ACTIVE, 'TM-01');
    sim.do(A, { type: 'endSession' });
    sim.do(B, { type: 'propose', packId: 'fixture', mode: 'aloud' });
    expect(sim.state.phase).toBe('proposed');
  });

  it('[TM-02] a command that needs a pack must come with the right one', () => {
    const sim = new Sim();
    sim.refused(A, { type: 'propose', packId: 'fixture', mode: 'aloud' }, ErrorCode.PACK_NOT_FOUND, 'TM-02', undefined);
    sim.refused(A, { type: 'propose', packId: 'fixture', mode: 'aloud' }, ErrorCode.PACK_NOT_FOUND, 'TM-02', otherPack);
    sim.do(A, { type: 'propose', packId: 'fixture', mode: 'aloud' });
    sim.refused(B, { type: 'accept' }, ErrorCode.PACK_NOT_FOUND, 'TM-02', otherPack);
    sim.do(B, { type: 'accept' });
    sim.refused(C, { type: 'nextStep' }, ErrorCode.PACK_NOT_FOUND, 'TM-02', undefined);
  });

  it('[TM-03] a session starts only when both partners accepted, and nobody accepts twice', () => {
    const sim = new Sim();
    sim.do(C, { type: 'choosePack', packId: 'fixture' });
    sim.do(A, { type: 'accept' });
    expect(sim.state.phase).toBe('proposed');
    sim.refused(A, { type: 'accept' }, ErrorCode.WRONG_PHASE, 'TM-03');
    const events = sim.do(B, { type: 'accept' });
    expect(sim.state.phase).toBe('active');
    expect(events.map((e) => e.type)).toEqual(['proposalAccepted', 'sessionStarted', 'stepChanged']);
    const proposer = new Sim();
    proposer.do(B, { type: 'propose', packId: 'fixture', mode: 'aloud' });
    proposer.refused(B, { type: 'accept' }, ErrorCode.WRONG_PHASE, 'TM-03');
  });

  it('[TM-04] only the partner who was asked can decline, and the note is kept', () => {
    const sim = new Sim();
    sim.do(A, { type: 'propose', packId: 'fixture', mode: 'aloud' });
    sim.refused(A, { type: 'decline' }, ErrorCode.FORBIDDEN, 'TM-04');
    sim.do(B, { type: 'decline', suggestedTime: 'Sunday after lunch' });
    expect(sim.state).toMatchObject({ phase: 'idle', declined: { by: 'B', suggestedTime: 'Sunday after lunch' } });
  });

  it('[TM-05] only the proposer or the counsellor can withdraw a proposal', () => {
    const sim = new Sim();
    sim.do(A, { type: 'propose', packId: 'fixture', mode: 'aloud' });
    sim.refused(B, { type: 'cancelProposal' }, ErrorCode.FORBIDDEN, 'TM-05');
    sim.do(C, { type: 'cancelProposal' });
    expect(sim.state.phase).toBe('idle');
    sim.do(A, { type: 'propose', packId: 'fixture', mode: 'aloud' });
    sim.do(A, { type: 'cancelProposal' });
    expect(sim.state).toMatchObject({ phase: 'idle' });
    expect(sim.state).not.toHaveProperty('declined');
  });

  it('[TM-06] session moves need a session, and turn moves wait until it started', () => {
    const sim = new Sim();
    sim.refused(A, { type: 'passToReflect' }, ErrorCode.SESSION_NOT_FOUND, 'TM-06');
    sim.refused(A, { type: 'accept' }, ErrorCode.SESSION_NOT_FOUND, 'TM-06');
    sim.refused(A, { type: 'repair', phrase: 'moment' }, ErrorCode.SESSION_NOT_FOUND, 'TM-06');
    sim.do(A, { type: 'propose', packId: 'fixture', mode: 'aloud' });
    sim.refused(A, { type: 'passToReflect' }, ErrorCode.WRONG_PHASE, 'TM-06');
  });

  it('[TM-07] turn moves belong to the partners; the counsellor moderates', () => {
    const sim = started();
    sim.refused(C, { type: 'passToReflect' }, ErrorCode.FORBIDDEN, 'TM-07');
    sim.refused(C, { type: 'reflect' }, ErrorCode.FORBIDDEN, 'TM-07');
    sim.refused(C, { type: 'repair', phrase: 'gentler' }, ErrorCode.FORBIDDEN, 'TM-07');
    sim.refused(C, { type: 'back' }, ErrorCode.FORBIDDEN, 'TM-07');
  });

  it('[TM-08] only the speaker speaks, hands over, confirms or says not quite', () => {
    const sim = started('write');
    expect(sim.sl.speaker).toBe('A');
    sim.refused(B, { type: 'speak', text: 'me too' }, ErrorCode.NOT_YOUR_TURN, 'TM-08');
    sim.refused(B, { type: 'passToReflect' }, ErrorCode.NOT_YOUR_TURN, 'TM-08');
    sim.do(A, { type: 'speak', text: 'I feel unheard when plans change, because I need to know where I stand.' });
    sim.do(A, { type: 'passToReflect' });
    sim.do(B, { type: 'reflect', text: 'You need to know where you stand.' });
    sim.refused(B, { type: 'confirm' }, ErrorCode.NOT_YOUR_TURN, 'TM-08');
    sim.refused(B, { type: 'notQuite', backTo: 'speak' }, ErrorCode.NOT_YOUR_TURN, 'TM-08');
  });

  it('[TM-09] only the listener reflects, validates and empathises', () => {
    const sim = started();
    sim.do(A, { type: 'passToReflect' });
    sim.refused(A, { type: 'reflect' }, ErrorCode.NOT_YOUR_TURN, 'TM-09');
    sim.do(B, { type: 'reflect' });
    sim.do(A, { type: 'confirm' });
    sim.refused(A, { type: 'validate' }, ErrorCode.NOT_YOUR_TURN, 'TM-09');
    sim.refused(A, { type: 'empathise' }, ErrorCode.NOT_YOUR_TURN, 'TM-09');
  });

  it('[TM-10] each move fits its moment', () => {
    const sim = started();
    sim.refused(B, { type: 'reflect' }, ErrorCode.WRONG_PHASE, 'TM-10');
    sim.refused(A, { type: 'confirm' }, ErrorCode.WRONG_PHASE, 'TM-10');
    sim.do(A, { type: 'passToReflect' });
    sim.refused(A, { type: 'passToReflect' }, ErrorCode.WRONG_PHASE, 'TM-10');
    sim.refused(A, { type: 'notQuite', backTo: 'reflect' }, ErrorCode.WRONG_PHASE, 'TM-10');
  });

  it('[TM-11] typed speaking belongs to written sessions only', () => {
    const sim = started('aloud');
    sim.refused(A, { type: 'speak', text: 'Hello' }, ErrorCode.WRONG_PHASE, 'TM-11');
  });

  it('[TM-12] in a written session the speaker types first and a reflection has text', () => {
    const sim = started('write');
    sim.refused(A, { type: 'passToReflect' }, ErrorCode.TEXT_REQUIRED, 'TM-12');
    sim.do(A, { type: 'speak', text: 'I feel hopeful.' });
    sim.do(A, { type: 'passToReflect' });
    sim.refused(B, { type: 'reflect' }, ErrorCode.TEXT_REQUIRED, 'TM-12');
    sim.do(B, { type: 'reflect', text: 'You feel hopeful.' });
    expect(sim.sl).toMatchObject({ sub: 'check', reflection: 'You feel hopeful.', said: ['I feel hopeful.'] });
  });

  it('[TM-13] texts are not blank and at most 4000 characters; ids are not blank', () => {
    const sim = started('write');
    sim.refused(A, { type: 'speak', text: 'x'.repeat(4001) }, ErrorCode.INVALID_PAYLOAD, 'TM-13');
    sim.refused(A, { type: 'speak', text: '   ' }, ErrorCode.INVALID_PAYLOAD, 'TM-13');
    sim.do(A, { type: 'speak', text: 'x'.repeat(4000) });
    sim.refused(A, { type: 'addEntry', id: ' ', text: 'hi' }, ErrorCode.INVALID_PAYLOAD, 'TM-13');
  });

  it('[TM-14] "not quite" goes back to REFLECT or SPEAK, clears the reflection, and keeps the floor', () => {
    const sim = started('write');
    sim.do(A, { type: 'speak', text: 'I felt left out.' });
    sim.do(A, { type: 'passToReflect' });
    sim.do(B, { type: 'reflect', text: 'You were angry.' });
    sim.do(A, { type: 'notQuite', backTo: 'reflect' });
    expect(sim.sl).toMatchObject({ sub: 'reflect', reflection: null, speaker: 'A' });
    sim.do(B, { type: 'reflect', text: 'You felt left out.' });
    sim.do(A, { type: 'notQuite', backTo: 'speak' });
    expect(sim.sl).toMatchObject({ sub: 'speak', reflection: null, speaker: 'A', said: ['I felt left out.'] });
    expect(sim.active.record.reflectionsConfirmed).toEqual({ A: 0, B: 0 });
  });

  it('[TM-15] validation and empathy come after confirming, when offered, once each, validation first', () => {
    const sim = started();
    sim.do(A, { type: 'passToReflect' });
    sim.refused(B, { type: 'validate' }, ErrorCode.WRONG_PHASE, 'TM-15');
    sim.do(B, { type: 'reflect' });
    sim.refused(B, { type: 'empathise' }, ErrorCode.WRONG_PHASE, 'TM-15');
    sim.do(A, { type: 'confirm' });
    sim.do(B, { type: 'validate' });
    sim.refused(B, { type: 'validate' }, ErrorCode.WRONG_PHASE, 'TM-15');
    sim.do(B, { type: 'empathise' });
    sim.refused(B, { type: 'empathise' }, ErrorCode.WRONG_PHASE, 'TM-15');
    // a step that does not offer validation
    sim.do(C, { type: 'skipStep' });
    sim.do(C, { type: 'skipStep' });
    sim.do(C, { type: 'skipStep' });
    expect(sim.sl.offerValidate).toBe(false);
    sim.do(B, { type: 'passToReflect' });
    sim.do(A, { type: 'reflect' });
    sim.do(B, { type: 'confirm' });
    sim.refused(A, { type: 'validate' }, ErrorCode.WRONG_PHASE, 'TM-15');
    sim.do(A, { type: 'empathise' });
  });

  it('[TM-16] only the speaker passes the floor, and only after confirming', () => {
    const sim = started();
    sim.refused(A, { type: 'passFloor' }, ErrorCode.WRONG_PHASE, 'TM-16');
    sim.do(A, { type: 'passToReflect' });
    sim.do(B, { type: 'reflect' });
    sim.refused(A, { type: 'passFloor' }, ErrorCode.WRONG_PHASE, 'TM-16');
    sim.do(A, { type: 'confirm' });
    sim.refused(B, { type: 'passFloor' }, ErrorCode.NOT_YOUR_TURN, 'TM-16');
    sim.do(A, { type: 'passFloor' });
    expect(sim.sl.speaker).toBe('B');
  });

  it('[TM-17] passing in round 1 of two swaps the roles; passing in the last round completes the step', () => {
    const sim = started();
    turn(sim, A);
    expect(sim.sl).toMatchObject({ round: 2, speaker: 'B', sub: 'speak', reflection: null });
    expect(sim.events.at(-1)).toEqual({ type: 'floorPassed', from: 'A', to: 'B', round: 2 });
    turn(sim, B);
    expect(sim.sl.sub).toBe('complete');
    expect(sim.events.at(-1)).toEqual({ type: 'stepCompleted', stepIndex: 0 });
    sim.refused(B, { type: 'passToReflect' }, ErrorCode.NOT_YOUR_TURN, 'TM-08');
  });

  it('[TM-18] a move must fit the kind of step', () => {
    const sim = started();
    sim.refused(A, { type: 'addEntry', id: 'e1', text: 'hi' }, ErrorCode.WRONG_PHASE, 'TM-18');
    sim.refused(A, { type: 'ready' }, ErrorCode.WRONG_PHASE, 'TM-18');
    sim.refused(A, { type: 'proposeAgreement', id: 'p1', text: 'hi' }, ErrorCode.WRONG_PHASE, 'TM-18');
    sim.do(C, { type: 'skipStep' });
    sim.refused(A, { type: 'passToReflect' }, ErrorCode.WRONG_PHASE, 'TM-18');
    sim.refused(A, { type: 'proposeAgreement', id: 'p1', text: 'hi' }, ErrorCode.WRONG_PHASE, 'TM-18');
  });

  it('[TM-19] open steps take entries in turn; "ready" hands over; both ready completes', () => {
    const sim = started();
    sim.do(C, { type: 'skipStep' });
    expect(sim.active.step).toMatchObject({ kind: 'open', turn: 'B' });
    sim.refused(A, { type: 'addEntry', id: 'e1', text: 'I hope for calm.' }, ErrorCode.NOT_YOUR_TURN, 'TM-19');
    sim.do(B, { type: 'addEntry', id: 'e1', text: 'I hope we listen.' });
    sim.do(A, { type: 'addEntry', id: 'e2', text: 'I hope for calm.' });
    sim.do(B, { type: 'ready' });
    expect(sim.active.step).toMatchObject({ turn: 'A', ready: { A: false, B: true } });
    sim.refused(B, { type: 'ready' }, ErrorCode.WRONG_PHASE, 'TM-19');
    const events = sim.do(A, { type: 'ready' });
    expect(events.map((e) => e.type)).toEqual(['partnerReady', 'stepCompleted']);
  });

  it('[TM-20] agreement steps take proposals from either partner or the counsellor at any time', () => {
    const sim = started();
    for (let i = 0; i < 5; i++) sim.do(C, { type: 'skipStep' });
    expect(sim.active.step.kind).toBe('agreement');
    sim.do(A, { type: 'proposeAgreement', id: 'p1', text: 'We text when we are late.' });
    sim.do(A, { type: 'proposeAgreement', id: 'p2', text: 'We check in on Sundays.' });
    sim.do(C, { type: 'proposeAgreement', id: 'p3', text: 'Review in two weeks.' });
    sim.do(B, { type: 'ready' });
    sim.refused(B, { type: 'ready' }, ErrorCode.WRONG_PHASE, 'TM-20');
    sim.do(A, { type: 'ready' });
    expect(sim.active.record.proposals.map((p) => [p.id, p.by, p.stepId])).toEqual([
      ['p1', 'A', 'agree'],
      ['p2', 'A', 'agree'],
      ['p3', 'counsellor', 'agree'],
    ]);
  });

  it('[TM-21] an entry or proposal id is never used twice', () => {
    const sim = started();
    sim.do(C, { type: 'skipStep' });
    sim.do(B, { type: 'addEntry', id: 'e1', text: 'One' });
    sim.do(A, { type: 'ready' });
    sim.refused(B, { type: 'addEntry', id: 'e1', text: 'One again' }, ErrorCode.ALREADY_ADDED, 'TM-21');
    for (let i = 0; i < 4; i++) sim.do(C, { type: 'skipStep' });
    sim.do(A, { type: 'proposeAgreement', id: 'p1', text: 'Kind words' });
    sim.refused(B, { type: 'proposeAgreement', id: 'p1', text: 'Other words' }, ErrorCode.ALREADY_ADDED, 'TM-21');
  });

  it('[TM-22] partners move on only when the step is complete; the counsellor at any time', () => {
    const sim = started();
    sim.refused(A, { type: 'nextStep' }, ErrorCode.STEP_NOT_COMPLETE, 'TM-22');
    sim.do(C, { type: 'nextStep' });
    expect(sim.active.stepIndex).toBe(1);
    expect(sim.active.record.doneSteps).toEqual([]);
    sim.do(B, { type: 'ready' });
    sim.do(A, { type: 'ready' });
    sim.do(B, { type: 'nextStep' });
    sim.do(A, { type: 'nextStep' });
    expect(sim.active.record.doneSteps).toEqual([1]);
  });

  it('[TM-23] moving past the last step ends the session with a summary', () => {
    const sim = started();
    for (let i = 0; i < 5; i++) sim.do(C, { type: 'skipStep' });
    sim.do(A, { type: 'proposeAgreement', id: 'p1', text: 'We pause when voices rise.' });
    sim.do(A, { type: 'ready' });
    sim.do(B, { type: 'ready' });
    sim.do(B, { type: 'nextStep' });
    const events = sim.do(A, { type: 'nextStep' });
    expect(sim.state.phase).toBe('ended');
    expect(events[0]?.type).toBe('sessionEnded');
    if (sim.state.phase !== 'ended') return;
    expect(sim.state.summary).toMatchObject({ endedBy: 'finished', stepsDone: 1, doneStepIndexes: [5], stepCount: 6 });
    expect(sim.state.summary.proposals).toHaveLength(1);
  });

  it('[TM-24] moderation commands are for the counsellor only', () => {
    const sim = started();
    for (const command of [
      { type: 'grantFloor', seat: 'B' },
      { type: 'skipStep' },
      { type: 'repeatStep' },
      { type: 'advance' },
      { type: 'choosePack', packId: 'fixture' },
      { type: 'resume' },
    ] as const) {
      sim.refused(A, command, ErrorCode.FORBIDDEN, 'TM-24');
    }
  });

  it('[TM-25] granting the floor gives a fresh SPEAK, in speaker-listener steps only', () => {
    const sim = started();
    sim.do(A, { type: 'passToReflect' });
    sim.do(C, { type: 'grantFloor', seat: 'B' });
    expect(sim.sl).toMatchObject({ speaker: 'B', sub: 'speak', reflection: null });
    sim.do(C, { type: 'skipStep' });
    sim.refused(C, { type: 'grantFloor', seat: 'A' }, ErrorCode.WRONG_PHASE, 'TM-25');
  });

  it('[TM-26] advancing moves one notch without text and never counts a confirmation', () => {
    const sim = started('write');
    sim.do(C, { type: 'advance' });
    expect(sim.sl.sub).toBe('reflect');
    sim.do(C, { type: 'advance' });
    expect(sim.sl.sub).toBe('check');
    sim.do(C, { type: 'advance' });
    expect(sim.sl.sub).toBe('validate');
    expect(sim.active.record.reflectionsConfirmed).toEqual({ A: 0, B: 0 });
    sim.do(C, { type: 'advance' });
    expect(sim.sl.sub).toBe('empathise');
    sim.do(C, { type: 'advance' });
    expect(sim.sl).toMatchObject({ round: 2, speaker: 'B', sub: 'speak' });
  });

  it('[TM-27] skipping does not count the step as done; repeating restarts it', () => {
    const sim = started();
    sim.do(A, { type: 'passToReflect' });
    sim.do(C, { type: 'repeatStep' });
    expect(sim.sl).toMatchObject({ sub: 'speak', speaker: 'A', round: 1 });
    expect(sim.active.stepIndex).toBe(0);
    sim.do(C, { type: 'skipStep' });
    expect(sim.active.stepIndex).toBe(1);
    expect(sim.active.record.doneSteps).toEqual([]);
  });

  it('[TM-28] anyone can call a time-out of 1 to 120 minutes, 20 by default, and a second one only lengthens it', () => {
    const sim = started();
    sim.refused(A, { type: 'pause', minutes: 0 }, ErrorCode.INVALID_PAYLOAD, 'TM-28');
    sim.refused(A, { type: 'pause', minutes: 121 }, ErrorCode.INVALID_PAYLOAD, 'TM-28');
    const events = sim.do(B, { type: 'pause', untilLabel: '21:40' });
    expect(events).toEqual([{ type: 'paused', until: sim.now + 20 * 60_000, untilLabel: '21:40' }]);
    const firstUntil = sim.now + 20 * 60_000;
    sim.do(A, { type: 'pause', minutes: 5 });
    expect(sim.state).toMatchObject({ phase: 'paused', pause: { until: firstUntil } });
    sim.do(C, { type: 'pause', minutes: 60 });
    expect(sim.state).toMatchObject({ phase: 'paused', pause: { until: sim.now + 60 * 60_000 } });
    const idle = new Sim();
    idle.refused(A, { type: 'pause' }, ErrorCode.SESSION_NOT_FOUND, 'TM-28');
    const proposed = new Sim();
    proposed.do(A, { type: 'propose', packId: 'fixture', mode: 'aloud' });
    proposed.do(B, { type: 'pause' });
    expect(proposed.state.phase).toBe('paused');
  });

  it('[TM-29] during a time-out only pause-related commands, repairs and ending are accepted', () => {
    const sim = started();
    sim.do(A, { type: 'pause' });
    sim.refused(A, { type: 'passToReflect' }, ErrorCode.SESSION_PAUSED, 'TM-29');
    sim.refused(C, { type: 'advance' }, ErrorCode.SESSION_PAUSED, 'TM-29');
    sim.refused(B, { type: 'keepRecord', keep: true }, ErrorCode.SESSION_PAUSED, 'TM-29');
    sim.do(B, { type: 'repair', phrase: 'moment' });
    expect(sim.state.phase).toBe('paused');
  });

  it('[TM-30] a time-out ends when both are back or the counsellor resumes, restoring exactly', () => {
    const sim = started('write');
    sim.do(A, { type: 'speak', text: 'I was scared.' });
    sim.do(A, { type: 'passToReflect' });
    const before = sim.active;
    sim.refused(A, { type: 'back' }, ErrorCode.WRONG_PHASE, 'TM-30');
    sim.do(B, { type: 'pause' });
    sim.do(A, { type: 'back' });
    sim.refused(A, { type: 'back' }, ErrorCode.WRONG_PHASE, 'TM-30');
    expect(sim.state.phase).toBe('paused');
    const events = sim.do(B, { type: 'back' });
    expect(events.map((e) => e.type)).toEqual(['partnerBack', 'resumed']);
    const { version: _v, updatedAt: _u, breaks, ...restored } = sim.active;
    const { version: _v2, updatedAt: _u2, ...original } = before;
    expect(restored).toEqual(original);
    // The break is noted, from its call to the resume, so the step's clocks leave it out.
    expect(breaks).toHaveLength(1);
    expect(breaks?.[0]?.from).toBeLessThanOrEqual(breaks?.[0]?.to ?? 0);
    sim.do(A, { type: 'pause' });
    sim.do(C, { type: 'resume' });
    expect(sim.sl.sub).toBe('reflect');
    expect(sim.active.breaks).toHaveLength(2);
    sim.refused(C, { type: 'resume' }, ErrorCode.WRONG_PHASE, 'TM-30');
  });

  it('[TM-30] the partner who called a time-out ends it alone; one the counsellor called waits for both', () => {
    const sim = started('aloud');
    sim.do(B, { type: 'pause' });
    expect(sim.do(B, { type: 'back' }).map((e) => e.type)).toEqual(['partnerBack', 'resumed']);
    sim.do(C, { type: 'pause' });
    sim.do(A, { type: 'back' });
    expect(sim.state.phase).toBe('paused');
    sim.do(B, { type: 'back' });
    expect(sim.state.phase).toBe('active');
  });

  it('[TM-31] repair cards come from a fixed list and never change the floor or the step', () => {
    const sim = started();
    sim.do(A, { type: 'passToReflect' });
    const { version, updatedAt, ...before } = sim.active;
    const events = sim.do(B, { type: 'repair', phrase: 'gentler' });
    expect(events).toEqual([{ type: 'repair', seat: 'B', phrase: 'gentler', text: 'Could you say that more gently?' }]);
    const { version: v2, updatedAt: u2, ...after } = sim.active;
    expect(after).toEqual(before);
    expect(v2).toBe(version + 1);
    expect(u2).toBeGreaterThan(updatedAt);
    sim.refused(B, { type: 'repair', phrase: 'shout' as 'gentler' }, ErrorCode.INVALID_PAYLOAD, 'TM-31');
  });

  it('[TM-32] the written record is kept only when both partners choose it, in written sessions', () => {
    const aloud = started('aloud');
    aloud.refused(A, { type: 'keepRecord', keep: true }, ErrorCode.WRONG_PHASE, 'TM-32');
    const sim = started('write');
    sim.do(A, { type: 'keepRecord', keep: true });
    sim.do(B, { type: 'endSession' });
    if (sim.state.phase !== 'ended') throw new Error('expected ended');
    expect(sim.state.summary.recordKept).toBe(false);
    const both = started('write');
    both.do(A, { type: 'keepRecord', keep: true });
    both.do(B, { type: 'keepRecord', keep: true });
    both.do(B, { type: 'endSession' });
    if (both.state.phase !== 'ended') throw new Error('expected ended');
    expect(both.state.summary).toMatchObject({ keepRecord: { A: true, B: true }, recordKept: true });
    both.do(A, { type: 'keepRecord', keep: false });
    if (both.state.phase !== 'ended') throw new Error('expected ended');
    expect(both.state.summary.recordKept).toBe(false);
  });

  it('[TM-33] either partner or the counsellor can end at any time, even during a time-out', () => {
    for (const actor of [A, B, C]) {
      const sim = started();
      sim.do(A, { type: 'pause' });
      sim.do(actor, { type: 'endSession' });
      expect(sim.state).toMatchObject({ phase: 'ended', summary: { endedBy: actor.role === 'counsellor' ? 'counsellor' : actor.seat } });
      sim.refused(actor, { type: 'endSession' }, ErrorCode.SESSION_NOT_FOUND, 'TM-33');
    }
  });

  it('[TM-34] every accepted command adds exactly one to the version and stamps the time; refusals change nothing', () => {
    const sim = new Sim();
    const versions: number[] = [sim.state.version];
    sim.do(A, { type: 'propose', packId: 'fixture', mode: 'aloud' });
    versions.push(sim.state.version);
    sim.do(B, { type: 'accept' });
    versions.push(sim.state.version);
    sim.do(B, { type: 'repair', phrase: 'thanks' });
    versions.push(sim.state.version);
    expect(versions).toEqual([0, 1, 2, 3]);
    expect(sim.state.updatedAt).toBe(sim.now);
    const frozen = Object.freeze(structuredClone(sim.state)) as SessionState;
    const result = applyCommand(frozen, { type: 'confirm' }, { now: 5, actor: A, pack: fixturePack });
    expect(result.ok).toBe(false);
  });

  it('[TM-35] a break step is complete from the start and waits only for next', () => {
    const sim = started();
    sim.do(C, { type: 'skipStep' });
    sim.do(C, { type: 'skipStep' });
    expect(sim.active.step.kind).toBe('break');
    sim.refused(A, { type: 'ready' }, ErrorCode.WRONG_PHASE, 'TM-18');
    sim.do(B, { type: 'nextStep' });
    sim.do(A, { type: 'nextStep' });
    expect(sim.active.record.doneSteps).toEqual([2]);
  });

  it('[TM-36] who starts is A, B, the proposer or the other partner (A stands in for a counsellor)', () => {
    expect(resolveStarter('A', 'B')).toBe('A');
    expect(resolveStarter('B', 'A')).toBe('B');
    expect(resolveStarter('proposer', 'B')).toBe('B');
    expect(resolveStarter('other', 'B')).toBe('A');
    expect(resolveStarter('proposer', 'counsellor')).toBe('A');
    expect(resolveStarter('other', 'counsellor')).toBe('B');
    const sim = new Sim();
    sim.do(B, { type: 'propose', packId: 'fixture', mode: 'aloud' });
    sim.do(A, { type: 'accept' });
    expect(sim.sl.speaker).toBe('B');
    sim.do(C, { type: 'skipStep' });
    expect(sim.active.step).toMatchObject({ kind: 'open', turn: 'A' });
  });

  it('[TM-37] the counsellor chooses a pack as a proposal both partners accept; not over a running session', () => {
    const sim = new Sim();
    sim.do(C, { type: 'choosePack', packId: 'fixture', mode: 'write' });
    expect(sim.state).toMatchObject({ phase: 'proposed', proposedBy: 'counsellor', accepted: { A: false, B: false } });
    sim.do(C, { type: 'choosePack', packId: 'other-pack' }, otherPack);
    expect(sim.state).toMatchObject({ phase: 'proposed', packId: 'other-pack', mode: 'write' });
    sim.pack = otherPack;
    sim.do(A, { type: 'accept' });
    sim.do(B, { type: 'accept' });
    sim.refused(C, { type: 'choosePack', packId: 'fixture' }, ErrorCode.SESSION_ALREADY_ACTIVE, 'TM-37', fixturePack);
  });

  it('[TM-38] a written record let go at the end cannot be chosen back', () => {
    const sim = started('write');
    sim.do(A, { type: 'keepRecord', keep: true });
    sim.do(B, { type: 'endSession' });
    sim.refused(B, { type: 'keepRecord', keep: true }, ErrorCode.WRONG_PHASE, 'TM-38');
    sim.refused(A, { type: 'keepRecord', keep: false }, ErrorCode.WRONG_PHASE, 'TM-38');
    const both = started('write');
    both.do(A, { type: 'keepRecord', keep: true });
    both.do(B, { type: 'keepRecord', keep: true });
    both.do(A, { type: 'endSession' });
    both.do(A, { type: 'keepRecord', keep: false });
    both.refused(A, { type: 'keepRecord', keep: true }, ErrorCode.WRONG_PHASE, 'TM-38');
  });
});

describe('moving on together, moderation lines and the summary', () => {
  /** A started session whose first (talk) step is complete. */
  function completeTalk(mode: 'aloud' | 'write' = 'aloud'): Sim {
    const sim = started(mode);
    turn(sim, A);
    turn(sim, B);
    expect(sim.sl.sub).toBe('complete');
    return sim;
  }

  it('[TM-39] a partner\'s next step asks the other, once; it moves when both asked; the counsellor moves alone', () => {
    const sim = completeTalk();
    const asked = sim.do(A, { type: 'nextStep' });
    expect(asked).toEqual([{ type: 'nextStepAsked', by: 'A' }]);
    expect(sim.active).toMatchObject({ stepIndex: 0, nextAskedBy: 'A' });
    sim.refused(A, { type: 'nextStep' }, ErrorCode.WRONG_PHASE, 'TM-39');
    const moved = sim.do(B, { type: 'nextStep' });
    expect(moved.map((e) => e.type)).toEqual(['stepChanged']);
    expect(sim.active.stepIndex).toBe(1);
    expect(sim.active.nextAskedBy).toBeUndefined();
    expect(sim.active.record.doneSteps).toEqual([0]);
    // The counsellor needs nobody's agreement, even before the step is complete.
    sim.do(C, { type: 'nextStep' });
    expect(sim.active.stepIndex).toBe(2);
  });

  it('[TM-40] the asker can take the request back, the other can say not yet; with none waiting nothing to answer', () => {
    const sim = completeTalk();
    sim.refused(B, { type: 'holdStep' }, ErrorCode.WRONG_PHASE, 'TM-40');
    sim.refused(C, { type: 'holdStep' }, ErrorCode.FORBIDDEN, 'TM-07');
    sim.do(A, { type: 'nextStep' });
    expect(sim.do(B, { type: 'holdStep' })).toEqual([{ type: 'nextStepHeld', by: 'B', askedBy: 'A' }]);
    expect(sim.active.nextAskedBy).toBeUndefined();
    expect(sim.active.stepIndex).toBe(0);
    sim.do(B, { type: 'nextStep' });
    expect(sim.do(B, { type: 'holdStep' })).toEqual([{ type: 'nextStepHeld', by: 'B', askedBy: 'B' }]);
    // With the request gone, the other partner's next step is a fresh request, not an agreement.
    sim.do(A, { type: 'nextStep' });
    expect(sim.active).toMatchObject({ stepIndex: 0, nextAskedBy: 'A' });
  });

  it('[TM-41] a request to move on is dropped when the step changes or reopens, and survives a time-out', () => {
    const sim = completeTalk();
    sim.do(A, { type: 'nextStep' });
    sim.do(B, { type: 'pause' });
    sim.do(A, { type: 'back' });
    sim.do(B, { type: 'back' });
    expect(sim.active.nextAskedBy).toBe('A');
    sim.do(C, { type: 'grantFloor', seat: 'B' });
    expect(sim.active.nextAskedBy).toBeUndefined();
    turn(sim, B);
    sim.do(B, { type: 'nextStep' });
    sim.do(C, { type: 'repeatStep' });
    expect(sim.active).toMatchObject({ stepIndex: 0 });
    expect(sim.active.nextAskedBy).toBeUndefined();
  });

  it('[TM-42] every counsellor move leaves a line of who, what and when; a partner\'s turn move clears it; a partner\'s time-out never leaves one', () => {
    const sim = started('write');
    sim.do(C, { type: 'advance' });
    expect(sim.state.lastMove).toEqual({ by: 'counsellor', kind: 'advanced', at: sim.state.updatedAt, stepIndex: 0, notch: 'speak', seat: 'A' });
    sim.do(B, { type: 'reflect', text: 'I heard you are tired.' });
    expect(sim.state.lastMove).toBeUndefined();
    sim.do(C, { type: 'grantFloor', seat: 'B' });
    expect(sim.state.lastMove).toMatchObject({ by: 'counsellor', kind: 'floorGranted', seat: 'B' });
    sim.do(C, { type: 'pause' });
    expect(sim.state.lastMove).toMatchObject({ by: 'counsellor', kind: 'paused' });
    sim.do(A, { type: 'repair', phrase: 'moment' });
    expect(sim.state.lastMove).toMatchObject({ kind: 'paused' });
    sim.do(C, { type: 'resume' });
    expect(sim.state.lastMove).toMatchObject({ by: 'counsellor', kind: 'resumed' });
    sim.do(B, { type: 'speak', text: 'I would like more rest.' });
    sim.do(A, { type: 'pause' });
    expect(sim.state.lastMove).toBeUndefined();
    sim.do(C, { type: 'resume' });
    sim.do(C, { type: 'skipStep' });
    expect(sim.state.lastMove).toMatchObject({ by: 'counsellor', kind: 'skippedStep', stepIndex: 0 });
    sim.do(C, { type: 'repeatStep' });
    expect(sim.state.lastMove).toMatchObject({ kind: 'repeatedStep', stepIndex: 1 });
    sim.do(C, { type: 'advance' });
    expect(sim.state.lastMove).toMatchObject({ kind: 'advanced', notch: 'ready' });
    sim.do(C, { type: 'advance' });
    expect(sim.state.lastMove).toMatchObject({ kind: 'advanced', notch: 'step', stepIndex: 1 });
    sim.do(B, { type: 'nextStep' });
    sim.do(A, { type: 'nextStep' });
    expect(sim.state.lastMove).toMatchObject({ by: 'A', kind: 'movedOnTogether', stepIndex: 2 });
    sim.do(C, { type: 'nextStep' });
    expect(sim.state.lastMove).toMatchObject({ by: 'counsellor', kind: 'movedOn', stepIndex: 3 });
    sim.do(C, { type: 'endSession' });
    expect(sim.state.lastMove).toMatchObject({ by: 'counsellor', kind: 'ended' });
  });

  it('[TM-43] the summary says it ended early and lists what was heard; written words only with a kept record', () => {
    const kept = completeTalk('write');
    kept.do(A, { type: 'keepRecord', keep: true });
    kept.do(B, { type: 'keepRecord', keep: true });
    kept.do(C, { type: 'endSession' });
    if (kept.state.phase !== 'ended') throw new Error('not ended');
    expect(kept.state.summary).toMatchObject({ endedBy: 'counsellor', endedEarly: true, recordKept: true });
    expect(kept.state.summary.heard).toEqual([
      { stepIndex: 0, speaker: 'A', listener: 'B', text: expect.any(String) },
      { stepIndex: 0, speaker: 'B', listener: 'A', text: expect.any(String) },
    ]);
    // Letting go of the record afterwards takes the written words out of the summary too.
    kept.do(B, { type: 'keepRecord', keep: false });
    if (kept.state.phase !== 'ended') throw new Error('not ended');
    expect(kept.state.summary.heard?.map((h) => h.text)).toEqual([null, null]);

    const notKept = completeTalk('write');
    notKept.do(A, { type: 'endSession' });
    if (notKept.state.phase !== 'ended') throw new Error('not ended');
    expect(notKept.state.summary).toMatchObject({ endedBy: 'A', endedEarly: true, recordKept: false });
    expect(notKept.state.summary.heard).toEqual([
      { stepIndex: 0, speaker: 'A', listener: 'B', text: null },
      { stepIndex: 0, speaker: 'B', listener: 'A', text: null },
    ]);
  });
});

describe('why a session ended', () => {
  it('[TM-44] its ender may say why, from the list and in a few words; the summary carries both', () => {
    const sim = started();
    sim.refused(C, { type: 'endSession', reason: 'anotherDay', note: 'x'.repeat(141) }, ErrorCode.INVALID_PAYLOAD, 'TM-44');
    sim.refused(C, { type: 'endSession', note: '   ' }, ErrorCode.INVALID_PAYLOAD, 'TM-44');
    sim.do(C, { type: 'endSession', reason: 'anotherDay', note: '  Let us pick this up on Thursday.  ' });
    if (sim.state.phase !== 'ended') throw new Error('not ended');
    expect(sim.state.summary).toMatchObject({ endedBy: 'counsellor', endedEarly: true, endReason: 'anotherDay', endNote: 'Let us pick this up on Thursday.' });

    const quiet = started();
    quiet.do(B, { type: 'endSession' });
    if (quiet.state.phase !== 'ended') throw new Error('not ended');
    expect(quiet.state.summary.endReason).toBeUndefined();
    expect(quiet.state.summary.endNote).toBeUndefined();
  });
});

describe('initial state', () => {
  it('starts idle at version 0', () => {
    expect(initialSessionState(5)).toEqual({ phase: 'idle', version: 0, updatedAt: 5 });
  });
});
