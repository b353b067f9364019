import { z } from 'zod';
import { commandSchema } from '../session/sessionSchemas';
import type { SessionEvent, SessionState } from '../session/types';
import type { PartnerSeat } from './identity';

/**
 * Guided sessions over Socket.IO. The server is the authority: a client sends one turn
 * command, the server applies it with the pure turn machine (shared/session), stores it with
 * compare-and-set, and sends each seat its own view (`snapshotFor`) of the new state.
 */

/** One turn-machine command, exactly as shared/session/sessionSchemas.ts parses it. */
export const sessionCommandSchema = commandSchema;
export const sessionSyncSchema = z.strictObject({}).optional();
export const sessionPacksSchema = z.strictObject({}).optional();
/** Which proposals of the finished session to write into the room's agreements document. */
export const sessionAddAgreementsSchema = z.strictObject({
  proposalIds: z.array(z.string().min(1).max(100)).min(1).max(50),
});

/**
 * How a partner feels after a session, 1 to 5, with the words the ending screen shows beside
 * each number.
 */
export const FEELING_WORDS = { 1: 'Heavy', 2: 'Uneasy', 3: 'Steady', 4: 'Lighter', 5: 'Closer' } as const;
export type Feeling = keyof typeof FEELING_WORDS;
export const AFTERWARDS_TEXT_MAX = 280;
const afterwardsText = z.string().trim().max(AFTERWARDS_TEXT_MAX).optional();
/** A partner's private answer at the end of a session: only its writer is ever sent it back. */
export const sessionAfterwardsSchema = z.strictObject({
  feeling: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
  words: afterwardsText,
  takeAway: afterwardsText,
});
export const sessionMyAfterwardsSchema = z.strictObject({}).optional();

export interface SessionAfterwards {
  /** The session it answers, `s<startedAt>`. */
  sessionId: string;
  feeling: Feeling;
  words: string | null;
  takeAway: string | null;
  at: number;
}

/** What one seat may see of the room's session, with the server's clock for countdowns. */
export interface SessionView {
  /** `snapshotFor(state, seat)`: the state as this seat may see it. */
  state: SessionState;
  /** The server's clock when this was sent; clients compute countdowns against it. */
  serverNow: number;
}

export const TRANSCRIPT_KINDS = ['spoke', 'reflected', 'validated', 'empathised', 'entry', 'proposal'] as const;
export type TranscriptKind = (typeof TRANSCRIPT_KINDS)[number];

/** One typed turn of a written session. Kept after the end only when both partners chose to keep it. */
export interface TranscriptEntry {
  at: number;
  by: PartnerSeat | 'counsellor';
  kind: TranscriptKind;
  stepId: string;
  text: string;
}

export interface SessionTranscript {
  /** `s<startedAt>`: one per session of a room. */
  sessionId: string;
  entries: TranscriptEntry[];
  /** true: these entries replace what the client holds; false: they follow it. */
  replace: boolean;
}

export interface SessionEventsMessage {
  /** The version the events led to. */
  version: number;
  events: SessionEvent[];
}

export interface SessionServerEvents {
  /** This seat's view of the session after every accepted command, and on joining. */
  'session:state': (view: SessionView) => void;
  /** What happened, for floor announcements and repair cards (no event names who called a time-out). */
  'session:events': (message: SessionEventsMessage) => void;
  /** Written sessions only: the typed turns, in order. */
  'session:transcript': (transcript: SessionTranscript) => void;
  /** Proposals from the finished session were written into the agreements document. */
  'session:agreementsAdded': (info: { proposalIds: string[]; by: PartnerSeat | 'counsellor' }) => void;
}
