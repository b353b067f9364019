import { z } from 'zod';
import { AGREEMENT_CATEGORIES, type AgreementCategory } from '../agreements/categories';
import type { PartnerSeat, SeatId } from './identity';

/**
 * Agreements: drafts live in the shared Yjs document (anyone seated may edit them); the facts no
 * device may forge live outside it, as records the server writes on commands from the seat's
 * own device: acceptances, commitments, who proposed a draft and when, review requests and
 * saved versions. A client never sends a hash, a date or a seat: the server takes the seat from
 * the socket, the date from its clock and the hash from its own copy of the document.
 */

/** Agreement ids are the `id` field of a draft in the agreements document. */
export const agreementIdSchema = z.string().min(1).max(64);

export const agreementTitleSchema = z.string().trim().min(1, 'Please give the agreement a few words.').max(200);
export const agreementBodySchema = z.string().max(4000);
/** A calendar day, YYYY-MM-DD. */
export const reviewDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'A review date is a day: YYYY-MM-DD.');
export const versionNameSchema = z.string().trim().min(1).max(80);

export const agreementRefSchema = z.strictObject({ agreementId: agreementIdSchema });
export const agreementProposeSchema = z.strictObject({
  title: agreementTitleSchema,
  body: agreementBodySchema.optional(),
  category: z.enum(AGREEMENT_CATEGORIES),
  reviewOn: reviewDaySchema.nullable().optional(),
});
export const versionSaveSchema = z.strictObject({ name: versionNameSchema });
/** Version ids are the server's (a UUID), or kept from a room of the old layout. */
export const versionIdSchema = z.string().min(1).max(128);
export const versionGetSchema = z.strictObject({ versionId: versionIdSchema });

/** One partner's acceptance of a draft's words, as the server hashed them when it was given. */
export interface AcceptanceRecord {
  agreementId: string;
  seat: PartnerSeat;
  /** contentHash (shared/agreements/hash.ts) of the server's copy at that moment */
  hash: string;
  at: number;
}

/** The words both partners accepted, kept as they were. Never changed once written. */
export interface Commitment {
  /** unique per commitment; an agreement may have several over time (see `history`) */
  id: string;
  agreementId: string;
  title: string;
  body: string;
  category: AgreementCategory;
  hash: string;
  acceptedAt: Record<PartnerSeat, number>;
  /** when the second acceptance made it a commitment */
  agreedAt: number;
}

/** A commitment that is no longer in force, and why. */
export interface EndedCommitment extends Commitment {
  endedAt: number;
  /** `replaced`: both accepted new words; `withdrawn`: both withdrew it */
  endedBy: 'replaced' | 'withdrawn';
}

export interface Provenance {
  agreementId: string;
  seat: SeatId;
  /** the display name the seat had when it proposed */
  name: string;
  at: number;
  /** set when the draft is a proposal of a guided session: when that session started */
  session?: { startedAt: number };
}

export interface ReviewRequest {
  agreementId: string;
  seat: SeatId;
  at: number;
}

/** A partner asked to withdraw a commitment; it ends once both have. */
export interface WithdrawalRequest {
  agreementId: string;
  seat: PartnerSeat;
  at: number;
}

export interface VersionRecord {
  id: string;
  name: string;
  at: number;
  by: { seat: SeatId; name: string };
  /** the server's snapshot of every draft, with commitments, at that moment */
  agreements: Array<{
    id: string;
    title: string;
    body: string;
    category: AgreementCategory;
    reviewOn: string | null;
    /** the commitment in force for it then, if any */
    commitment: Commitment | null;
  }>;
}

/**
 * What the record says of a saved version. The snapshot itself is stored apart from the record
 * and fetched alone with `version:get`, so a change to an acceptance never reads, writes or
 * sends the versions.
 */
export interface VersionSummary {
  id: string;
  name: string;
  at: number;
  by: { seat: SeatId; name: string };
  /** how many drafts the snapshot holds */
  count: number;
  /** length of the snapshot's JSON: the room keeps at most VERSION_CHARS_KEPT of them together */
  chars: number;
}

/**
 * Everything the server keeps on the record for a room's agreements but the versions' snapshots:
 * sent whole on every change, small whatever the room saved.
 */
export interface AgreementRecordsView {
  /** current acceptances of drafts (an acceptance is dropped when it becomes a commitment's) */
  acceptances: AcceptanceRecord[];
  /** commitments in force, one per agreement at most */
  commitments: Commitment[];
  /** commitments replaced or withdrawn, oldest first */
  history: EndedCommitment[];
  provenance: Provenance[];
  reviews: ReviewRequest[];
  withdrawals: WithdrawalRequest[];
  /** saved versions, oldest first: summaries only (`version:get` returns one snapshot) */
  versions: VersionSummary[];
}

export const emptyRecordsSchema = z.strictObject({}).optional();

export interface AgreementServerEvents {
  /** Sent after `room:join` and to the whole room after every change to the records. */
  'agreements:records': (records: AgreementRecordsView) => void;
}
