import { ErrorCode } from '../protocol/errors';
import type { PartnerSeat } from '../protocol/identity';
import { COMMAND_RULES } from './commandRules';
import { assertNever, byOf, done, isRefusal, refuse, requireActive, requirePack, withStep, type Outcome } from './outcomes';
import { advanceTurn, freshTurn } from './speakerListener';
import { goToStep, isStepComplete } from './stepFlow';
import {
  MoveKind,
  Sub,
  activeOf,
  otherSeat,
  type Actor,
  type Command,
  type LastMove,
  type Notch,
  type SessionEvent,
  type SessionState,
  type StepState,
  type TurnContext,
} from './types';

/** The counsellor's moves: granting the floor, skipping, repeating, advancing (TM-24 to TM-27), and the line each leaves (TM-42). */

export function grantFloor(state: SessionState, seat: PartnerSeat, now: number): Outcome {
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

/**
 * TM-42: the line the partners read after a move: the counsellor's every move, and a next step
 * both partners agreed to. Any other accepted turn move of a partner clears it ('clear'); a
 * partner's time-out, "I'm back", repair card or record choice leaves it as it is ('keep'), so a
 * time-out never names who called it.
 */
export function lastMoveOf(previous: SessionState, command: Command, actor: Actor, events: readonly SessionEvent[], now: number): LastMove | 'keep' | 'clear' {
  const active = activeOf(previous);
  const stepIndex = active?.stepIndex;
  const at = (kind: MoveKind, extra: Partial<LastMove> = {}): LastMove => ({
    by: byOf(actor),
    kind,
    at: now,
    ...(stepIndex === undefined ? {} : { stepIndex }),
    ...extra,
  });
  if (command.type === 'endSession') return events.some((e) => e.type === 'sessionEnded') ? at(MoveKind.Ended) : 'keep';
  if (actor.role === 'partner') {
    if (command.type === 'nextStep' && events.some((e) => e.type === 'stepChanged' || e.type === 'sessionEnded')) {
      return at(MoveKind.MovedOnTogether);
    }
    return COMMAND_RULES[command.type].whilePaused || command.type === 'keepRecord' ? 'keep' : 'clear';
  }
  switch (command.type) {
    case 'pause':
      return at(MoveKind.Paused);
    case 'resume':
      return at(MoveKind.Resumed);
    case 'grantFloor':
      return at(MoveKind.FloorGranted, { seat: command.seat });
    case 'skipStep':
      return at(MoveKind.SkippedStep);
    case 'repeatStep':
      return at(MoveKind.RepeatedStep);
    case 'nextStep':
      return at(MoveKind.MovedOn);
    case 'advance':
      return active === null ? 'keep' : at(MoveKind.Advanced, notchOf(active.step));
    default:
      return 'keep';
  }
}

/** What "one notch on" moves past in `step`, and whose move that was (TM-26, TM-42). */
export function notchOf(step: StepState): { notch: Notch; seat?: PartnerSeat } {
  switch (step.kind) {
    case 'speaker-listener': {
      if (step.sub === Sub.Complete) return { notch: 'step' };
      const listenerMoves: Sub[] = [Sub.Reflect, Sub.Validate, Sub.Empathise];
      return { notch: step.sub, seat: listenerMoves.includes(step.sub) ? otherSeat(step.speaker) : step.speaker };
    }
    case 'open':
    case 'appreciation':
    case 'agreement':
      return { notch: isStepComplete(step) ? 'step' : 'ready' };
    case 'break':
      return { notch: 'step' };
    default:
      return assertNever(step);
  }
}

/** Applies lastMoveOf to the new state. */
export function withLastMove(next: SessionState, previous: SessionState, move: LastMove | 'keep' | 'clear'): SessionState {
  if (move === 'clear') {
    const { lastMove: _cleared, ...rest } = next;
    return rest as SessionState;
  }
  if (move === 'keep') return previous.lastMove === undefined ? next : { ...next, lastMove: previous.lastMove };
  return { ...next, lastMove: move };
}
