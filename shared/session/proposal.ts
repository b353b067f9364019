import { ErrorCode } from '../protocol/errors';
import type { PartnerSeat } from '../protocol/identity';
import { done, isRefusal, refuse, requirePack, requireProposed, type Outcome } from './outcomes';
import { initStep } from './stepFlow';
import {
  SessionMode,
  type ActiveState,
  type By,
  type IdleState,
  type ProposedState,
  type SessionState,
  type TurnContext,
} from './types';

/** Proposing a session, answering it, and withdrawing it (TM-01 to TM-05, TM-37). */

export function propose(state: SessionState, packId: string, mode: SessionMode, by: By, ctx: TurnContext): Outcome {
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
    accepted: { A: by === 'A', B: by === 'B' },
  };
  return done(next, { type: 'sessionProposed', packId, mode, by });
}

/** TM-37: the counsellor's pack is a proposal like any other, in the mode asked or kept. */
export function choosePack(state: SessionState, packId: string, mode: SessionMode | undefined, ctx: TurnContext): Outcome {
  if (state.phase === 'active' || state.phase === 'paused') return refuse(ErrorCode.SESSION_ALREADY_ACTIVE, 'TM-37');
  const chosen = mode ?? (state.phase === 'proposed' ? state.mode : SessionMode.Aloud);
  return propose(state, packId, chosen, 'counsellor', ctx);
}

export function accept(state: SessionState, seat: PartnerSeat, ctx: TurnContext): Outcome {
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
      heard: [],
    },
  };
  return done(
    active,
    { type: 'proposalAccepted', by: seat },
    { type: 'sessionStarted', packId: active.packId, mode: active.mode, at: ctx.now },
    { type: 'stepChanged', stepIndex: 0, stepId: first.id, reason: 'next' },
  );
}

export function decline(state: SessionState, seat: PartnerSeat, suggestedTime: string | undefined, now: number): Outcome {
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

export function cancelProposal(state: SessionState, by: By, now: number): Outcome {
  const proposed = requireProposed(state);
  if (isRefusal(proposed)) return proposed;
  if (by !== 'counsellor' && by !== proposed.proposedBy) return refuse(ErrorCode.FORBIDDEN, 'TM-05');
  return done({ phase: 'idle', version: proposed.version, updatedAt: now }, { type: 'proposalCancelled', by });
}
