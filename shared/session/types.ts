import type { ErrorCode } from '../protocol/errors';
import type { PartnerSeat, SeatId } from '../protocol/identity';
import type { Pack } from '../content/packSchema';
import type { RuleId } from './rules';
import type { EndReasonId, RepairPhraseId } from './sessionSchemas';

// Commands and their limits live with their schemas; this file re-exports them so that one
// import gives a reader the whole session vocabulary.
export {
  END_NOTE_MAX,
  END_REASON_IDS,
  EndReason,
  ID_MAX,
  PAUSE_DEFAULT_MINUTES,
  PAUSE_MAX_MINUTES,
  PAUSE_MIN_MINUTES,
  REPAIR_PHRASE_IDS,
  RepairPhrase,
  SUGGESTED_TIME_MAX,
  TEXT_MAX,
  UNTIL_LABEL_MAX,
  type Command,
  type CommandOf,
  type CommandType,
  type EndReasonId,
  type RepairPhraseId,
} from './sessionSchemas';

/**
 * Types of the guided-session turn machine. The state is a union keyed by `phase`; each phase
 * carries only its own fields, and a transition replaces the object.
 */

export function otherSeat(seat: PartnerSeat): PartnerSeat {
  return seat === 'A' ? 'B' : 'A';
}

export const SessionMode = { Aloud: 'aloud', Write: 'write' } as const;
export type SessionMode = (typeof SessionMode)[keyof typeof SessionMode];

/** Who sends a command: a partner in their seat, or the counsellor (who holds no seat of A or B). */
export type PartnerActor = { role: 'partner'; seat: PartnerSeat };
export type CounsellorActor = { role: 'counsellor' };
export type Actor = PartnerActor | CounsellorActor;
export const actorAt = (seat: SeatId): Actor => (seat === 'counsellor' ? { role: 'counsellor' } : { role: 'partner', seat });
/** Who did something, as recorded in state and events. */
export type By = PartnerSeat | 'counsellor';

/** Sub-phases of a speaker-listener step. The speaker holds the floor through all of them. */
export const Sub = {
  Speak: 'speak',
  Reflect: 'reflect',
  Check: 'check',
  Validate: 'validate',
  Empathise: 'empathise',
  /** Confirmed; only the speaker's passFloor is left (the optional sub-steps are done or skipped). */
  Pass: 'pass',
  /** Every round is done; the step waits for nextStep. */
  Complete: 'complete',
} as const;
export type Sub = (typeof Sub)[keyof typeof Sub];

export interface Entry {
  id: string;
  text: string;
  by: PartnerSeat;
}

export interface Proposal {
  id: string;
  text: string;
  by: By;
  stepId: string;
}

export type PerSeat<T> = { A: T; B: T };

interface SpeakerListenerBase {
  kind: 'speaker-listener';
  rounds: 1 | 2;
  round: 1 | 2;
  offerValidate: boolean;
  offerEmpathise: boolean;
  /** The one seat holding the floor. There is never a second speaker. */
  speaker: PartnerSeat;
  subStartedAt: number;
  /** What the speaker typed this turn (write mode). */
  said: string[];
}

/**
 * The sub-phase of a speaker-listener turn, keyed by `sub`. Each sub says which of the
 * listener's words can exist yet: a reflection from CHECK on, a validation from EMPATHISE on,
 * empathy from PASS on. Before that the field is `null` and nothing else; after it, `null`
 * means it was said aloud, offered but skipped, or advanced past by the counsellor. Every key
 * is present in every sub, so the snapshot keeps one JSON shape.
 */
export type SpeakerListenerTurn =
  | { sub: typeof Sub.Speak | typeof Sub.Reflect; reflection: null; validation: null; empathy: null }
  | { sub: typeof Sub.Check | typeof Sub.Validate; reflection: string | null; validation: null; empathy: null }
  | { sub: typeof Sub.Empathise; reflection: string | null; validation: string | null; empathy: null }
  | {
      sub: typeof Sub.Pass | typeof Sub.Complete;
      reflection: string | null;
      validation: string | null;
      empathy: string | null;
    };

export type SpeakerListenerStepState = SpeakerListenerBase & SpeakerListenerTurn;

