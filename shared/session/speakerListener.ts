import { ErrorCode } from '../protocol/errors';
import type { PartnerSeat } from '../protocol/identity';
import { assertNever, done, isRefusal, refuse, requireActive, withStep, type Outcome } from './outcomes';
import {
  SessionMode,
  Sub,
  otherSeat,
  type ActiveState,
  type SessionState,
  type SpeakerListenerStepState,
  type SpeakerListenerTurn,
} from './types';

/**
 * A speaker-listener step: SPEAK, REFLECT, CHECK, then VALIDATE and EMPATHISE when offered,
 * and the speaker passing the floor (TM-08 to TM-17).
 */

/** A speaker-listener step of a running session (TM-06, TM-18). */
function withSpeakerListener(
  state: SessionState,
  f: (active: ActiveState, step: SpeakerListenerStepState) => Outcome,
): Outcome {
  const active = requireActive(state);
  if (isRefusal(active)) return active;
  if (active.step.kind !== 'speaker-listener') return refuse(ErrorCode.WRONG_PHASE, 'TM-18');
  return f(active, active.step);
}

/** A speaker's turn from its start: SPEAK, nothing said yet. */
export function openTurn(speaker: PartnerSeat, now: number): SpeakerListenerTurn & Pick<SpeakerListenerStepState, 'speaker' | 'subStartedAt' | 'said'> {
  return { speaker, sub: Sub.Speak, subStartedAt: now, said: [], reflection: null, validation: null, empathy: null };
}

export function freshTurn(step: SpeakerListenerStepState, speaker: PartnerSeat, now: number): SpeakerListenerStepState {
  return { ...step, ...openTurn(speaker, now) };
}

function afterConfirm(step: SpeakerListenerStepState): typeof Sub.Validate | typeof Sub.Empathise | typeof Sub.Pass {
  if (step.offerValidate) return Sub.Validate;
  if (step.offerEmpathise) return Sub.Empathise;
  return Sub.Pass;
}

export function speak(state: SessionState, seat: PartnerSeat, text: string): Outcome {
  return withSpeakerListener(state, (active, step) => {
    if (active.mode !== SessionMode.Write) return refuse(ErrorCode.WRONG_PHASE, 'TM-11');
    if (step.speaker !== seat || step.sub === Sub.Complete) return refuse(ErrorCode.NOT_YOUR_TURN, 'TM-08');
    if (step.sub !== Sub.Speak) return refuse(ErrorCode.WRONG_PHASE, 'TM-10');
    return done(withStep(active, { ...step, said: [...step.said, text] }), { type: 'spoke', seat, text });
  });
}

export function passToReflect(state: SessionState, seat: PartnerSeat, now: number): Outcome {
  return withSpeakerListener(state, (active, step) => {
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

export function reflect(state: SessionState, seat: PartnerSeat, text: string | undefined, now: number): Outcome {
  return withSpeakerListener(state, (active, step) => {
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

export function confirm(state: SessionState, seat: PartnerSeat, now: number): Outcome {
  return withSpeakerListener(state, (active, step) => {
    if (step.speaker !== seat || step.sub === Sub.Complete) return refuse(ErrorCode.NOT_YOUR_TURN, 'TM-08');
    if (step.sub !== Sub.Check) return refuse(ErrorCode.WRONG_PHASE, 'TM-10');
    const listener = otherSeat(seat);
    const counts = active.record.reflectionsConfirmed;
    return done(
      withStep(
        active,
        { ...step, sub: afterConfirm(step), subStartedAt: now },
        {
          record: {
            ...active.record,
            reflectionsConfirmed: { ...counts, [listener]: counts[listener] + 1 },
            // TM-43: what was heard, for the summary.
            heard: [...(active.record.heard ?? []), { stepIndex: active.stepIndex, speaker: seat, listener, text: step.reflection }],
          },
        },
      ),
      { type: 'reflectionConfirmed', speaker: seat, listener },
    );
  });
}

export function notQuite(state: SessionState, seat: PartnerSeat, backTo: 'reflect' | 'speak', now: number): Outcome {
  return withSpeakerListener(state, (active, step) => {
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

export function validate(state: SessionState, seat: PartnerSeat, text: string | undefined, now: number): Outcome {
  return withSpeakerListener(state, (active, step) => {
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

export function empathise(state: SessionState, seat: PartnerSeat, text: string | undefined, now: number): Outcome {
  return withSpeakerListener(state, (active, step) => {
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

/** TM-17: the floor swaps once in a two-round step, otherwise the step completes. */
export function passTheFloor(active: ActiveState, step: SpeakerListenerStepState, now: number): Outcome {
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

export function passFloor(state: SessionState, seat: PartnerSeat, now: number): Outcome {
  return withSpeakerListener(state, (active, step) => {
    if (step.speaker !== seat || step.sub === Sub.Complete) return refuse(ErrorCode.NOT_YOUR_TURN, 'TM-16');
    if (step.sub !== Sub.Validate && step.sub !== Sub.Empathise && step.sub !== Sub.Pass) {
      return refuse(ErrorCode.WRONG_PHASE, 'TM-16');
    }
    return passTheFloor(active, step, now);
  });
}

/**
 * TM-26: the turn one notch on, as the person whose move it is would take it, without text
 * and without counting a confirmed reflection. Null for a complete step: its next notch is
 * the next step, which the caller takes.
 */
export function advanceTurn(active: ActiveState, step: SpeakerListenerStepState, now: number): Outcome | null {
  switch (step.sub) {
    case Sub.Speak:
      return done(withStep(active, { ...step, sub: Sub.Reflect, subStartedAt: now }));
    case Sub.Reflect:
      return done(withStep(active, { ...step, sub: Sub.Check, subStartedAt: now }));
    case Sub.Check:
      return done(withStep(active, { ...step, sub: afterConfirm(step), subStartedAt: now }));
    case Sub.Validate:
      return done(withStep(active, { ...step, sub: step.offerEmpathise ? Sub.Empathise : Sub.Pass, subStartedAt: now }));
    case Sub.Empathise:
    case Sub.Pass:
      return passTheFloor(active, step, now);
    case Sub.Complete:
      return null;
    default:
      return assertNever(step);
  }
}
