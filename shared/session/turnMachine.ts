import { ErrorCode } from '../protocol/errors';
import type { PartnerSeat } from '../protocol/identity';
import { COMMAND_RULES, isCounsellorCommand, isPartnerCommand, type CounsellorCommand, type PartnerCommand, type SharedCommand } from './commandRules';
import { addEntry, proposeAgreement, ready } from './entrySteps';
import { advance, grantFloor, lastMoveOf, skipOrRepeat, withLastMove } from './moderation';
import { assertNever, byOf, refuse, type Outcome, type Refusal } from './outcomes';
import { accept, cancelProposal, choosePack, decline, propose } from './proposal';
import { endSession, keepRecord } from './sessionEnd';
import { confirm, empathise, notQuite, passFloor, passToReflect, reflect, speak, validate } from './speakerListener';
import { holdStep, nextStep, withoutStaleAsk } from './stepFlow';
import { back, pause, repair, resume } from './timeOut';
import {
  PAUSE_MAX_MINUTES,
  PAUSE_MIN_MINUTES,
  REPAIR_PHRASE_IDS,
  SessionMode,
  SUGGESTED_TIME_MAX,
  TEXT_MAX,
  UNTIL_LABEL_MAX,
  ID_MAX,
  type Actor,
  type Command,
  type IdleState,
  type SessionState,
  type TurnContext,
  type TurnResult,
} from './types';

/**
 * The guided-session turn machine: a pure function from (state, command, context) to a new
 * state and the events to broadcast, or a named refusal. No clock and no randomness in here:
 * time comes in as ctx.now and ids come in with the commands, so the server can replay it and
 * two nodes agree. This file checks who sends the command, its payload and the time-out, then
 * hands it to the file of its phase.
 */

export const initialSessionState = (now = 0): IdleState => ({ phase: 'idle', version: 0, updatedAt: now });

/**
 * Applies one command. On success the new state's version is exactly one more than the old
 * one and updatedAt is ctx.now (TM-34); on refusal nothing changes and the rule is named.
 */
export function applyCommand(state: SessionState, command: Command, ctx: TurnContext): TurnResult {
  const sent = bySender(command, ctx.actor);
  if (sent.ok === false) return sent;
  const invalid = checkPayload(command);
  if (invalid) return invalid;
  if (state.phase === 'paused' && !COMMAND_RULES[command.type].whilePaused) {
    return refuse(ErrorCode.SESSION_PAUSED, 'TM-29');
  }
  const outcome = run(state, sent, ctx);
  if (!outcome.ok) return outcome;
  const next = withLastMove(withoutStaleAsk(state, outcome.state), state, lastMoveOf(state, command, ctx.actor, outcome.events, ctx.now));
  return {
    ok: true,
    state: { ...next, version: state.version + 1, updatedAt: ctx.now },
    events: outcome.events,
  };
}

/** A command with the sender its row in COMMAND_RULES allows. */
type Sent =
  | { ok: true; sender: 'partner'; seat: PartnerSeat; command: PartnerCommand }
  | { ok: true; sender: 'counsellor'; command: CounsellorCommand }
  | { ok: true; sender: 'anyone'; actor: Actor; command: SharedCommand };

function bySender(command: Command, actor: Actor): Sent | Refusal {
  if (isPartnerCommand(command)) {
    return actor.role === 'partner'
      ? { ok: true, sender: 'partner', seat: actor.seat, command }
      : refuse(ErrorCode.FORBIDDEN, 'TM-07');
  }
  if (isCounsellorCommand(command)) {
    return actor.role === 'counsellor' ? { ok: true, sender: 'counsellor', command } : refuse(ErrorCode.FORBIDDEN, 'TM-24');
  }
  return { ok: true, sender: 'anyone', actor, command };
}

function run(state: SessionState, sent: Sent, ctx: TurnContext): Outcome {
  switch (sent.sender) {
    case 'partner':
      return partnerMove(state, sent.seat, sent.command, ctx);
    case 'counsellor':
      return counsellorMove(state, sent.command, ctx);
    case 'anyone':
      return sharedMove(state, sent.actor, sent.command, ctx);
    default:
      return assertNever(sent);
  }
}

