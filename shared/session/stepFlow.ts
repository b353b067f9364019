import type { Pack, Step, WhoStarts } from '../content/packSchema';
import type { PartnerSeat } from '../protocol/identity';
import { assertNever, done, isRefusal, refuse, requireActive, requirePack, type Outcome } from './outcomes';
import { ErrorCode } from '../protocol/errors';
import { openTurn } from './speakerListener';
import {
  SessionMode,
  Sub,
  otherSeat,
  type ActiveState,
  type Actor,
  type By,
  activeOf,
  type EndedState,
  type HeardReflection,
  type SessionRecord,
  type SessionState,
  type SessionSummary,
  type StepState,
  type TurnContext,
} from './types';

/** Starting, completing and moving between the steps of a pack, and the summary at the end. */

/** TM-36 */
export function resolveStarter(whoStarts: WhoStarts, proposedBy: By): PartnerSeat {
  const proposer: PartnerSeat = proposedBy === 'counsellor' ? 'A' : proposedBy;
  switch (whoStarts) {
    case 'A':
      return 'A';
    case 'B':
      return 'B';
    case 'proposer':
      return proposer;
    case 'other':
      return otherSeat(proposer);
    default:
      return assertNever(whoStarts);
  }
}

export function initStep(step: Step, proposedBy: By, now: number): StepState {
  switch (step.kind) {
    case 'speaker-listener':
      return {
        kind: 'speaker-listener',
        rounds: step.rounds,
        round: 1,
        offerValidate: step.offerValidate,
        offerEmpathise: step.offerEmpathise,
        ...openTurn(resolveStarter(step.whoStarts, proposedBy), now),
      };
    case 'open':
    case 'appreciation':
      return {
        kind: step.kind,
        turn: resolveStarter(step.whoStarts, proposedBy),
        entries: [],
        ready: { A: false, B: false },
      };
    case 'agreement':
      return { kind: 'agreement', ready: { A: false, B: false } };
    case 'break':
      return { kind: 'break' };
    default:
      return assertNever(step);
  }
}

export function isStepComplete(step: StepState): boolean {
  switch (step.kind) {
    case 'speaker-listener':
      return step.sub === Sub.Complete;
    case 'open':
    case 'appreciation':
    case 'agreement':
      return step.ready.A && step.ready.B;
    case 'break':
      return true;
    default:
      return assertNever(step);
  }
}

export function summarise(state: ActiveState, now: number, endedBy: SessionSummary['endedBy']): SessionSummary {
  const { record } = state;
  const recordKept = state.mode === SessionMode.Write && record.keepRecord.A === true && record.keepRecord.B === true;
  return {
    packId: state.packId,
    mode: state.mode,
    startedAt: state.startedAt,
    endedAt: now,
    endedBy,
    stepCount: state.stepCount,
    stepsDone: record.doneSteps.length,
    doneStepIndexes: [...record.doneSteps].sort((a, b) => a - b),
    reflectionsConfirmed: { ...record.reflectionsConfirmed },
    proposals: record.proposals,
    keepRecord: { ...record.keepRecord },
    recordKept,
    endedEarly: endedBy !== 'finished',
    heard: heardOf(record.heard ?? [], recordKept),
  };
}

/** TM-43: the confirmed reflections; their written words stay only with a kept record (TM-32). */
export function heardOf(heard: readonly HeardReflection[], recordKept: boolean): HeardReflection[] {
  return heard.map((h) => (recordKept ? { ...h } : { ...h, text: null }));
}

export function endActive(
  state: ActiveState,
  now: number,
  endedBy: SessionSummary['endedBy'],
  why: Pick<SessionSummary, 'endReason' | 'endNote'> = {},
): Outcome {
  const summary = { ...summarise(state, now, endedBy), ...why };
  const ended: EndedState = { phase: 'ended', version: state.version, updatedAt: now, summary };
  return done(ended, { type: 'sessionEnded', summary });
}

/** Moves to step `index` (TM-23: past the last one ends the session). */
export function goToStep(
  state: ActiveState,
  pack: Pack,
  index: number,
  now: number,
  reason: 'next' | 'skip' | 'repeat',
  markDone: boolean,
): Outcome {
  const record: SessionRecord =
    markDone && !state.record.doneSteps.includes(state.stepIndex)
      ? { ...state.record, doneSteps: [...state.record.doneSteps, state.stepIndex] }
      : state.record;
  const step = pack.steps[index];
  if (step === undefined) return endActive({ ...state, record }, now, 'finished');
  const { nextAskedBy: _answered, ...rest } = state;
  const next: ActiveState = {
    ...rest,
    record,
    stepIndex: index,
    stepId: step.id,
    stepStartedAt: now,
    step: initStep(step, state.proposedBy, now),
  };
  return done(next, { type: 'stepChanged', stepIndex: index, stepId: step.id, reason });
}

/**
 * TM-22, TM-39: the counsellor moves on alone; a partner's "next step" in a complete step is a
 * request, and the step moves on when the other partner asks too.
 */
export function nextStep(state: SessionState, actor: Actor, ctx: TurnContext): Outcome {
  const active = requireActive(state);
  if (isRefusal(active)) return active;
  const complete = isStepComplete(active.step);
  if (actor.role === 'partner') {
    if (!complete) return refuse(ErrorCode.STEP_NOT_COMPLETE, 'TM-22');
    const asked = active.nextAskedBy;
    if (asked === actor.seat) return refuse(ErrorCode.WRONG_PHASE, 'TM-39');
    if (asked === undefined) return done({ ...active, nextAskedBy: actor.seat }, { type: 'nextStepAsked', by: actor.seat });
  }
  const pack = requirePack(ctx.pack, active.packId);
  if (isRefusal(pack)) return pack;
  return goToStep(active, pack, active.stepIndex + 1, ctx.now, 'next', complete);
}

/** TM-40: "not yet" from the other partner, or the asker taking the request back. */
export function holdStep(state: SessionState, seat: PartnerSeat): Outcome {
  const active = requireActive(state);
  if (isRefusal(active)) return active;
  const askedBy = active.nextAskedBy;
  if (askedBy === undefined) return refuse(ErrorCode.WRONG_PHASE, 'TM-40');
  const { nextAskedBy: _held, ...rest } = active;
  return done(rest, { type: 'nextStepHeld', by: seat, askedBy });
}

/** TM-41: a request to move on lasts only while its step is the same step and still complete. */
export function withoutStaleAsk(before: SessionState, after: SessionState): SessionState {
  if (after.phase !== 'active' || after.nextAskedBy === undefined) return after;
  const was = activeOf(before);
  if (was !== null && was.stepIndex === after.stepIndex && was.startedAt === after.startedAt && isStepComplete(after.step)) return after;
  const { nextAskedBy: _stale, ...rest } = after;
  return rest;
}
