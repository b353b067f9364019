import type * as Y from 'yjs';
import { AppError } from '../protocol/errors';
import type {
  AcceptanceRecord,
  AgreementRecordsView,
  Commitment,
  EndedCommitment,
  Provenance,
  ReviewRequest,
  VersionRecord,
  VersionSummary,
} from '../protocol/agreements';
import { PARTNER_SEATS, type PartnerSeat, type SeatId } from '../protocol/identity';
import type { AgreementCategory } from './categories';
import { contentHash } from './hash';
import { readDrafts, type Draft } from './model';
import { isReviewDue } from './reviews';

/**
 * The rules of the agreements record, as pure functions over AgreementRecordsView. The server
 * calls them with the seat of the socket, the time of its clock and the words of its own copy
 * of the document; nothing here trusts a client. Each returns a new view and leaves the one it
 * was given as it was. Rule ids ([AR…]) are cited by the tests and docs/protocol.md.
 *
 * [AR1] Only partners accept or withdraw. An acceptance is the seat's own, of the words the
 *       server holds at that moment (their contentHash); accepting again replaces one's own.
 * [AR2] When both partners' current acceptances of an agreement carry the same hash, they become
 *       a commitment: the words as they were, both dates. The two acceptances are then dropped.
 *       A commitment is never changed; an older commitment of the same agreement moves to the
 *       history as `replaced`.
 * [AR3] Withdrawing takes back one's own pending acceptance first; without one, for an
 *       agreement in force, it asks to withdraw the commitment, which ends (history,
 *       `withdrawn`) once both partners have asked. Nothing of one's own to take back is
 *       NOTHING_TO_WITHDRAW. Accepting takes back one's own request to withdraw (and, for the
 *       words in force, does only that: no pending acceptance is left behind).
 * [AR4] Who proposed a draft and when is written once and never replaced.
 * [AR5] One review request per agreement, by anyone seated; asking again replaces it, clearing
 *       removes it, and it is settled (removed) when a commitment is made with both acceptances
 *       given after it.
 * [AR6] At most VERSIONS_KEPT saved versions, holding at most VERSION_CHARS_KEPT characters of
 *       JSON together (the newest is always kept), and HISTORY_KEPT ended commitments are
 *       kept; the oldest go first. The record holds each version's summary; its snapshot is
 *       stored apart, so the record stays small whatever the versions hold.
 * [AR7] An agreement exists while its draft is in the document or a commitment of it is in
 *       force; any other id is AGREEMENT_NOT_FOUND.
 */

export const VERSIONS_KEPT = 50;
export const HISTORY_KEPT = 200;
/** what a room's saved snapshots may hold together (stored apart from the record, fetched one at a time) */
export const VERSION_CHARS_KEPT = 4_000_000;

export function emptyRecords(): AgreementRecordsView {
  return { acceptances: [], commitments: [], history: [], provenance: [], reviews: [], withdrawals: [], versions: [] };
}

export interface AcceptInput {
  agreementId: string;
  seat: SeatId;
  /** the server's copy of the draft now; null if the document has no such draft */
  draft: Draft | null;
  now: number;
  /** id for a commitment this acceptance may make */
  commitmentId: string;
}

export interface AcceptResult {
  records: AgreementRecordsView;
  acceptance: AcceptanceRecord;
  commitment: Commitment | null;
}

