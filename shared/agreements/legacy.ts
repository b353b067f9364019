import * as Y from 'yjs';
import type { AcceptanceRecord, AgreementRecordsView, Commitment, Provenance, ReviewRequest, VersionRecord } from '../protocol/agreements';
import { PARTNER_SEATS, type PartnerSeat, type SeatId } from '../protocol/identity';
import { isAgreementCategory } from './categories';
import { contentHash } from './hash';
import { agreementsArray, ISO_DAY, type Draft } from './model';
import { addVersion, emptyRecords, summaryOf } from './records';

/**
 * Agreements documents written before acceptances moved to the server's records kept, inside
 * each draft, `acceptances` (a Y.Map of seat -> { hash, at }), `proposedBy` ({ seat, name }),
 * `createdAt`, `revisitRequestedBy` and `revisitRequestedAt`, and at the root a `versions`
 * array of saved versions as plain JSON. The server converts them into records once, when it
 * first loads such a room, then removes them from the document. Nothing else reads them.
 */
export const LEGACY_DRAFT_KEYS = ['acceptances', 'proposedBy', 'createdAt', 'revisitRequestedBy', 'revisitRequestedAt'] as const;
export const LEGACY_VERSIONS_KEY = 'versions';

interface LegacyDraft {
  id: string;
  acceptances: Partial<Record<PartnerSeat, { hash: string; at: number }>>;
  proposedBy: { seat: SeatId; name: string } | null;
  createdAt: number | null;
  revisitRequestedBy: SeatId | null;
  revisitRequestedAt: number | null;
}

/** Whether the document still holds anything of the old layout. */
export function hasLegacyParts(doc: Y.Doc): boolean {
  if (doc.share.has(LEGACY_VERSIONS_KEY) && doc.getArray(LEGACY_VERSIONS_KEY).length > 0) return true;
  for (const item of agreementsArray(doc)) {
    if (item instanceof Y.Map && LEGACY_DRAFT_KEYS.some((key) => item.has(key))) return true;
  }
  return false;
}

/**
 * The records the old document's facts become. Acceptances of both partners whose hash matches
 * the draft's words now become a commitment (the later date is when it was agreed); an
 * acceptance of the words now by one partner stays a pending acceptance; acceptances of words
 * that have changed since are dropped (the words they were given to are not in the document).
 * A review request is kept unless both accepted after it. Saved versions are kept (the newest,
 * within [AR6]'s caps), an agreement they show as agreed with a commitment of those words: the
 * record gets their summaries, `versions` the snapshots to store apart.
 */
export function recordsFromLegacy(doc: Y.Doc, drafts: readonly Draft[], newId: () => string): SplitRecords {
  const records = emptyRecords();
  const byId = new Map(drafts.map((d) => [d.id, d]));
  for (const legacy of readLegacyDrafts(doc)) {
    const draft = byId.get(legacy.id);
    if (!draft) continue;
    const hash = contentHash(draft);
    const a = legacy.acceptances.A?.hash === hash ? legacy.acceptances.A : undefined;
    const b = legacy.acceptances.B?.hash === hash ? legacy.acceptances.B : undefined;
    if (a && b) {
      const commitment: Commitment = {
        id: newId(),
        agreementId: draft.id,
        title: draft.title,
        body: draft.body,
        category: draft.category,
        hash,
        acceptedAt: { A: a.at, B: b.at },
        agreedAt: Math.max(a.at, b.at),
      };
      records.commitments.push(commitment);
    } else {
      for (const [seat, given] of [['A', a], ['B', b]] as const) {
        if (given) records.acceptances.push({ agreementId: draft.id, seat, hash, at: given.at } satisfies AcceptanceRecord);
      }
    }
    if (legacy.proposedBy) {
      const provenance: Provenance = { agreementId: draft.id, seat: legacy.proposedBy.seat, name: legacy.proposedBy.name, at: legacy.createdAt ?? 0 };
      records.provenance.push(provenance);
    }
    const requestedAt = legacy.revisitRequestedAt;
    if (requestedAt !== null && !(a && b && a.at > requestedAt && b.at > requestedAt)) {
      const review: ReviewRequest = { agreementId: draft.id, seat: legacy.revisitRequestedBy ?? 'A', at: requestedAt };
      records.reviews.push(review);
    }
  }
  return withVersions(records, readLegacyVersions(doc));
}

/** A record with its versions' summaries, and the snapshots of the versions it keeps. */
export interface SplitRecords {
  records: AgreementRecordsView;
  versions: VersionRecord[];
}

