import { ErrorCode } from '../protocol/errors';
import { assertNever, done, isRefusal, refuse, requireActive, requirePack, withStep, type Outcome } from './outcomes';
import { advanceTurn, freshTurn } from './speakerListener';
import { goToStep, isStepComplete } from './stepFlow';
import type { Seat, SessionEvent, SessionState, TurnContext } from './types';

/** The counsellor's moves: granting the floor, skipping, repeating, advancing (TM-24 to TM-27). */

export function grantFloor(state: SessionState, seat: Seat, now: number): Outcome {
  const active = requireActive(state);
  if (isRefusal(active)) return active;
  if (active.step.kind !== 'speaker-listener') return refuse(ErrorCode.WRONG_PHASE, 'TM-25');
  return done(withStep(active, freshTurn(active.step, seat, now)), { type: 'floorGranted', seat });
}

export function skipOrRepeat(state: SessionState, ctx: TurnContext, reason: 'skip' | 'repeat'): Outcome {
  const active = requireActive(state);
  if (isRefusal(active)) return active;
  const pack = requirePack(ctx.pack, active.packId);
  if (isRefusal(pack)) return pack;
  const index = reason === 'skip' ? active.stepIndex + 1 : active.stepIndex;
  return goToStep(active, pack, index, ctx.now, reason, false);
}

/** TM-26: one notch forward, as the person whose move it is would, without counting a confirmation. */
export function advance(state: SessionState, ctx: TurnContext): Outcome {
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
      const moved = advanceTurn(active, step, now);
      if (moved === null) return moveOn();
      return moved.ok ? done(moved.state, note, ...moved.events) : moved;
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