function partnerMove(state: SessionState, seat: PartnerSeat, command: PartnerCommand, ctx: TurnContext): Outcome {
  const { now } = ctx;
  switch (command.type) {
    case 'accept':
      return accept(state, seat, ctx);
    case 'decline':
      return decline(state, seat, command.suggestedTime, now);
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
    case 'holdStep':
      return holdStep(state, seat);
    case 'back':
      return back(state, seat, now);
    case 'repair':
      return repair(state, seat, command.phrase);
    case 'keepRecord':
      return keepRecord(state, seat, command.keep);
    default:
      return assertNever(command);
  }
}

function counsellorMove(state: SessionState, command: CounsellorCommand, ctx: TurnContext): Outcome {
  switch (command.type) {
    case 'grantFloor':
      return grantFloor(state, command.seat, ctx.now);
    case 'skipStep':
      return skipOrRepeat(state, ctx, 'skip');
    case 'repeatStep':
      return skipOrRepeat(state, ctx, 'repeat');
    case 'advance':
      return advance(state, ctx);
    case 'choosePack':
      return choosePack(state, command.packId, command.mode, ctx);
    case 'resume':
      return resume(state, ctx.now);
    default:
      return assertNever(command);
  }
}

function sharedMove(state: SessionState, actor: Actor, command: SharedCommand, ctx: TurnContext): Outcome {
  const by = byOf(actor);
  switch (command.type) {
    case 'propose':
      return propose(state, command.packId, command.mode, by, ctx);
    case 'cancelProposal':
      return cancelProposal(state, by, ctx.now);
    case 'proposeAgreement':
      return proposeAgreement(state, by, command.id, command.text);
    case 'nextStep':
      return nextStep(state, actor, ctx);
    case 'pause':
      return pause(state, actor, command, ctx.now);
    case 'endSession':
      return endSession(state, by, command, ctx.now);
    default:
      return assertNever(command);
  }
}

// Payload checks (TM-13, TM-28, TM-31). The server also parses with sessionSchemas; these keep
// the machine safe on its own, for callers that build commands without parsing them.

function badText(text: string | undefined): boolean {
  return text !== undefined && (text.trim().length === 0 || text.length > TEXT_MAX);
}
function badId(id: string): boolean {
  return id.trim().length === 0 || id.length > ID_MAX;
}
const badPayload = (rule: 'TM-13' | 'TM-28' | 'TM-31'): Refusal => refuse(ErrorCode.INVALID_PAYLOAD, rule);

function checkPayload(command: Command): Refusal | null {
  switch (command.type) {
    case 'speak':
    case 'reflect':
    case 'validate':
    case 'empathise':
      return badText(command.text) ? badPayload('TM-13') : null;
    case 'addEntry':
    case 'proposeAgreement':
      return badText(command.text) || badId(command.id) ? badPayload('TM-13') : null;
    case 'decline':
      return command.suggestedTime !== undefined && command.suggestedTime.length > SUGGESTED_TIME_MAX
        ? badPayload('TM-13')
        : null;
    case 'pause': {
      const m = command.minutes;
      if (m !== undefined && (!Number.isInteger(m) || m < PAUSE_MIN_MINUTES || m > PAUSE_MAX_MINUTES)) return badPayload('TM-28');
      if (command.untilLabel !== undefined && command.untilLabel.length > UNTIL_LABEL_MAX) return badPayload('TM-28');
      return null;
    }
    case 'repair':
      return REPAIR_PHRASE_IDS.includes(command.phrase) ? null : badPayload('TM-31');
    case 'propose':
    case 'choosePack':
      return command.mode === undefined || command.mode === SessionMode.Aloud || command.mode === SessionMode.Write
        ? null
        : badPayload('TM-13');
    case 'notQuite':
      return command.backTo === 'reflect' || command.backTo === 'speak' ? null : badPayload('TM-13');
    case 'grantFloor':
      return command.seat === 'A' || command.seat === 'B' ? null : badPayload('TM-13');
    default:
      return null;
  }
}
