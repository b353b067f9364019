import { expect } from 'vitest';
import { packSchema, type Pack } from '../../shared/content/packSchema';
import { applyCommand, initialSessionState } from '../../shared/session/turnMachine';
import type { ActiveState, Actor, Command, SessionEvent, SessionState, SpeakerListenerStepState, TurnResult } from '../../shared/session/types';

/** Test helpers shared by the turn-machine tests. */

export const A = { role: 'partner', seat: 'A' } as const satisfies Actor;
export const B = { role: 'partner', seat: 'B' } as const satisfies Actor;
export const C = { role: 'counsellor' } as const satisfies Actor;

const listenerStarters = {
  mirror: ['What I heard is …'],
  askMore: ['Is there more?'],
  validate: ['That makes sense because …'],
  empathise: ['I imagine you might feel …'],
};
const prompts = { speaker: 'Speak about yourself.', listener: 'Listen and say back.' };

function talkStep(
  text: { id: string; title: string; intro: string; speakerStarter: string },
  shape: { whoStarts: string; rounds: 1 | 2; offerValidate: boolean; offerEmpathise: boolean },
) {
  const { speakerStarter, ...named } = text;
  return { ...named, kind: 'speaker-listener', prompts, starters: { speaker: [speakerStarter], listener: listenerStarters }, ...shape };
}

/** Every kind of step, in an order that exercises each transition. */
export const fixturePack: Pack = packSchema.parse({
  id: 'fixture',
  title: 'Fixture',
  summary: 'A pack for tests.',
  suggestedMinutes: 30,
  tags: ['test'],
  order: 0,
  steps: [
    talkStep({ id: 'talk', title: 'Talk', intro: 'Two rounds.', speakerStarter: 'I feel … when … because …' }, {
      whoStarts: 'proposer',
      rounds: 2,
      offerValidate: true,
      offerEmpathise: true,
    }),
    { id: 'share', kind: 'open', title: 'Share', intro: 'Take turns.', prompts, whoStarts: 'other' },
    { id: 'rest', kind: 'break', title: 'Rest', intro: 'Breathe.', minutes: 2 },
    talkStep({ id: 'one-round', title: 'One round', intro: 'One round, empathy only.', speakerStarter: 'I feel …' }, {
      whoStarts: 'B',
      rounds: 1,
      offerValidate: false,
      offerEmpathise: true,
    }),
    { id: 'thanks', kind: 'appreciation', title: 'Thanks', intro: 'Thank.', prompts, whoStarts: 'A' },
    { id: 'agree', kind: 'agreement', title: 'Agree', intro: 'Propose.', prompts, whoStarts: 'proposer' },
  ],
});

export class Sim {
  now = 1_000_000;
  events: SessionEvent[] = [];
  constructor(
    public state: SessionState = initialSessionState(0),
    public pack: Pack | undefined = fixturePack,
  ) {}

  /** A pack argument, even `undefined`, replaces the session's pack for this one command. */
  attempt(actor: Actor, command: Command, ...pack: [Pack | undefined] | []): TurnResult {
    return applyCommand(this.state, command, { now: this.now + 1000, actor, pack: pack.length ? pack[0] : this.pack });
  }

  do(actor: Actor, command: Command, ...pack: [Pack | undefined] | []): SessionEvent[] {
    const result = this.attempt(actor, command, ...pack);
    if (!result.ok) throw new Error(`${command.type} by ${JSON.stringify(actor)} refused: ${result.code} ${result.rule}`);
    this.now += 1000;
    this.state = result.state;
    this.events.push(...result.events);
    return result.events;
  }

  /** Expects a refusal with this code and rule, and checks the state did not change. */
  refused(actor: Actor, command: Command, code: string, rule: string, ...pack: [Pack | undefined] | []): void {
    const before = structuredClone(this.state);
    const result = this.attempt(actor, command, ...pack);
    expect(result).toEqual({ ok: false, code, rule });
    expect(this.state).toEqual(before);
  }

  get active(): ActiveState {
    const s = this.state;
    if (s.phase !== 'active') throw new Error(`expected active, got ${s.phase}`);
    return s;
  }

  get sl(): SpeakerListenerStepState {
    const step = this.active.step;
    if (step.kind !== 'speaker-listener') throw new Error(`expected speaker-listener, got ${step.kind}`);
    return step;
  }
}

/** A session on the fixture pack, proposed by A and accepted by B: A speaks first. */
export function started(mode: 'aloud' | 'write' = 'aloud', pack: Pack = fixturePack): Sim {
  const sim = new Sim(initialSessionState(0), pack);
  sim.do(A, { type: 'propose', packId: pack.id, mode });
  sim.do(B, { type: 'accept' });
  return sim;
}

/** One full speaker-listener turn for `speaker`, ending ready to pass (or passed when `pass`). */
export function turn(sim: Sim, speaker: typeof A | typeof B, pass = true): void {
  const listener = speaker === A ? B : A;
  const write = sim.active.mode === 'write';
  if (write) sim.do(speaker, { type: 'speak', text: 'I feel tired when the dishes wait, because I need rest.' });
  sim.do(speaker, { type: 'passToReflect' });
  sim.do(listener, write ? { type: 'reflect', text: 'What I heard is that you need rest.' } : { type: 'reflect' });
  sim.do(speaker, { type: 'confirm' });
  const step = sim.sl;
  if (step.offerValidate) sim.do(listener, { type: 'validate', text: 'That makes sense because you work late.' });
  if (step.offerEmpathise) sim.do(listener, { type: 'empathise', text: 'I imagine you might feel alone.' });
  if (pass) sim.do(speaker, { type: 'passFloor' });
}