export function acceptAgreement(records: AgreementRecordsView, input: AcceptInput): AcceptResult {
  const seat = requirePartner(input.seat, 'Accepting an agreement is for the two partners. A counsellor can help them talk it through.');
  const draft = input.draft;
  if (!draft || draft.id !== input.agreementId) throw new AppError('AGREEMENT_NOT_FOUND');
  const hash = contentHash(draft);
  const acceptance: AcceptanceRecord = { agreementId: draft.id, seat, hash, at: input.now };
  const others = records.acceptances.filter((a) => !(a.agreementId === draft.id && a.seat === seat));
  const withdrawals = records.withdrawals.filter((w) => !(w.agreementId === draft.id && w.seat === seat));
  // Accepting the words in force after asking to end them takes the request back, and only that:
  // no pending acceptance is left that a later withdrawal would have to take back first.
  const asked = withdrawals.length !== records.withdrawals.length;
  if (asked && records.commitments.some((c) => c.agreementId === draft.id && c.hash === hash)) {
    return { records: { ...records, acceptances: others, withdrawals }, acceptance, commitment: null };
  }
  const partner = others.find((a) => a.agreementId === draft.id && a.seat === otherPartner(seat));
  if (!partner || partner.hash !== hash) {
    return { records: { ...records, acceptances: [...others, acceptance], withdrawals }, acceptance, commitment: null };
  }

  const acceptedAt = { [seat]: input.now, [partner.seat]: partner.at } as Record<PartnerSeat, number>;
  const commitment: Commitment = {
    id: input.commitmentId,
    agreementId: draft.id,
    title: draft.title,
    body: draft.body,
    category: draft.category,
    hash,
    acceptedAt,
    agreedAt: input.now,
  };
  const previous = records.commitments.find((c) => c.agreementId === draft.id);
  const history = previous
    ? capOldestFirst([...records.history, { ...previous, endedAt: input.now, endedBy: 'replaced' as const }], HISTORY_KEPT)
    : records.history;
  return {
    records: {
      ...records,
      acceptances: others.filter((a) => a.agreementId !== draft.id),
      commitments: [...records.commitments.filter((c) => c.agreementId !== draft.id), commitment],
      history,
      reviews: records.reviews.filter((r) => !(r.agreementId === draft.id && acceptedAt.A > r.at && acceptedAt.B > r.at)),
      withdrawals: withdrawals.filter((w) => w.agreementId !== draft.id),
    },
    acceptance,
    commitment,
  };
}

export interface WithdrawInput {
  agreementId: string;
  seat: SeatId;
  /** whether the server's copy of the document has a draft with this id */
  draftExists: boolean;
  now: number;
}

export interface WithdrawResult {
  records: AgreementRecordsView;
  /** true when this withdrawal ended the commitment in force */
  ended: boolean;
}

export function withdrawAgreement(records: AgreementRecordsView, input: WithdrawInput): WithdrawResult {
  const seat = requirePartner(input.seat, 'Withdrawing an agreement is for the two partners.');
  const id = input.agreementId;
  requireExists(records, id, input.draftExists);
  const own = records.acceptances.find((a) => a.agreementId === id && a.seat === seat);
  if (own) {
    return { records: { ...records, acceptances: records.acceptances.filter((a) => a !== own) }, ended: false };
  }
  const commitment = records.commitments.find((c) => c.agreementId === id);
  if (!commitment || records.withdrawals.some((w) => w.agreementId === id && w.seat === seat)) {
    throw new AppError('NOTHING_TO_WITHDRAW');
  }
  const withdrawals = [...records.withdrawals, { agreementId: id, seat, at: input.now }];
  const asked = PARTNER_SEATS.every((p) => withdrawals.some((w) => w.agreementId === id && w.seat === p));
  if (!asked) return { records: { ...records, withdrawals }, ended: false };
  const ended: EndedCommitment = { ...commitment, endedAt: input.now, endedBy: 'withdrawn' };
  return {
    records: {
      ...records,
      commitments: records.commitments.filter((c) => c !== commitment),
      history: capOldestFirst([...records.history, ended], HISTORY_KEPT),
      withdrawals: withdrawals.filter((w) => w.agreementId !== id),
    },
    ended: true,
  };
}

export function recordProvenance(records: AgreementRecordsView, provenance: Provenance): AgreementRecordsView {
  if (records.provenance.some((p) => p.agreementId === provenance.agreementId)) return records;
  return { ...records, provenance: [...records.provenance, provenance] };
}

export interface ReviewInput {
  agreementId: string;
  seat: SeatId;
  draftExists: boolean;
  now: number;
}

export function requestReview(records: AgreementRecordsView, input: ReviewInput): AgreementRecordsView {
  requireExists(records, input.agreementId, input.draftExists);
  const request: ReviewRequest = { agreementId: input.agreementId, seat: input.seat, at: input.now };
  return { ...records, reviews: [...records.reviews.filter((r) => r.agreementId !== input.agreementId), request] };
}