export interface SimpleStepState {
  kind: 'open' | 'appreciation';
  /** Whose turn it is to add an entry; saying "ready" also hands the turn over. */
  turn: PartnerSeat;
  entries: Entry[];
  ready: PerSeat<boolean>;
}

export interface AgreementStepState {
  kind: 'agreement';
  ready: PerSeat<boolean>;
}

export interface BreakStepState {
  kind: 'break';
}

export type StepState = SpeakerListenerStepState | SimpleStepState | AgreementStepState | BreakStepState;

/** What a moderation line can say happened (TM-42). */
export const MoveKind = {
  Paused: 'paused',
  Resumed: 'resumed',
  FloorGranted: 'floorGranted',
  Advanced: 'advanced',
  SkippedStep: 'skippedStep',
  RepeatedStep: 'repeatedStep',
  MovedOn: 'movedOn',
  MovedOnTogether: 'movedOnTogether',
  Ended: 'ended',
} as const;
export type MoveKind = (typeof MoveKind)[keyof typeof MoveKind];

/** What a counsellor's "one notch on" moved past: a sub-phase, both partners' "ready", or the whole step. */
export type Notch = Sub | 'ready' | 'step';

/**
 * The last move the partners are told about in one line (TM-42): who, what, when. Only the
 * counsellor's moves and a next step both partners agreed to are kept; a partner's own time-out
 * is never one, so it cannot name who called it.
 */
export interface LastMove {
  by: By;
  kind: MoveKind;
  at: number;
  /** floorGranted: who has the floor now; advanced: whose move the counsellor stood in for. */
  seat?: PartnerSeat;
  /** advanced: the notch it moved past. */
  notch?: Notch;
  /** The step the move left or restarted (skips, repeats, next steps), by index. */
  stepIndex?: number;
}

interface Versioned {
  version: number;
  updatedAt: number;
  /** Absent until a move worth a line happened, and again after a partner's next turn move. */
  lastMove?: LastMove;
}

export interface Declined {
  by: PartnerSeat;
  suggestedTime?: string;
  at: number;
}

export interface IdleState extends Versioned {
  phase: 'idle';
  declined?: Declined;
}

export interface ProposedState extends Versioned {
  phase: 'proposed';
  packId: string;
  mode: SessionMode;
  proposedBy: By;
  proposedAt: number;
  accepted: PerSeat<boolean>;
}

export interface SessionRecord {
  /** Step indexes finished together (not skipped), each once. */
  doneSteps: number[];
  /** Reflections the speaker confirmed, counted for the partner who reflected. */
  reflectionsConfirmed: PerSeat<number>;
  proposals: Proposal[];
  keepRecord: PerSeat<boolean | null>;
  /** The confirmed reflections so far (absent in a record stored before they were kept). */
  heard?: HeardReflection[];
}

export interface ActiveState extends Versioned {
  phase: 'active';
  packId: string;
  mode: SessionMode;
  proposedBy: By;
  startedAt: number;
  stepIndex: number;
  stepId: string;
  stepCount: number;
  stepStartedAt: number;
  step: StepState;
  record: SessionRecord;
  /** A partner's request to move on from this complete step, waiting for the other (TM-39). */
  nextAskedBy?: PartnerSeat;
  /**
   * The time-outs taken since this step started, from the call to the resume (TM-30), so "time
   * in this step" and "speaking for" leave them out (breakTime.ts). Absent before the first.
   */
  breaks?: BreakSpan[];
}

/** One time-out, on the server's clock. */
export interface BreakSpan {
  from: number;
  to: number;
}

export interface PauseInfo {
  /** Who called it: every seat is told, so each break screen can say whose break it is. */
  by: By;
  at: number;
  until: number;
  /** The wall-clock label the caller's device showed ("14:30"); the machine knows no time zone. */
  untilLabel?: string;
  back: PerSeat<boolean>;
}

/** A time-out over a proposed or active session; `resumeTo` is restored exactly on resume. */
export interface PausedState extends Versioned {
  phase: 'paused';
  pause: PauseInfo;
  resumeTo: ProposedState | ActiveState;
}

