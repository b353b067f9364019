import type { VersionRecord } from '../protocol/agreements';
import { contentHash } from './hash';
import type { AgreementState, AgreementView } from './records';

/**
 * Saved versions are server records (records.ts, `version:save`): plain JSON snapshots of the
 * server's copy of the drafts with the commitment in force for each, so viewing or diffing an
 * old version needs neither `gc: false` nor the history of the document.
 */
export type VersionAgreement = VersionRecord['agreements'][number];

/** What a diff compares: the words, the review day and whether it was agreed. */
export interface AgreementSnapshot {
  id: string;
  title: string;
  body: string;
  category: VersionAgreement['category'];
  reviewOn: string | null;
  status: Extract<AgreementState, 'draft' | 'agreed' | 'changed-since-agreed'>;
}

export function snapshotOfVersionAgreement(agreement: VersionAgreement): AgreementSnapshot {
  const { commitment } = agreement;
  const status = commitment === null ? 'draft' : commitment.hash === contentHash(agreement) ? 'agreed' : 'changed-since-agreed';
  return { id: agreement.id, title: agreement.title, body: agreement.body, category: agreement.category, reviewOn: agreement.reviewOn, status };
}

/** The agreements as they are now, in the shape a diff compares (drafts only: a version holds drafts). */
export function snapshotOfView(view: AgreementView): AgreementSnapshot {
  const status = view.commitment === null ? 'draft' : view.changedSinceAgreed ? 'changed-since-agreed' : 'agreed';
  return { id: view.id, title: view.title, body: view.body, category: view.category, reviewOn: view.reviewOn, status };
}

export const DIFF_FIELDS = ['title', 'body', 'category', 'status', 'reviewOn'] as const;
export type DiffField = (typeof DIFF_FIELDS)[number];

export interface FieldChange {
  field: DiffField;
  before: string | null;
  after: string | null;
}

export interface AgreementChange {
  id: string;
  before: AgreementSnapshot;
  after: AgreementSnapshot;
  changes: FieldChange[];
}

export interface VersionDiff {
  added: AgreementSnapshot[];
  removed: AgreementSnapshot[];
  changed: AgreementChange[];
  unchanged: string[];
}

type Side = VersionRecord | readonly AgreementSnapshot[];

/** Matches agreements by id. Order of the lists follows `newer` (removed: `older`). */
export function diffVersions(older: Side, newer: Side): VersionDiff {
  const before = snapshotsOf(older);
  const after = snapshotsOf(newer);
  const beforeById = new Map(before.map((a) => [a.id, a]));
  const afterIds = new Set(after.map((a) => a.id));
  const diff: VersionDiff = { added: [], removed: [], changed: [], unchanged: [] };
  for (const next of after) {
    const previous = beforeById.get(next.id);
    if (!previous) {
      diff.added.push(next);
      continue;
    }
    const changes: FieldChange[] = [];
    for (const field of DIFF_FIELDS) {
      if (previous[field] !== next[field]) changes.push({ field, before: previous[field], after: next[field] });
    }
    if (changes.length > 0) diff.changed.push({ id: next.id, before: previous, after: next, changes });
    else diff.unchanged.push(next.id);
  }
  diff.removed = before.filter((a) => !afterIds.has(a.id));
  return diff;
}

function snapshotsOf(side: Side): readonly AgreementSnapshot[] {
  return 'agreements' in side ? side.agreements.map(snapshotOfVersionAgreement) : side;
}