/** Clearing a request nobody made changes nothing: two devices may clear it at the same moment. */
export function clearReview(records: AgreementRecordsView, input: Omit<ReviewInput, 'seat' | 'now'>): AgreementRecordsView {
  requireExists(records, input.agreementId, input.draftExists);
  if (!records.reviews.some((r) => r.agreementId === input.agreementId)) return records;
  return { ...records, reviews: records.reviews.filter((r) => r.agreementId !== input.agreementId) };
}

export interface VersionInput {
  id: string;
  name: string;
  at: number;
  by: { seat: SeatId; name: string };
  /** the server's copy of the drafts at that moment */
  drafts: readonly Draft[];
}

/** The snapshot of a version: every draft, with the commitment in force for it then. */
export function snapshotVersion(records: AgreementRecordsView, input: VersionInput): VersionRecord {
  return {
    id: input.id,
    name: input.name,
    at: input.at,
    by: { seat: input.by.seat, name: input.by.name },
    agreements: input.drafts.map((draft) => ({
      id: draft.id,
      title: draft.title,
      body: draft.body,
      category: draft.category,
      reviewOn: draft.reviewOn,
      commitment: records.commitments.find((c) => c.agreementId === draft.id) ?? null,
    })),
  };
}

/** What the record keeps of a version: its snapshot is stored apart (Storage.agreementVersions). */
export function summaryOf(version: VersionRecord): VersionSummary {
  return { id: version.id, name: version.name, at: version.at, by: version.by, count: version.agreements.length, chars: JSON.stringify(version).length };
}

export interface AddVersionResult {
  records: AgreementRecordsView;
  /** ids of the older versions no longer kept, whose snapshots the caller deletes */
  dropped: string[];
}

/** Adds a version's summary, keeping the newest within [AR6]'s caps (by the summaries' `chars`). */
export function addVersion(records: AgreementRecordsView, summary: VersionSummary): AddVersionResult {
  const kept: VersionSummary[] = [];
  const dropped: string[] = [];
  let chars = 0;
  for (const candidate of [...records.versions.filter((v) => v.id !== summary.id), summary].reverse()) {
    chars += candidate.chars;
    if (kept.length > 0 && (kept.length >= VERSIONS_KEPT || chars > VERSION_CHARS_KEPT)) dropped.push(candidate.id);
    else kept.push(candidate);
  }
  return { records: { ...records, versions: kept.reverse() }, dropped };
}

// ---------------------------------------------------------------------------------------------
// The view the app reads: each draft joined with its records.

export const AGREEMENT_STATES = ['draft', 'agreed-by-A', 'agreed-by-B', 'agreed', 'changed-since-agreed'] as const;
export type AgreementState = (typeof AGREEMENT_STATES)[number];

export const statusLabels: Record<AgreementState, string> = {
  draft: 'Proposed, not agreed yet',
  'agreed-by-A': 'Agreed by partner A, waiting for partner B',
  'agreed-by-B': 'Agreed by partner B, waiting for partner A',
  agreed: 'Agreed by both',
  'changed-since-agreed': 'Changed since you both agreed',
};

export interface AgreementView {
  id: string;
  /** the draft's words now; for a draft that was deleted, the commitment's */
  title: string;
  body: string;
  category: AgreementCategory;
  reviewOn: string | null;
  /** contentHash of the words above */
  hash: string;
  /** false when the draft is gone from the document and only its commitment remains */
  inDocument: boolean;
  proposedBy: { seat: SeatId; name: string } | null;
  proposedAt: number | null;
  /** the guided session the draft was proposed in, if it was */
  fromSession: { startedAt: number } | null;
  /**
   * `agreed`: the commitment in force holds these words. `changed-since-agreed`: a commitment is
   * in force but the draft's words differ from it. Otherwise by the acceptances of these words.
   */
  state: AgreementState;
  commitment: Commitment | null;
  /** the draft differs from the commitment in force ("changed since you both agreed") */
  changedSinceAgreed: boolean;
  /** per partner: stands behind the words as they are now (commitment or pending acceptance) */
  acceptedCurrent: Record<PartnerSeat, boolean>;
  /** per partner: their pending acceptance, current or not */
  acceptance: Record<PartnerSeat, AcceptanceRecord | null>;
  /** per partner: has asked to withdraw the commitment in force */
  withdrawalRequested: Record<PartnerSeat, boolean>;
  /** the open review request, if any (settled requests are removed from the record) */
  reviewRequest: ReviewRequest | null;
  /** its review date is today or past */
  reviewDue: boolean;
  /** commitments of this agreement no longer in force, oldest first */
  history: EndedCommitment[];
}

