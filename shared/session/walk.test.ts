import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packSchema, type Pack } from '../content/packSchema';
import { describeFloor, progress } from './floorView';
import { snapshotFor } from './sessionRedaction';
import { A, B, C, Sim, started, turn } from '../../test/support/turnMachineKit';
import type { SessionMode } from './types';

const packsDir = new URL('../../content/packs/', import.meta.url);
const realPacks: Pack[] = readdirSync(packsDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => packSchema.parse(JSON.parse(readFileSync(new URL(f, packsDir), 'utf8'))));

/** Drives every step of the pack to completion the way two partners would, then moves on. */
function walk(sim: Sim, pack: Pack): void {
  let proposals = 0;
  while (sim.state.phase === 'active') {
    const expected = progress(sim.state, pack);
    expect(expected?.stepNumber).toBe(sim.active.stepIndex + 1);
    const step = sim.active.step;
    switch (step.kind) {
      case 'speaker-listener': {
        const first = step.speaker === 'A' ? A : B;
        turn(sim, first);
        if (step.rounds === 2) turn(sim, first === A ? B : A);
        break;
      }
      case 'open':
      case 'appreciation': {
        const first = step.turn === 'A' ? A : B;
        const second = first === A ? B : A;
        sim.do(first, { type: 'addEntry', id: `${sim.active.stepId}-1`, text: 'Something I noticed.' });
        sim.do(second, { type: 'addEntry', id: `${sim.active.stepId}-2`, text: 'Something I noticed too.' });
        sim.do(first, { type: 'ready' });
        sim.do(second, { type: 'ready' });
        break;
      }
      case 'agreement':
        sim.do(A, { type: 'proposeAgreement', id: `p${++proposals}`, text: 'We tell each other when plans change.' });
        sim.do(B, { type: 'proposeAgreement', id: `p${++proposals}`, text: 'We check in every Sunday evening.' });
        sim.do(B, { type: 'ready' });
        sim.do(A, { type: 'ready' });
        break;
      case 'break':
        break;
    }
    expect(describeFloor(sim.state, 'A', pack).allowed).toContain('nextStep');
    // TM-39: one partner asks, the other agrees.
    const asker = sim.active.stepIndex % 2 === 0 ? A : B;
    sim.do(asker, { type: 'nextStep' });
    sim.do(asker === A ? B : A, { type: 'nextStep' });
  }
}

describe('walking whole packs', () => {
  for (const mode of ['aloud', 'write'] as const satisfies readonly SessionMode[]) {
    for (const pack of realPacks) {
      it(`walks "${pack.id}" end to end (${mode})`, () => {
        const sim = started(mode, pack);
        if (mode === 'write') {
          sim.do(A, { type: 'keepRecord', keep: true });
          sim.do(B, { type: 'keepRecord', keep: true });
        }
        const startVersion = sim.state.version;
        walk(sim, pack);
        expect(sim.state.phase).toBe('ended');
        if (sim.state.phase !== 'ended') return;
        const { summary } = sim.state;
        expect(summary.stepsDone).toBe(pack.steps.length);
        expect(summary.endedBy).toBe('finished');
        expect(summary.recordKept).toBe(mode === 'write');
        const slSteps = pack.steps.filter((s) => s.kind === 'speaker-listener');
        const turns = slSteps.reduce((n, s) => n + (s.kind === 'speaker-listener' ? s.rounds : 0), 0);
        expect(summary.reflectionsConfirmed.A + summary.reflectionsConfirmed.B).toBe(turns);
        const agreementSteps = pack.steps.filter((s) => s.kind === 'agreement').length;
        expect(summary.proposals).toHaveLength(agreementSteps * 2);
        expect(sim.state.version).toBeGreaterThan(startVersion);
        if (mode === 'write') {
          const spoken = sim.events.filter((e) => e.type === 'spoke' || e.type === 'reflected');
          expect(spoken.every((e) => 'text' in e && typeof e.text === 'string')).toBe(true);
        }
      });
    }
  }

  it('a moderated walk: the counsellor proposes, pauses, grants the floor and ends', () => {
    const pack = realPacks.find((p) => p.id === 'first-honest-conversation')!;
    const sim = new Sim(undefined, pack);
    sim.do(C, { type: 'choosePack', packId: pack.id, mode: 'aloud' });
    sim.do(A, { type: 'accept' });
    sim.do(B, { type: 'accept' });
    sim.do(C, { type: 'advance' });
    sim.do(C, { type: 'advance' });
    sim.do(C, { type: 'pause', minutes: 10, untilLabel: '20:10' });
    expect(describeFloor(sim.state, 'B', pack).pausedUntil).toEqual({ until: sim.now + 10 * 60_000, untilLabel: '20:10' });
    sim.do(C, { type: 'resume' });
    sim.do(C, { type: 'nextStep' });
    sim.do(C, { type: 'grantFloor', seat: 'A' });
    expect(describeFloor(sim.state, 'A', pack)).toMatchObject({ floor: 'A', turn: 'A', youHoldFloor: true });
    sim.do(C, { type: 'endSession' });
    expect(sim.state).toMatchObject({ phase: 'ended', summary: { endedBy: 'counsellor', stepsDone: 1 } });
  });
});

