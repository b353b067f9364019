import type { Pack } from '../../shared/content/packSchema';
import { AppError, ErrorCode } from '../../shared/protocol/errors';
import type { PartnerSeat } from '../../shared/protocol/identity';
import type { Feeling, SessionAfterwards, TranscriptEntry } from '../../shared/protocol/sessions';
import type { RuleId } from '../../shared/session/rules';
import { applyCommand, initialSessionState } from '../../shared/session/turnMachine';
import {
  SessionMode,
  activeOf,
  type Actor,
  type By,
  type Command,
  type SessionEvent,
  type SessionState,
} from '../../shared/session/types';
import type { PackLibrary } from '../content/packLoader';
import type { Logger } from '../logger';
import type { RoomLogName, RoomLogStore, SessionLogName, TurnStore } from '../storage/types';
import type { Clock } from '../util/clock';
import { LRUCache } from 'lru-cache';

/** Rooms whose last session state is remembered, at most (the least recently used are forgotten). */
const MAX_REMEMBERED_ROOMS = 10_000;

/** A refusal by the turn machine: a named code for the person, and the rule for the logs. */
export class TurnRefusal extends AppError {
  constructor(
    code: ErrorCode,
    readonly rule: RuleId,
  ) {
    super(code);
    this.name = 'TurnRefusal';
  }
}

export interface SessionServiceDeps {
  turns: TurnStore;
  roomLogs: RoomLogStore;
  packs: PackLibrary;
  clock: Clock;
  log: Logger;
  /** compare-and-set attempts before giving up with VERSION_CONFLICT */
  maxAttempts?: number;
  /** told once a stored command ended a session (the check-ins count the sessions held) */
  onEnded?: (roomId: string, startedAt: number) => Promise<void>;
}

export interface Applied {
  previous: SessionState;
  state: SessionState;
  events: SessionEvent[];
  /** The session these transcript entries belong to (written sessions only). */
  sessionId: string | null;
  /** Typed turns appended to the transcript by this command (written sessions only). */
  appended: TranscriptEntry[];
}

/** Where one partner's answer at the end of one session is kept: a log of its own, read by nobody else. */
export const afterwardsLog = (sessionId: SessionLogName, seat: PartnerSeat): RoomLogName => `afterwards-${sessionId}-${seat}`;

/** One transcript per session of a room, named by when it started. */
export function sessionIdOf(state: SessionState): SessionLogName | null {
  const active = activeOf(state);
  if (active) return `s${active.startedAt}`;
  if (state.phase === 'ended') return `s${state.summary.startedAt}`;
  return null;
}

function modeOf(state: SessionState): SessionMode | null {
  const active = activeOf(state);
  if (active) return active.mode;
  return state.phase === 'ended' ? state.summary.mode : null;
}

/** The typed turns an accepted command produced, for the written record. */
function transcriptEntries(events: SessionEvent[], stepId: string, at: number): TranscriptEntry[] {
  const out: TranscriptEntry[] = [];
  const add = (by: By, kind: TranscriptEntry['kind'], text: string | null, step = stepId) => {
    if (text !== null) out.push({ at, by, kind, stepId: step, text });
  };
  for (const e of events) {
    switch (e.type) {
      // A speaker-listener turn's transcript kind is the name of its event.
      case 'spoke':
      case 'reflected':
      case 'validated':
      case 'empathised':
        add(e.seat, e.type, e.text);
        break;
      case 'entryAdded':
        add(e.entry.by, 'entry', e.entry.text, e.stepId);
        break;
      case 'agreementProposed':
        add(e.proposal.by, 'proposal', e.proposal.text, e.proposal.stepId);
        break;
      default:
        break;
    }
  }
  return out;
}

/**
 * Applies guided-session commands for a room. The stored snapshot is the only truth: each
 * command reads it, runs the pure machine on it with the injected clock, and stores the result
 * only if nobody stored another version in between (compare-and-set, atomic in every store and
 * across nodes sharing Redis). On a conflict it reads again and re-applies, so of two
 * simultaneous moves that cannot both happen exactly one is accepted and the other gets the
 * machine's named refusal against the new state.
 */
export class SessionService {
  readonly packs: PackLibrary;
  private readonly turns: TurnStore;
  private readonly roomLogs: RoomLogStore;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly maxAttempts: number;
  private readonly onEnded: SessionServiceDeps['onEnded'];
  /**
   * The last state this node read or stored per room, so that a command usually costs one
   * store round trip (the compare-and-set) instead of a read and a write. Only a hint: the
   * compare-and-set still decides, and a refusal is never given against it (see `apply`).
   */
  private readonly latest = new LRUCache<string, SessionState>({ max: MAX_REMEMBERED_ROOMS });

  constructor(deps: SessionServiceDeps) {
    this.turns = deps.turns;
    this.roomLogs = deps.roomLogs;
    this.packs = deps.packs;
    this.clock = deps.clock;
    this.log = deps.log;
    this.maxAttempts = deps.maxAttempts ?? 25;
    this.onEnded = deps.onEnded;
  }

  async get(roomId: string): Promise<SessionState> {
    const stored = await this.turns.get<SessionState>(roomId);
    const state = stored?.state ?? initialSessionState(0);
    this.latest.set(roomId, state);
    return state;
  }

