import { ErrorCode } from '../protocol/errors';
import type { Pack } from '../content/packSchema';
import type { RuleId } from './rules';
import type {
  ActiveState,
  Actor,
  By,
  ProposedState,
  SessionEvent,
  SessionState,
  StepState,
} from './types';

/**
 * What every phase file of the turn machine returns, and the guards they share: a command
 * either gives a new state and its events, or a refusal naming its rule.
 */

export type Refusal = { ok: false; code: ErrorCode; rule: RuleId };
export type Outcome = { ok: true; state: SessionState; events: SessionEvent[] } | Refusal;

export const refuse = (code: ErrorCode, rule: RuleId): Refusal => ({ ok: false, code, rule });
export const done = (state: SessionState, ...events: SessionEvent[]): Outcome => ({ ok: true, state, events });
export const isRefusal = (value: object): value is Refusal => 'ok' in value && value.ok === false;

export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}

export function byOf(actor: Actor): By {
  return actor.role === 'partner' ? actor.seat : 'counsellor';
}

/** A running session (TM-06; a time-out holds every turn move, TM-29). */
export function requireActive(state: SessionState): ActiveState | Refusal {
  return state.phase === 'active' ? state : refusalIn(state, refuse(ErrorCode.WRONG_PHASE, 'TM-06'));
}

/** A proposal waiting for answers; a started session refuses as TM-01 does. */
export function requireProposed(state: SessionState): ProposedState | Refusal {
  return state.phase === 'proposed' ? state : refusalIn(state, refuse(ErrorCode.SESSION_ALREADY_ACTIVE, 'TM-01'));
}

/**
 * The refusal for a move that does not fit `state`: no session (TM-06), a time-out (TM-29),
 * or `otherwise` in a proposed or running session.
 */
export function refusalIn(state: SessionState, otherwise: Refusal): Refusal {
  switch (state.phase) {
    case 'idle':
    case 'ended':
      return refuse(ErrorCode.SESSION_NOT_FOUND, 'TM-06');
    case 'paused':
      return refuse(ErrorCode.SESSION_PAUSED, 'TM-29');
    case 'proposed':
    case 'active':
      return otherwise;
    default:
      return assertNever(state);
  }
}

export function requirePack(pack: Pack | undefined, packId: string): Pack | Refusal {
  return pack !== undefined && pack.id === packId ? pack : refuse(ErrorCode.PACK_NOT_FOUND, 'TM-02');
}

export const withStep = (active: ActiveState, step: StepState, extra?: Partial<ActiveState>): ActiveState => ({
  ...active,
  ...extra,
  step,
});