/**
 * A record stored before the versions' snapshots were kept apart from it holds whole snapshots
 * in `versions`; null for one that holds summaries only (or nothing).
 */
export function splitStoredVersions(stored: AgreementRecordsView): SplitRecords | null {
  const versions = stored.versions as unknown[];
  if (!versions.some((v) => Array.isArray((v as { agreements?: unknown } | null)?.agreements))) return null;
  return withVersions({ ...stored, versions: [] }, versions as VersionRecord[]);
}

function withVersions(records: AgreementRecordsView, versions: readonly VersionRecord[]): SplitRecords {
  const added = versions.reduce((next, version) => addVersion(next, summaryOf(version)).records, records);
  const kept = new Set(added.versions.map((v) => v.id));
  return { records: added, versions: versions.filter((v) => kept.has(v.id)) };
}

/** Removes the old layout's parts. Call inside a server change (RoomDocuments.applyServerChange). */
export function stripLegacyParts(doc: Y.Doc): void {
  doc.transact(() => {
    for (const item of agreementsArray(doc)) {
      if (!(item instanceof Y.Map)) continue;
      for (const key of LEGACY_DRAFT_KEYS) if (item.has(key)) item.delete(key);
    }
    const versions = doc.getArray(LEGACY_VERSIONS_KEY);
    if (versions.length > 0) versions.delete(0, versions.length);
  });
}

function readLegacyDrafts(doc: Y.Doc): LegacyDraft[] {
  const drafts: LegacyDraft[] = [];
  for (const item of agreementsArray(doc)) {
    if (!(item instanceof Y.Map)) continue;
    const id = item.get('id');
    if (typeof id !== 'string') continue;
    const acceptances: LegacyDraft['acceptances'] = {};
    const stored = item.get('acceptances');
    if (stored instanceof Y.Map) {
      for (const seat of PARTNER_SEATS) {
        const value = stored.get(seat) as { hash?: unknown; at?: unknown } | undefined;
        if (value && typeof value.hash === 'string' && typeof value.at === 'number') acceptances[seat] = { hash: value.hash, at: value.at };
      }
    }
    const author = item.get('proposedBy') as { seat?: unknown; name?: unknown } | undefined;
    const createdAt = item.get('createdAt');
    const requestedBy = item.get('revisitRequestedBy');
    const requestedAt = item.get('revisitRequestedAt');
    drafts.push({
      id,
      acceptances,
      proposedBy: author && isSeat(author.seat) && typeof author.name === 'string' ? { seat: author.seat, name: author.name } : null,
      createdAt: typeof createdAt === 'number' ? createdAt : null,
      revisitRequestedBy: isSeat(requestedBy) ? requestedBy : null,
      revisitRequestedAt: typeof requestedAt === 'number' ? requestedAt : null,
    });
  }
  return drafts;
}

function readLegacyVersions(doc: Y.Doc): VersionRecord[] {
  if (!doc.share.has(LEGACY_VERSIONS_KEY)) return [];
  const versions: VersionRecord[] = [];
  for (const raw of doc.getArray(LEGACY_VERSIONS_KEY).toArray()) {
    const v = raw as { id?: unknown; name?: unknown; at?: unknown; by?: { seat?: unknown; name?: unknown }; agreements?: unknown };
    if (typeof v?.id !== 'string' || typeof v.name !== 'string' || typeof v.at !== 'number' || !Array.isArray(v.agreements)) continue;
    if (!v.by || !isSeat(v.by.seat) || typeof v.by.name !== 'string') continue;
    const agreements: VersionRecord['agreements'] = [];
    for (const entry of v.agreements as Array<Record<string, unknown>>) {
      const { id, title, body, category, reviewOn, status, agreedAt } = entry ?? {};
      if (typeof id !== 'string' || typeof title !== 'string' || typeof body !== 'string' || !isAgreementCategory(category)) continue;
      const day = typeof reviewOn === 'string' && ISO_DAY.test(reviewOn) ? reviewOn : null;
      const at = typeof agreedAt === 'number' ? agreedAt : v.at;
      const hash = contentHash({ title, body, category });
      const commitment: Commitment | null =
        status === 'agreed' ? { id: `legacy-${v.id}-${id}`, agreementId: id, title, body, category, hash, acceptedAt: { A: at, B: at }, agreedAt: at } : null;
      agreements.push({ id, title, body, category, reviewOn: day, commitment });
    }
    versions.push({ id: v.id, name: v.name, at: v.at, by: { seat: v.by.seat, name: v.by.name }, agreements });
  }
  return versions;
}

function isSeat(value: unknown): value is SeatId {
  return value === 'A' || value === 'B' || value === 'counsellor';
}
