import { ErrorCode } from '../protocol/errors';
import type { Pack, Step, WhoStarts } from '../content/packSchema';
import type { RuleId } from './rules';
import {
  PAUSE_DEFAULT_MINUTES,
  PAUSE_MAX_MINUTES,
  PAUSE_MIN_MINUTES,
  REPAIR_PHRASE_IDS,
  RepairPhrase,
  Seat,
  SessionMode,
  Sub,
  TEXT_MAX,
  otherSeat,
  type ActiveState,
  type Actor,
  type By,
  type Command,
  type CommandOf,
  type CommandType,
  type EndedState,
  type IdleState,
  type PausedState,
  type ProposedState,
  type SessionEvent,
  type SessionRecord,
  type SessionState,
  type SessionSummary,
  type SpeakerListenerStepState,
  type StepState,
  type TurnContext,
  type TurnResult,
} from './types';

/**
 * The guided-session turn machine: a pure function from (state, command, context) to a new
 * state and the events to broadcast, or a named refusal. No clock and no randomness in here:
 * time comes in as ctx.now and ids come in with the commands, so the server can replay it and
 * two nodes agree.
 */

export const ID_MAX = 100;
const SUGGESTED_TIME_MAX = 100;
const UNTIL_LABEL_MAX = 40;

type Refusal = { ok: false; code: ErrorCode; rule: RuleId };
type Outcome = { ok: true; state: SessionState; events: SessionEvent[] } | Refusal;

const refuse = (code: ErrorCode, rule: RuleId): Refusal => ({ ok: false, code, rule });
const done = (state: SessionState, ...events: SessionEvent[]): Outcome => ({ ok: true, state, events });

function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}

export const initialSessionState = (now = 0): IdleState => ({ phase: 'idle', version: 0, updatedAt: now });

const PARTNER_ONLY: ReadonlySet<CommandType> = new Set<CommandType>([
  'accept',
  'decline',
  'speak',
  'passToReflect',
  'reflect',
  'confirm',
  'notQuite',
  'validate',
  'empathise',
  'passFloor',
  'addEntry',
  'ready',
  'back',
  'repair',
  'keepRecord',
]);
const COUNSELLOR_ONLY: ReadonlySet<CommandType> = new Set<CommandType>([
  'grantFloor',
  'skipStep',
  'repeatStep',
  'advance',
  'choosePack',
  'resume',
]);
const ALLOWED_WHILE_PAUSED: ReadonlySet<CommandType> = new Set<CommandType>([
  'back',
  'resume',
  'pause',
  'repair',
  'endSession',
]);

export const ALL_COMMAND_TYPES: readonly CommandType[] = [
  'propose',
  'accept',
  'decline',
  'cancelProposal',
  'speak',
  'passToReflect',
  'reflect',
  'confirm',
  'notQuite',
  'validate',
  'empathise',
  'passFloor',
  'addEntry',
  'ready',
  'proposeAgreement',
  'nextStep',
  'grantFloor',
  'skipStep',
  'repeatStep',
  'advance',
  'choosePack',
  'resume',
  'pause',
  'back',
  'repair',
  'keepRecord',
  'endSession',
];

function byOf(actor: Actor): By {
  return actor.role === 'partner' ? actor.seat : 'counsellor';
}

// ---------------------------------------------------------------------------------------------
// Payload checks (TM-13, TM-28, TM-31). The server also parses with sessionSchemas; these keep
// the machine safe on its own.

function badText(text: string | undefined): boolean {
  return text !== undefined && (text.trim().length === 0 || text.length > TEXT_MAX);
}
function badId(id: string): boolean {
  return id.trim().length === 0 || id.length > ID_MAX;
}