  /** The pack a command needs: the one it proposes, or the session's own. */
  packFor(state: SessionState, command: Command): Pack | undefined {
    if (command.type === 'propose' || command.type === 'choosePack') return this.packs.get(command.packId);
    const target = state.phase === 'paused' ? state.resumeTo : state;
    if (target.phase === 'proposed' || target.phase === 'active') return this.packs.get(target.packId);
    if (target.phase === 'ended') return this.packs.get(target.summary.packId);
    return undefined;
  }

  async apply(roomId: string, actor: Actor, command: Command): Promise<Applied> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      // The remembered state on the first attempt; read from the store after a conflict or
      // before any refusal, since another node may have moved the session on meanwhile.
      const remembered = attempt === 1 ? this.latest.get(roomId) : undefined;
      const previous = remembered ?? (await this.get(roomId));
      const now = this.clock.now();
      const result = applyCommand(previous, command, { now, actor, pack: this.packFor(previous, command) });
      if (!result.ok) {
        if (remembered) continue;
        throw new TurnRefusal(result.code, result.rule);
      }
      const stored = await this.turns.compareAndSet<SessionState>(roomId, previous.version, {
        version: result.state.version,
        state: result.state,
      });
      if (!stored) {
        this.latest.delete(roomId);
        this.log.debug({ roomId, command: command.type, attempt }, 'session version conflict, retrying');
        continue;
      }
      this.latest.set(roomId, result.state);
      const { sessionId, appended } = await this.keepTranscript(roomId, previous, result.state, result.events, now);
      if (previous.phase !== 'ended' && result.state.phase === 'ended') await this.countEnded(roomId, result.state.summary.startedAt);
      return { previous, state: result.state, events: result.events, sessionId, appended };
    }
    throw new AppError(ErrorCode.VERSION_CONFLICT);
  }

  /**
   * A partner's private answer at the end of the last session: how they feel, and what they take
   * with them. Kept in a log of its own, sent back only to its writer; the latest answer counts.
   */
  async saveAfterwards(
    roomId: string,
    seat: PartnerSeat,
    input: { feeling: Feeling; words?: string | undefined; takeAway?: string | undefined },
  ): Promise<SessionAfterwards> {
    const state = await this.get(roomId);
    const sessionId = sessionIdOf(state);
    if (state.phase !== 'ended' || !sessionId) throw new AppError(ErrorCode.WRONG_PHASE);
    const afterwards: SessionAfterwards = {
      sessionId,
      feeling: input.feeling,
      words: input.words ? input.words : null,
      takeAway: input.takeAway ? input.takeAway : null,
      at: this.clock.now(),
    };
    await this.roomLogs.append(roomId, afterwardsLog(sessionId, seat), afterwards);
    this.log.info({ roomId, seat, hasWords: afterwards.words !== null, hasTakeAway: afterwards.takeAway !== null }, 'answer after a session kept');
    return afterwards;
  }

  /** This partner's own answer for the last session, or null. */
  async afterwardsOf(roomId: string, seat: PartnerSeat): Promise<SessionAfterwards | null> {
    const state = await this.get(roomId);
    const sessionId = sessionIdOf(state);
    if (state.phase !== 'ended' || !sessionId) return null;
    const kept = (await this.roomLogs.list(roomId, afterwardsLog(sessionId, seat))) as SessionAfterwards[];
    return kept.at(-1) ?? null;
  }

  /** The written record of the current or last session, while it exists. */
  async transcript(roomId: string, state: SessionState): Promise<{ sessionId: string; entries: TranscriptEntry[] } | null> {
    const sessionId = sessionIdOf(state);
    if (!sessionId || modeOf(state) !== SessionMode.Write) return null;
    if (state.phase === 'ended' && !state.summary.recordKept) return null;
    const entries = (await this.roomLogs.list(roomId, sessionId)) as TranscriptEntry[];
    return { sessionId, entries };
  }

  /** The session is stored as ended whatever happens here: a failure to count it is logged, not thrown. */
  private async countEnded(roomId: string, startedAt: number): Promise<void> {
    try {
      await this.onEnded?.(roomId, startedAt);
    } catch (err) {
      this.log.warn({ roomId, err: err instanceof Error ? err.message : 'unknown' }, 'ended session not counted');
    }
  }

  private async keepTranscript(
    roomId: string,
    previous: SessionState,
    next: SessionState,
    events: SessionEvent[],
    now: number,
  ): Promise<{ sessionId: string | null; appended: TranscriptEntry[] }> {
    const sessionId = sessionIdOf(next) ?? sessionIdOf(previous);
    if (!sessionId || (modeOf(next) ?? modeOf(previous)) !== SessionMode.Write) return { sessionId: null, appended: [] };
    const stepId = activeOf(previous)?.stepId ?? activeOf(next)?.stepId ?? '';
    const appended = transcriptEntries(events, stepId, now);
    for (const entry of appended) await this.roomLogs.append(roomId, sessionId, entry);
    const endedOrChosen = events.some((e) => e.type === 'sessionEnded' || e.type === 'recordChoice');
    if (next.phase === 'ended' && !next.summary.recordKept && endedOrChosen) {
      // Not both chose to keep it: the written turns are gone with the end of the session.
      await this.roomLogs.deleteLog(roomId, sessionId);
      this.log.info({ roomId, sessionId }, 'written session record deleted at the end');
    }
    return { sessionId, appended };
  }
}