export interface SessionSummary {
  packId: string;
  mode: SessionMode;
  startedAt: number;
  endedAt: number;
  endedBy: By | 'finished';
  stepCount: number;
  stepsDone: number;
  doneStepIndexes: number[];
  reflectionsConfirmed: PerSeat<number>;
  proposals: Proposal[];
  keepRecord: PerSeat<boolean | null>;
  /** True only when both partners chose to keep the written record. */
  recordKept: boolean;
  /** Ended by someone before the last step was done (TM-43). */
  endedEarly?: boolean;
  /** Why, when its ender said so (TM-44): one of EndReason, and a few words of their own. */
  endReason?: EndReasonId;
  endNote?: string;
  /** The reflections the speaker confirmed, in order: what was heard (TM-43). Absent for sessions ended before it was kept. */
  heard?: HeardReflection[];
}

/** One reflection the speaker confirmed as right. `text` is null when it was said aloud. */
export interface HeardReflection {
  stepIndex: number;
  speaker: PartnerSeat;
  listener: PartnerSeat;
  text: string | null;
}

export interface EndedState extends Versioned {
  phase: 'ended';
  summary: SessionSummary;
}

export type SessionState = IdleState | ProposedState | ActiveState | PausedState | EndedState;
export type SessionPhase = SessionState['phase'];

/** The running session, also while a time-out lies over it. */
export function activeOf(state: SessionState): ActiveState | null {
  if (state.phase === 'active') return state;
  if (state.phase === 'paused' && state.resumeTo.phase === 'active') return state.resumeTo;
  return null;
}

export type SessionEvent =
  | { type: 'sessionProposed'; packId: string; mode: SessionMode; by: By }
  | { type: 'proposalAccepted'; by: PartnerSeat }
  | { type: 'sessionDeclined'; by: PartnerSeat; suggestedTime?: string }
  | { type: 'proposalCancelled'; by: By }
  | { type: 'sessionStarted'; packId: string; mode: SessionMode; at: number }
  | { type: 'spoke'; seat: PartnerSeat; text: string }
  | { type: 'reflectionRequested'; speaker: PartnerSeat; listener: PartnerSeat }
  | { type: 'reflected'; seat: PartnerSeat; text: string | null }
  | { type: 'reflectionConfirmed'; speaker: PartnerSeat; listener: PartnerSeat }
  | { type: 'notQuite'; seat: PartnerSeat; backTo: 'reflect' | 'speak' }
  | { type: 'validated'; seat: PartnerSeat; text: string | null }
  | { type: 'empathised'; seat: PartnerSeat; text: string | null }
  | { type: 'floorPassed'; from: PartnerSeat; to: PartnerSeat; round: 1 | 2 }
  | { type: 'floorGranted'; seat: PartnerSeat }
  | { type: 'entryAdded'; entry: Entry; stepId: string }
  | { type: 'partnerReady'; seat: PartnerSeat }
  | { type: 'agreementProposed'; proposal: Proposal }
  | { type: 'stepCompleted'; stepIndex: number }
  | { type: 'stepChanged'; stepIndex: number; stepId: string; reason: 'next' | 'skip' | 'repeat' }
  | { type: 'advanced'; by: 'counsellor' }
  | { type: 'nextStepAsked'; by: PartnerSeat }
  /** The asker took the request back (`by` is `askedBy`), or the other partner said "not yet". */
  | { type: 'nextStepHeld'; by: PartnerSeat; askedBy: PartnerSeat }
  /** No `by` and no reason: the other partner only sees when the break ends. */
  | { type: 'paused'; until: number; untilLabel?: string }
  | { type: 'partnerBack'; seat: PartnerSeat }
  | { type: 'resumed'; by: 'partners' | 'counsellor' }
  | { type: 'repair'; seat: PartnerSeat; phrase: RepairPhraseId; text: string }
  | { type: 'recordChoice'; seat: PartnerSeat; keep: boolean }
  | { type: 'sessionEnded'; summary: SessionSummary };

export interface TurnContext {
  now: number;
  actor: Actor;
  /** The pack of the session, or of the proposal this command makes. */
  pack: Pack | undefined;
  names?: Partial<Record<PartnerSeat, string>>;
}

export type TurnResult =
  | { ok: true; state: SessionState; events: SessionEvent[] }
  | { ok: false; code: ErrorCode; rule: RuleId };