function checkPayload(command: Command): Refusal | null {
  switch (command.type) {
    case 'speak':
    case 'reflect':
    case 'validate':
    case 'empathise':
      return badText(command.text) ? refuse(ErrorCode.INVALID_PAYLOAD, 'TM-13') : null;
    case 'addEntry':
    case 'proposeAgreement':
      return badText(command.text) || badId(command.id) ? refuse(ErrorCode.INVALID_PAYLOAD, 'TM-13') : null;
    case 'decline':
      return command.suggestedTime !== undefined && command.suggestedTime.length > SUGGESTED_TIME_MAX
        ? refuse(ErrorCode.INVALID_PAYLOAD, 'TM-13')
        : null;
    case 'pause': {
      const m = command.minutes;
      if (m !== undefined && (!Number.isInteger(m) || m < PAUSE_MIN_MINUTES || m > PAUSE_MAX_MINUTES)) {
        return refuse(ErrorCode.INVALID_PAYLOAD, 'TM-28');
      }
      if (command.untilLabel !== undefined && command.untilLabel.length > UNTIL_LABEL_MAX) {
        return refuse(ErrorCode.INVALID_PAYLOAD, 'TM-28');
      }
      return null;
    }
    case 'repair':
      return REPAIR_PHRASE_IDS.includes(command.phrase) ? null : refuse(ErrorCode.INVALID_PAYLOAD, 'TM-31');
    case 'propose':
    case 'choosePack':
      if (command.mode !== undefined && command.mode !== SessionMode.Aloud && command.mode !== SessionMode.Write) {
        return refuse(ErrorCode.INVALID_PAYLOAD, 'TM-13');
      }
      return null;
    case 'notQuite':
      return command.backTo === 'reflect' || command.backTo === 'speak'
        ? null
        : refuse(ErrorCode.INVALID_PAYLOAD, 'TM-13');
    case 'grantFloor':
      return command.seat === Seat.A || command.seat === Seat.B ? null : refuse(ErrorCode.INVALID_PAYLOAD, 'TM-13');
    case 'accept':
    case 'cancelProposal':
    case 'passToReflect':
    case 'confirm':
    case 'passFloor':
    case 'ready':
    case 'nextStep':
    case 'skipStep':
    case 'repeatStep':
    case 'advance':
    case 'resume':
    case 'back':
    case 'keepRecord':
    case 'endSession':
      return null;
    default:
      return assertNever(command);
  }
}

// ---------------------------------------------------------------------------------------------
// Steps

/** TM-36 */
export function resolveStarter(whoStarts: WhoStarts, proposedBy: By): Seat {
  const proposer: Seat = proposedBy === 'counsellor' ? Seat.A : proposedBy;
  switch (whoStarts) {
    case 'A':
      return Seat.A;
    case 'B':
      return Seat.B;
    case 'proposer':
      return proposer;
    case 'other':
      return otherSeat(proposer);
    default:
      return assertNever(whoStarts);
  }
}