/**
 * Each draft in document order joined with the records, then the agreements whose draft was
 * deleted but whose commitment is in force (in the order they were agreed). `today` is
 * YYYY-MM-DD in the viewer's zone.
 */
export function agreementViews(drafts: readonly Draft[], records: AgreementRecordsView, today: string): AgreementView[] {
  const views = drafts.map((draft) => joinView(draft, true, records, today));
  const inDocument = new Set(drafts.map((d) => d.id));
  for (const commitment of records.commitments) {
    if (inDocument.has(commitment.agreementId)) continue;
    const words: Draft = { id: commitment.agreementId, title: commitment.title, body: commitment.body, category: commitment.category, reviewOn: null };
    views.push(joinView(words, false, records, today));
  }
  return views;
}

function joinView(draft: Draft, inDocument: boolean, records: AgreementRecordsView, today: string): AgreementView {
  const hash = contentHash(draft);
  const commitment = records.commitments.find((c) => c.agreementId === draft.id) ?? null;
  const acceptance = {
    A: records.acceptances.find((a) => a.agreementId === draft.id && a.seat === 'A') ?? null,
    B: records.acceptances.find((a) => a.agreementId === draft.id && a.seat === 'B') ?? null,
  };
  const committed = commitment !== null && commitment.hash === hash;
  const acceptedCurrent = {
    A: committed || acceptance.A?.hash === hash,
    B: committed || acceptance.B?.hash === hash,
  };
  let state: AgreementState;
  if (committed) state = 'agreed';
  else if (commitment) state = 'changed-since-agreed';
  else if (acceptedCurrent.A) state = 'agreed-by-A';
  else if (acceptedCurrent.B) state = 'agreed-by-B';
  else state = 'draft';
  const provenance = records.provenance.find((p) => p.agreementId === draft.id) ?? null;
  const withdrawn = (seat: PartnerSeat) => records.withdrawals.some((w) => w.agreementId === draft.id && w.seat === seat);
  return {
    ...draft,
    hash,
    inDocument,
    proposedBy: provenance ? { seat: provenance.seat, name: provenance.name } : null,
    proposedAt: provenance?.at ?? null,
    fromSession: provenance?.session ?? null,
    state,
    commitment,
    changedSinceAgreed: commitment !== null && !committed,
    acceptedCurrent,
    acceptance,
    withdrawalRequested: { A: withdrawn('A'), B: withdrawn('B') },
    reviewRequest: records.reviews.find((r) => r.agreementId === draft.id) ?? null,
    reviewDue: isReviewDue(draft.reviewOn, today),
    history: records.history.filter((h) => h.agreementId === draft.id),
  };
}

function requirePartner(seat: SeatId, message: string): PartnerSeat {
  if (seat !== 'A' && seat !== 'B') throw new AppError('FORBIDDEN', message);
  return seat;
}

function otherPartner(seat: PartnerSeat): PartnerSeat {
  return seat === 'A' ? 'B' : 'A';
}

function requireExists(records: AgreementRecordsView, agreementId: string, draftExists: boolean): void {
  if (!draftExists && !records.commitments.some((c) => c.agreementId === agreementId)) {
    throw new AppError('AGREEMENT_NOT_FOUND');
  }
}

function capOldestFirst<T>(items: T[], cap: number): T[] {
  return items.length > cap ? items.slice(items.length - cap) : items;
}

/** The view of a document's drafts joined with the records (see agreementViews). */
export function readAgreements(doc: Y.Doc, records: AgreementRecordsView, today: string): AgreementView[] {
  return agreementViews(readDrafts(doc), records, today);
}