describe('describeFloor and progress', () => {
  it('shows who holds the floor and what each person may do', () => {
    const sim = started('aloud');
    const a = describeFloor(sim.state, 'A', sim.pack);
    const b = describeFloor(sim.state, 'B', sim.pack);
    const c = describeFloor(sim.state, 'counsellor', sim.pack);
    expect(a).toMatchObject({ phase: 'active', stepKind: 'speaker-listener', sub: 'speak', floor: 'A', turn: 'A', youHoldFloor: true });
    expect(a.allowed).toEqual(expect.arrayContaining(['passToReflect', 'pause', 'repair', 'endSession']));
    expect(a.allowed).not.toContain('reflect');
    expect(b).toMatchObject({ floor: 'A', youHoldFloor: false, yourTurn: false });
    expect(b.allowed).not.toContain('passToReflect');
    expect(b.allowed).toEqual(expect.arrayContaining(['pause', 'repair', 'endSession']));
    expect(c.allowed).toEqual(expect.arrayContaining(['grantFloor', 'skipStep', 'advance', 'pause', 'endSession']));
    sim.do(A, { type: 'passToReflect' });
    expect(describeFloor(sim.state, 'B', sim.pack)).toMatchObject({ floor: 'A', turn: 'B', yourTurn: true, sub: 'reflect' });
  });

  it('during a time-out shows only the end time and the pause-related moves', () => {
    const sim = started('aloud');
    sim.do(B, { type: 'pause', untilLabel: '21:00' });
    const view = describeFloor(sim.state, 'A', sim.pack);
    expect(view.pausedUntil).toEqual({ until: sim.now + 20 * 60_000, untilLabel: '21:00' });
    expect([...view.allowed].sort()).toEqual(['back', 'endSession', 'pause', 'repair']);
    expect(JSON.stringify(view)).not.toContain('"by"');
  });

  it('tells every seat who called a time-out, so each break screen can say whose break it is', () => {
    const sim = started('aloud');
    sim.do(B, { type: 'pause' });
    expect(snapshotFor(sim.state, 'A')).toMatchObject({ phase: 'paused', pause: { by: 'B' } });
    expect(snapshotFor(sim.state, 'B')).toMatchObject({ pause: { by: 'B' } });
    expect(snapshotFor(sim.state, 'counsellor')).toMatchObject({ pause: { by: 'B' } });
  });

  it('progress gives the step number, count, start and the next speaker', () => {
    const sim = started('aloud');
    expect(progress(sim.state, sim.pack!)).toMatchObject({ stepNumber: 1, stepCount: 6, nextSpeaker: 'B', stepId: 'talk' });
    turn(sim, A);
    turn(sim, B);
    // the next speaker-listener step is "one-round", started by B
    expect(progress(sim.state, sim.pack!)).toMatchObject({ stepNumber: 1, nextSpeaker: 'B' });
    expect(progress(new Sim().state, sim.pack!)).toBeNull();
  });
});