function initStep(step: Step, proposedBy: By, now: number): StepState {
  switch (step.kind) {
    case 'speaker-listener':
      return {
        kind: 'speaker-listener',
        rounds: step.rounds,
        round: 1,
        offerValidate: step.offerValidate,
        offerEmpathise: step.offerEmpathise,
        speaker: resolveStarter(step.whoStarts, proposedBy),
        sub: Sub.Speak,
        subStartedAt: now,
        said: [],
        reflection: null,
        validation: null,
        empathy: null,
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

function freshTurn(step: SpeakerListenerStepState, speaker: Seat, now: number): SpeakerListenerStepState {
  return {
    ...step,
    speaker,
    sub: Sub.Speak,
    subStartedAt: now,
    said: [],
    reflection: null,
    validation: null,
    empathy: null,
  };
}

function afterConfirm(step: SpeakerListenerStepState): Sub {
  if (step.offerValidate) return Sub.Validate;
  if (step.offerEmpathise) return Sub.Empathise;
  return Sub.Pass;
}

function summarise(state: ActiveState, now: number, endedBy: SessionSummary['endedBy']): SessionSummary {
  const { record } = state;
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
    recordKept: state.mode === SessionMode.Write && record.keepRecord.A === true && record.keepRecord.B === true,
  };
}

function endActive(state: ActiveState, now: number, endedBy: SessionSummary['endedBy']): Outcome {
  const summary = summarise(state, now, endedBy);
  const ended: EndedState = { phase: 'ended', version: state.version, updatedAt: now, summary };
  return done(ended, { type: 'sessionEnded', summary });
}

/** Moves to step `index` (TM-23: past the last one ends the session). */
function goToStep(
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
  const next: ActiveState = {
    ...state,
    record,
    stepIndex: index,
    stepId: step.id,
    stepStartedAt: now,
    step: initStep(step, state.proposedBy, now),
  };
  return done(next, { type: 'stepChanged', stepIndex: index, stepId: step.id, reason });
}

// ---------------------------------------------------------------------------------------------
// Phase guards

function requireActive(state: SessionState): ActiveState | Refusal {
  switch (state.phase) {
    case 'active':
      return state;
    case 'idle':
    case 'ended':
      return refuse(ErrorCode.SESSION_NOT_FOUND, 'TM-06');
    case 'proposed':
      return refuse(ErrorCode.WRONG_PHASE, 'TM-06');
    case 'paused':
      return refuse(ErrorCode.SESSION_PAUSED, 'TM-29');
    default:
      return assertNever(state);
  }
}

function requireProposed(state: SessionState): ProposedState | Refusal {
  switch (state.phase) {
    case 'proposed':
      return state;
    case 'idle':
    case 'ended':
      return refuse(ErrorCode.SESSION_NOT_FOUND, 'TM-06');
    case 'active':
      return refuse(ErrorCode.SESSION_ALREADY_ACTIVE, 'TM-01');
    case 'paused':
      return refuse(ErrorCode.SESSION_PAUSED, 'TM-29');
    default:
      return assertNever(state);
  }
}

function requirePack(pack: Pack | undefined, packId: string): Pack | Refusal {
  return pack !== undefined && pack.id === packId ? pack : refuse(ErrorCode.PACK_NOT_FOUND, 'TM-02');
}

const isRefusal = (value: object): value is Refusal => 'ok' in value && value.ok === false;

/** A speaker-listener step of a running session, for a partner. */
function withSpeakerListener(
  state: SessionState,
  seat: Seat,
  f: (active: ActiveState, step: SpeakerListenerStepState, seat: Seat) => Outcome,
): Outcome {
  const active = requireActive(state);
  if (isRefusal(active)) return active;
  if (active.step.kind !== 'speaker-listener') return refuse(ErrorCode.WRONG_PHASE, 'TM-18');
  return f(active, active.step, seat);
}

const withStep = (active: ActiveState, step: StepState, extra?: Partial<ActiveState>): ActiveState => ({
  ...active,
  ...extra,
  step,
});

// ---------------------------------------------------------------------------------------------
// Commands

function propose(state: SessionState, packId: string, mode: SessionMode, by: By, ctx: TurnContext): Outcome {
  if (state.phase === 'active' || state.phase === 'paused') return refuse(ErrorCode.SESSION_ALREADY_ACTIVE, 'TM-01');
  if (state.phase === 'proposed' && by !== 'counsellor') return refuse(ErrorCode.SESSION_ALREADY_ACTIVE, 'TM-01');
  const pack = requirePack(ctx.pack, packId);
  if (isRefusal(pack)) return pack;
  const next: ProposedState = {
    phase: 'proposed',
    version: state.version,
    updatedAt: ctx.now,
    packId,
    mode,
    proposedBy: by,
    proposedAt: ctx.now,
    accepted: { A: by === Seat.A, B: by === Seat.B },
  };
  return done(next, { type: 'sessionProposed', packId, mode, by });
}

function accept(state: SessionState, seat: Seat, ctx: TurnContext): Outcome {
  const proposed = requireProposed(state);
  if (isRefusal(proposed)) return proposed;
  if (proposed.accepted[seat]) return refuse(ErrorCode.WRONG_PHASE, 'TM-03');
  const pack = requirePack(ctx.pack, proposed.packId);
  if (isRefusal(pack)) return pack;
  const accepted = { ...proposed.accepted, [seat]: true };
  if (!(accepted.A && accepted.B)) {
    return done({ ...proposed, accepted }, { type: 'proposalAccepted', by: seat });
  }
  const first = pack.steps[0];
  if (first === undefined) return refuse(ErrorCode.PACK_NOT_FOUND, 'TM-02');
  const active: ActiveState = {
    phase: 'active',
    version: proposed.version,
    updatedAt: ctx.now,
    packId: proposed.packId,
    mode: proposed.mode,
    proposedBy: proposed.proposedBy,
    startedAt: ctx.now,
    stepIndex: 0,
    stepId: first.id,
    stepCount: pack.steps.length,
    stepStartedAt: ctx.now,
    step: initStep(first, proposed.proposedBy, ctx.now),
    record: {
      doneSteps: [],
      reflectionsConfirmed: { A: 0, B: 0 },
      proposals: [],
      keepRecord: { A: null, B: null },
    },
  };
  return done(
    active,
    { type: 'proposalAccepted', by: seat },
    { type: 'sessionStarted', packId: active.packId, mode: active.mode, at: ctx.now },
    { type: 'stepChanged', stepIndex: 0, stepId: first.id, reason: 'next' },
  );
}

function decline(state: SessionState, seat: Seat, suggestedTime: string | undefined, now: number): Outcome {
  const proposed = requireProposed(state);
  if (isRefusal(proposed)) return proposed;
  if (proposed.accepted[seat]) return refuse(ErrorCode.FORBIDDEN, 'TM-04');
  const idle: IdleState = {
    phase: 'idle',
    version: proposed.version,
    updatedAt: now,
    declined: suggestedTime === undefined ? { by: seat, at: now } : { by: seat, suggestedTime, at: now },
  };
  return done(
    idle,
    suggestedTime === undefined ? { type: 'sessionDeclined', by: seat } : { type: 'sessionDeclined', by: seat, suggestedTime },
  );
}

function cancelProposal(state: SessionState, by: By, now: number): Outcome {
  const proposed = requireProposed(state);
  if (isRefusal(proposed)) return proposed;
  if (by !== 'counsellor' && by !== proposed.proposedBy) return refuse(ErrorCode.FORBIDDEN, 'TM-05');
  return done({ phase: 'idle', version: proposed.version, updatedAt: now }, { type: 'proposalCancelled', by });
}

function speak(state: SessionState, seat: Seat, text: string): Outcome {
  return withSpeakerListener(state, seat, (active, step) => {
    if (active.mode !== SessionMode.Write) return refuse(ErrorCode.WRONG_PHASE, 'TM-11');
    if (step.speaker !== seat || step.sub === Sub.Complete) return refuse(ErrorCode.NOT_YOUR_TURN, 'TM-08');
    if (step.sub !== Sub.Speak) return refuse(ErrorCode.WRONG_PHASE, 'TM-10');
    return done(withStep(active, { ...step, said: [...step.said, text] }), { type: 'spoke', seat, text });
  });
}

function passToReflect(state: SessionState, seat: Seat, now: number): Outcome {
  return withSpeakerListener(state, seat, (active, step) => {
    if (step.speaker !== seat || step.sub === Sub.Complete) return refuse(ErrorCode.NOT_YOUR_TURN, 'TM-08');
    if (step.sub !== Sub.Speak) return refuse(ErrorCode.WRONG_PHASE, 'TM-10');
    if (active.mode === SessionMode.Write && step.said.length === 0) return refuse(ErrorCode.TEXT_REQUIRED, 'TM-12');
    return done(withStep(active, { ...step, sub: Sub.Reflect, subStartedAt: now }), {
      type: 'reflectionRequested',
      speaker: seat,
      listener: otherSeat(seat),
    });
  });
}

function reflect(state: SessionState, seat: Seat, text: string | undefined, now: number): Outcome {
  return withSpeakerListener(state, seat, (active, step) => {
    if (step.speaker === seat || step.sub === Sub.Complete) return refuse(ErrorCode.NOT_YOUR_TURN, 'TM-09');
    if (step.sub !== Sub.Reflect) return refuse(ErrorCode.WRONG_PHASE, 'TM-10');
    if (active.mode === SessionMode.Write && text === undefined) return refuse(ErrorCode.TEXT_REQUIRED, 'TM-12');
    const reflection = text ?? null;
    return done(withStep(active, { ...step, sub: Sub.Check, subStartedAt: now, reflection }), {
      type: 'reflected',
      seat,
      text: reflection,
    });
  });
}

function confirm(state: SessionState, seat: Seat, now: number): Outcome {
  return withSpeakerListener(state, seat, (active, step) => {
    if (step.speaker !== seat || step.sub === Sub.Complete) return refuse(ErrorCode.NOT_YOUR_TURN, 'TM-08');
    if (step.sub !== Sub.Check) return refuse(ErrorCode.WRONG_PHASE, 'TM-10');
    const listener = otherSeat(seat);
    const counts = active.record.reflectionsConfirmed;
    return done(
      withStep(
        active,
        { ...step, sub: afterConfirm(step), subStartedAt: now },
        { record: { ...active.record, reflectionsConfirmed: { ...counts, [listener]: counts[listener] + 1 } } },
      ),
      { type: 'reflectionConfirmed', speaker: seat, listener },
    );
  });
}

function notQuite(state: SessionState, seat: Seat, backTo: 'reflect' | 'speak', now: number): Outcome {
  return withSpeakerListener(state, seat, (active, step) => {
    if (step.speaker !== seat || step.sub === Sub.Complete) return refuse(ErrorCode.NOT_YOUR_TURN, 'TM-08');
    if (step.sub !== Sub.Check) return refuse(ErrorCode.WRONG_PHASE, 'TM-10');
    const sub = backTo === 'reflect' ? Sub.Reflect : Sub.Speak;
    return done(withStep(active, { ...step, sub, subStartedAt: now, reflection: null }), {
      type: 'notQuite',
      seat,
      backTo,
    });
  });
}

function validate(state: SessionState, seat: Seat, text: string | undefined, now: number): Outcome {
  return withSpeakerListener(state, seat, (active, step) => {
    if (step.speaker === seat || step.sub === Sub.Complete) return refuse(ErrorCode.NOT_YOUR_TURN, 'TM-09');
    if (!step.offerValidate || step.sub !== Sub.Validate) return refuse(ErrorCode.WRONG_PHASE, 'TM-15');
    const sub = step.offerEmpathise ? Sub.Empathise : Sub.Pass;
    const validation = text ?? null;
    return done(withStep(active, { ...step, sub, subStartedAt: now, validation }), {
      type: 'validated',
      seat,
      text: validation,
    });
  });
}

function empathise(state: SessionState, seat: Seat, text: string | undefined, now: number): Outcome {
  return withSpeakerListener(state, seat, (active, step) => {
    if (step.speaker === seat || step.sub === Sub.Complete) return refuse(ErrorCode.NOT_YOUR_TURN, 'TM-09');
    if (!step.offerEmpathise || (step.sub !== Sub.Validate && step.sub !== Sub.Empathise)) {
      return refuse(ErrorCode.WRONG_PHASE, 'TM-15');
    }
    const empathy = text ?? null;
    return done(withStep(active, { ...step, sub: Sub.Pass, subStartedAt: now, empathy }), {
      type: 'empathised',
      seat,
      text: empathy,
    });
  });
}

const CONFIRMED_SUBS: ReadonlySet<Sub> = new Set<Sub>([Sub.Validate, Sub.Empathise, Sub.Pass]);

/** TM-17: the floor swaps once in a two-round step, otherwise the step completes. */
function passTheFloor(active: ActiveState, step: SpeakerListenerStepState, now: number): Outcome {
  if (step.round < step.rounds) {
    const to = otherSeat(step.speaker);
    return done(withStep(active, { ...freshTurn(step, to, now), round: 2 }), {
      type: 'floorPassed',
      from: step.speaker,
      to,
      round: 2,
    });
  }
  return done(withStep(active, { ...step, sub: Sub.Complete, subStartedAt: now }), {
    type: 'stepCompleted',
    stepIndex: active.stepIndex,
  });
}

function passFloor(state: SessionState, seat: Seat, now: number): Outcome {
  return withSpeakerListener(state, seat, (active, step) => {
    if (step.speaker !== seat || step.sub === Sub.Complete) return refuse(ErrorCode.NOT_YOUR_TURN, 'TM-16');
    if (!CONFIRMED_SUBS.has(step.sub)) return refuse(ErrorCode.WRONG_PHASE, 'TM-16');
    return passTheFloor(active, step, now);
  });
}

function addEntry(state: SessionState, seat: Seat, id: string, text: string): Outcome {
  const active = requireActive(state);
  if (isRefusal(active)) return active;
  const step = active.step;
  if (step.kind !== 'open' && step.kind !== 'appreciation') return refuse(ErrorCode.WRONG_PHASE, 'TM-18');
  if (step.turn !== seat) return refuse(ErrorCode.NOT_YOUR_TURN, 'TM-19');
  if (step.entries.some((e) => e.id === id)) return refuse(ErrorCode.ALREADY_ADDED, 'TM-21');
  const entry = { id, text, by: seat };
  return done(
    withStep(active, { ...step, entries: [...step.entries, entry], turn: otherSeat(seat), ready: { A: false, B: false } }),
    { type: 'entryAdded', entry, stepId: active.stepId },
  );
}

function ready(state: SessionState, seat: Seat): Outcome {
  const active = requireActive(state);
  if (isRefusal(active)) return active;
  const step = active.step;
  if (step.kind !== 'open' && step.kind !== 'appreciation' && step.kind !== 'agreement') {
    return refuse(ErrorCode.WRONG_PHASE, 'TM-18');
  }
  if (step.ready[seat]) return refuse(ErrorCode.WRONG_PHASE, step.kind === 'agreement' ? 'TM-20' : 'TM-19');
  const readyFlags = { ...step.ready, [seat]: true };
  const nextStep: StepState =
    step.kind === 'agreement'
      ? { ...step, ready: readyFlags }
      : { ...step, ready: readyFlags, turn: step.turn === seat ? otherSeat(seat) : step.turn };
  const events: SessionEvent[] = [{ type: 'partnerReady', seat }];
  if (readyFlags.A && readyFlags.B) events.push({ type: 'stepCompleted', stepIndex: active.stepIndex });
  return done(withStep(active, nextStep), ...events);
}

function proposeAgreement(state: SessionState, by: By, id: string, text: string): Outcome {
  const active = requireActive(state);
  if (isRefusal(active)) return active;
  const step = active.step;
  if (step.kind !== 'agreement') return refuse(ErrorCode.WRONG_PHASE, 'TM-18');
  if (active.record.proposals.some((p) => p.id === id)) return refuse(ErrorCode.ALREADY_ADDED, 'TM-21');
  const proposal = { id, text, by, stepId: active.stepId };
  return done(
    withStep(
      active,
      { ...step, ready: { A: false, B: false } },
      { record: { ...active.record, proposals: [...active.record.proposals, proposal] } },
    ),
    { type: 'agreementProposed', proposal },
  );
}

function nextStep(state: SessionState, actor: Actor, ctx: TurnContext): Outcome {
  const active = requireActive(state);
  if (isRefusal(active)) return active;
  const complete = isStepComplete(active.step);
  if (actor.role === 'partner' && !complete) return refuse(ErrorCode.STEP_NOT_COMPLETE, 'TM-22');
  const pack = requirePack(ctx.pack, active.packId);
  if (isRefusal(pack)) return pack;
  return goToStep(active, pack, active.stepIndex + 1, ctx.now, 'next', complete);
}

function grantFloor(state: SessionState, seat: Seat, now: number): Outcome {
  const active = requireActive(state);
  if (isRefusal(active)) return active;
  if (active.step.kind !== 'speaker-listener') return refuse(ErrorCode.WRONG_PHASE, 'TM-25');
  return done(withStep(active, freshTurn(active.step, seat, now)), { type: 'floorGranted', seat });
}

function skipOrRepeat(state: SessionState, ctx: TurnContext, reason: 'skip' | 'repeat'): Outcome {
  const active = requireActive(state);
  if (isRefusal(active)) return active;
  const pack = requirePack(ctx.pack, active.packId);
  if (isRefusal(pack)) return pack;
  const index = reason === 'skip' ? active.stepIndex + 1 : active.stepIndex;
  return goToStep(active, pack, index, ctx.now, reason, false);
}

/** TM-26: one notch forward, as the person whose move it is would, without counting a confirmation. */
function advance(state: SessionState, ctx: TurnContext): Outcome {
  const active = requireActive(state);
  if (isRefusal(active)) return active;
  const step = active.step;
  const now = ctx.now;
  const note: SessionEvent = { type: 'advanced', by: 'counsellor' };
  const moveOn = (): Outcome => {
    const pack = requirePack(ctx.pack, active.packId);
    if (isRefusal(pack)) return pack;
    const moved = goToStep(active, pack, active.stepIndex + 1, now, 'next', true);
    return moved.ok ? done(moved.state, note, ...moved.events) : moved;
  };
  switch (step.kind) {
    case 'speaker-listener': {
      const to = (sub: Sub): Outcome => done(withStep(active, { ...step, sub, subStartedAt: now }), note);
      switch (step.sub) {
        case Sub.Speak:
          return to(Sub.Reflect);
        case Sub.Reflect:
          return to(Sub.Check);
        case Sub.Check:
          return to(afterConfirm(step));
        case Sub.Validate:
          return to(step.offerEmpathise ? Sub.Empathise : Sub.Pass);
        case Sub.Empathise:
        case Sub.Pass: {
          const passed = passTheFloor(active, step, now);
          return passed.ok ? done(passed.state, note, ...passed.events) : passed;
        }
        case Sub.Complete:
          return moveOn();
        default:
          return assertNever(step.sub);
      }
    }
    case 'open':
    case 'appreciation':
    case 'agreement':
      if (isStepComplete(step)) return moveOn();
      return done(withStep(active, { ...step, ready: { A: true, B: true } }), note, {
        type: 'stepCompleted',
        stepIndex: active.stepIndex,
      });
    case 'break':
      return moveOn();
    default:
      return assertNever(step);
  }
}

function pause(state: SessionState, actor: Actor, command: CommandOf<'pause'>, now: number): Outcome {
  const minutes = command.minutes ?? PAUSE_DEFAULT_MINUTES;
  const until = now + minutes * 60_000;
  const by = byOf(actor);
  const label = command.untilLabel === undefined ? {} : { untilLabel: command.untilLabel };
  switch (state.phase) {
    case 'idle':
    case 'ended':
      return refuse(ErrorCode.SESSION_NOT_FOUND, 'TM-28');
    case 'proposed':
    case 'active': {
      const paused: PausedState = {
        phase: 'paused',
        version: state.version,
        updatedAt: now,
        pause: { by, at: now, until, ...label, back: { A: false, B: false } },
        resumeTo: state,
      };
      return done(paused, { type: 'paused', until, ...label });
    }
    case 'paused': {
      const longer = until > state.pause.until;
      const back = actor.role === 'partner' ? { ...state.pause.back, [actor.seat]: false } : state.pause.back;
      const pauseInfo = longer
        ? { by, at: state.pause.at, until, ...label, back }
        : { ...state.pause, back };
      return done({ ...state, pause: pauseInfo }, {
        type: 'paused',
        until: pauseInfo.until,
        ...(pauseInfo.untilLabel === undefined ? {} : { untilLabel: pauseInfo.untilLabel }),
      });
    }
    default:
      return assertNever(state);
  }
}

function back(state: SessionState, seat: Seat): Outcome {
  if (state.phase !== 'paused') return refuse(ErrorCode.WRONG_PHASE, 'TM-30');
  if (state.pause.back[seat]) return refuse(ErrorCode.WRONG_PHASE, 'TM-30');
  const backFlags = { ...state.pause.back, [seat]: true };
  if (backFlags.A && backFlags.B) {
    return done(state.resumeTo, { type: 'partnerBack', seat }, { type: 'resumed', by: 'partners' });
  }
  return done({ ...state, pause: { ...state.pause, back: backFlags } }, { type: 'partnerBack', seat });
}

function resume(state: SessionState): Outcome {
  if (state.phase !== 'paused') return refuse(ErrorCode.WRONG_PHASE, 'TM-30');
  return done(state.resumeTo, { type: 'resumed', by: 'counsellor' });
}

function repair(state: SessionState, seat: Seat, phrase: CommandOf<'repair'>['phrase']): Outcome {
  if (state.phase === 'idle' || state.phase === 'ended') return refuse(ErrorCode.SESSION_NOT_FOUND, 'TM-06');
  return done(state, { type: 'repair', seat, phrase, text: RepairPhrase[phrase] });
}

function keepRecord(state: SessionState, seat: Seat, keep: boolean): Outcome {
  const event: SessionEvent = { type: 'recordChoice', seat, keep };
  switch (state.phase) {
    case 'active': {
      if (state.mode !== SessionMode.Write) return refuse(ErrorCode.WRONG_PHASE, 'TM-32');
      const record = { ...state.record, keepRecord: { ...state.record.keepRecord, [seat]: keep } };
      return done({ ...state, record }, event);
    }
    case 'ended': {
      const s = state.summary;
      if (s.mode !== SessionMode.Write) return refuse(ErrorCode.WRONG_PHASE, 'TM-32');
      const choices = { ...s.keepRecord, [seat]: keep };
      const summary = { ...s, keepRecord: choices, recordKept: choices.A === true && choices.B === true };
      return done({ ...state, summary }, event);
    }
    case 'idle':
      return refuse(ErrorCode.SESSION_NOT_FOUND, 'TM-06');
    case 'proposed':
      return refuse(ErrorCode.WRONG_PHASE, 'TM-06');
    case 'paused':
      return refuse(ErrorCode.SESSION_PAUSED, 'TM-29');
    default:
      return assertNever(state);
  }
}

function endSession(state: SessionState, by: By, now: number): Outcome {
  const target = state.phase === 'paused' ? state.resumeTo : state;
  switch (target.phase) {
    case 'active':
      return endActive({ ...target, version: state.version }, now, by);
    case 'proposed':
      return done({ phase: 'idle', version: state.version, updatedAt: now }, { type: 'proposalCancelled', by });
    case 'idle':
    case 'ended':
      return refuse(ErrorCode.SESSION_NOT_FOUND, 'TM-33');
    default:
      return assertNever(target);
  }
}

function dispatch(state: SessionState, command: Command, ctx: TurnContext): Outcome {
  const { actor, now } = ctx;
  const by = byOf(actor);
  // Partner-only commands were refused for the counsellor before dispatch, so this is total.
  const seat: Seat = actor.role === 'partner' ? actor.seat : Seat.A;
  switch (command.type) {
    case 'propose':
      return propose(state, command.packId, command.mode, by, ctx);
    case 'choosePack': {
      if (state.phase === 'active' || state.phase === 'paused') return refuse(ErrorCode.SESSION_ALREADY_ACTIVE, 'TM-37');
      const mode = command.mode ?? (state.phase === 'proposed' ? state.mode : SessionMode.Aloud);
      return propose(state, command.packId, mode, 'counsellor', ctx);
    }
    case 'accept':
      return accept(state, seat, ctx);
    case 'decline':
      return decline(state, seat, command.suggestedTime, now);
    case 'cancelProposal':
      return cancelProposal(state, by, now);
    case 'speak':
      return speak(state, seat, command.text);
    case 'passToReflect':
      return passToReflect(state, seat, now);
    case 'reflect':
      return reflect(state, seat, command.text, now);
    case 'confirm':
      return confirm(state, seat, now);
    case 'notQuite':
      return notQuite(state, seat, command.backTo, now);
    case 'validate':
      return validate(state, seat, command.text, now);
    case 'empathise':
      return empathise(state, seat, command.text, now);
    case 'passFloor':
      return passFloor(state, seat, now);
    case 'addEntry':
      return addEntry(state, seat, command.id, command.text);
    case 'ready':
      return ready(state, seat);
    case 'proposeAgreement':
      return proposeAgreement(state, by, command.id, command.text);
    case 'nextStep':
      return nextStep(state, actor, ctx);
    case 'grantFloor':
      return grantFloor(state, command.seat, now);
    case 'skipStep':
      return skipOrRepeat(state, ctx, 'skip');
    case 'repeatStep':
      return skipOrRepeat(state, ctx, 'repeat');
    case 'advance':
      return advance(state, ctx);
    case 'resume':
      return resume(state);
    case 'pause':
      return pause(state, actor, command, now);
    case 'back':
      return back(state, seat);
    case 'repair':
      return repair(state, seat, command.phrase);
    case 'keepRecord':
      return keepRecord(state, seat, command.keep);
    case 'endSession':
      return endSession(state, by, now);
    default:
      return assertNever(command);
  }
}

/**
 * Applies one command. On success the new state's version is exactly one more than the old
 * one and updatedAt is ctx.now (TM-34); on refusal nothing changes and the rule is named.
 */
export function applyCommand(state: SessionState, command: Command, ctx: TurnContext): TurnResult {
  if (ctx.actor.role === 'counsellor' && PARTNER_ONLY.has(command.type)) return refuse(ErrorCode.FORBIDDEN, 'TM-07');
  if (ctx.actor.role === 'partner' && COUNSELLOR_ONLY.has(command.type)) return refuse(ErrorCode.FORBIDDEN, 'TM-24');
  const invalid = checkPayload(command);
  if (invalid) return invalid;
  if (state.phase === 'paused' && !ALLOWED_WHILE_PAUSED.has(command.type)) {
    return refuse(ErrorCode.SESSION_PAUSED, 'TM-29');
  }
  const outcome = dispatch(state, command, ctx);
  if (!outcome.ok) return outcome;
  return {
    ok: true,
    state: { ...outcome.state, version: state.version + 1, updatedAt: ctx.now },
    events: outcome.events,
  };
}
