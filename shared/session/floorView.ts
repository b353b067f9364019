import type { Pack } from '../content/packSchema';
import type { PartnerSeat } from '../protocol/identity';
import { COMMAND_TYPES } from './commandRules';
import { isStepComplete, resolveStarter } from './stepFlow';
import { applyCommand } from './turnMachine';
import {
  SessionMode,
  Sub,
  activeOf,
  actorAt,
  otherSeat,
  type Command,
  type CommandType,
  type SessionPhase,
  type SessionState,
  type StepState,
} from './types';

/** What the UI needs to say "whose turn is it, and what may I do now?". */
export interface FloorView {
  phase: SessionPhase;
  /** Set during a time-out; carries no reason and, on purpose, not who called it. */
  pausedUntil: { until: number; untilLabel?: string } | null;
  stepKind: StepState['kind'] | null;
  sub: Sub | null;
  /** The partner holding the floor in a speaker-listener step (null when the step is complete). */
  floor: PartnerSeat | null;
  /** The partner whose move it is now, if any one partner's. */
  turn: PartnerSeat | null;
  youHoldFloor: boolean;
  yourTurn: boolean;
  /** Command types this person could send now and have accepted. */
  allowed: CommandType[];
}

const PROBE_ID = '__probe__';

function probes(type: CommandType, state: SessionState, pack: Pack | undefined): Command[] {
  const packId = pack?.id ?? (state.phase === 'proposed' || state.phase === 'active' ? state.packId : '');
  switch (type) {
    case 'propose':
      return [{ type, packId, mode: SessionMode.Aloud }];
    case 'choosePack':
      return [{ type, packId }];
    case 'decline':
      return [{ type }];
    case 'speak':
      return [{ type, text: '…' }];
    case 'reflect':
    case 'validate':
    case 'empathise':
      return [{ type, text: '…' }];
    case 'notQuite':
      return [{ type, backTo: 'reflect' }];
    case 'addEntry':
    case 'proposeAgreement':
      return [{ type, id: PROBE_ID, text: '…' }];
    case 'grantFloor':
      return [
        { type, seat: 'A' },
        { type, seat: 'B' },
      ];
    case 'pause':
      return [{ type }];
    case 'repair':
      return [{ type, phrase: 'moment' }];
    case 'keepRecord':
      return [{ type, keep: true }];
    case 'accept':
    case 'cancelProposal':
    case 'passToReflect':
    case 'confirm':
    case 'passFloor':
    case 'ready':
    case 'nextStep':
    case 'holdStep':
    case 'skipStep':
    case 'repeatStep':
    case 'advance':
    case 'resume':
    case 'back':
    case 'endSession':
      return [{ type }];
  }
}

/**
 * Who has the floor and what `who` may do now, found by trying each command against the
 * machine itself, so the buttons shown can never disagree with the rules.
 */
export function describeFloor(state: SessionState, who: PartnerSeat | 'counsellor', pack?: Pack): FloorView {
  const ctx = { now: state.updatedAt, actor: actorAt(who), pack };
  const allowed = COMMAND_TYPES.filter((type) =>
    probes(type, state, pack).some((command) => applyCommand(state, command, ctx).ok),
  );

  const active = activeOf(state);
  const step = active?.step ?? null;
  let floor: PartnerSeat | null = null;
  let turn: PartnerSeat | null = null;
  let sub: Sub | null = null;
  if (step?.kind === 'speaker-listener') {
    sub = step.sub;
    if (step.sub !== Sub.Complete) {
      floor = step.speaker;
      const listenerMoves: Sub[] = [Sub.Reflect, Sub.Validate, Sub.Empathise];
      turn = listenerMoves.includes(step.sub) ? otherSeat(step.speaker) : step.speaker;
    }
  } else if ((step?.kind === 'open' || step?.kind === 'appreciation') && !isStepComplete(step)) {
    turn = step.turn;
  }
  if (state.phase === 'paused') turn = null;

  return {
    phase: state.phase,
    pausedUntil:
      state.phase === 'paused'
        ? state.pause.untilLabel === undefined
          ? { until: state.pause.until }
          : { until: state.pause.until, untilLabel: state.pause.untilLabel }
        : null,
    stepKind: step?.kind ?? null,
    sub,
    floor,
    turn,
    youHoldFloor: floor !== null && floor === who,
    yourTurn: turn !== null && turn === who,
    allowed,
  };
}

export interface Progress {
  stepNumber: number;
  stepCount: number;
  stepId: string;
  stepStartedAt: number;
  /** Who will hold the floor next: the other partner in a two-round step, or the starter of the next speaker-listener step. */
  nextSpeaker: PartnerSeat | null;
}

export function progress(state: SessionState, pack: Pack): Progress | null {
  const active = activeOf(state);
  if (active === null) return null;
  const step = active.step;
  let nextSpeaker: PartnerSeat | null = null;
  if (step.kind === 'speaker-listener' && step.sub !== Sub.Complete && step.round < step.rounds) {
    nextSpeaker = otherSeat(step.speaker);
  } else {
    const upcoming = pack.steps.slice(active.stepIndex + 1).find((s) => s.kind === 'speaker-listener');
    if (upcoming?.kind === 'speaker-listener') nextSpeaker = resolveStarter(upcoming.whoStarts, active.proposedBy);
  }
  return {
    stepNumber: active.stepIndex + 1,
    stepCount: active.stepCount,
    stepId: active.stepId,
    stepStartedAt: active.stepStartedAt,
    nextSpeaker,
  };
}
