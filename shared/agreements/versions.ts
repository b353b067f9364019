import { z } from 'zod';
import type * as Y from 'yjs';
import { AGREEMENT_CATEGORIES } from './categories';
import { AGREEMENT_STATES, DOC_KEYS, dayOf, readAgreements, type AgreementView, type Author } from './model';

/**
 * A named version keeps plain JSON, not a Yjs snapshot: viewing or diffing an old version
 * then needs neither `gc: false` nor the history of the document, and works on any device.
 */
const seatSchema = z.enum(['A', 'B', 'counsellor']);

export const agreementSnapshotSchema = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  category: z.enum(AGREEMENT_CATEGORIES),
  status: z.enum(AGREEMENT_STATES),
  reviewOn: z.string().nullable(),
  createdAt: z.number(),
  agreedAt: z.number().nullable(),
  revisitRequested: z.boolean(),
});
export type AgreementSnapshot = z.infer<typeof agreementSnapshotSchema>;

export const savedVersionSchema = z.object({
  id: z.string(),
  name: z.string(),
  at: z.number(),
  by: z.object({ seat: seatSchema, name: z.string() }),
  agreements: z.array(agreementSnapshotSchema),
});
export type SavedVersion = z.infer<typeof savedVersionSchema>;

export function versionsArray(doc: Y.Doc): Y.Array<unknown> {
  return doc.getArray(DOC_KEYS.versions);
}

export function toSnapshot(view: AgreementView): AgreementSnapshot {
  return {
    id: view.id,
    title: view.title,
    body: view.body,
    category: view.category,
    status: view.state,
    reviewOn: view.reviewOn,
    createdAt: view.createdAt,
    agreedAt: view.agreedAt,
    revisitRequested: view.revisitRequested,
  };
}

export function snapshotAgreements(doc: Y.Doc, today: string): AgreementSnapshot[] {
  return readAgreements(doc, { today }).map(toSnapshot);
}

export function saveVersion(
  doc: Y.Doc,
  name: string,
  by: Author,
  now: number,
  options: { id?: string; timeZone?: string } = {},
): SavedVersion {
  const version: SavedVersion = {
    id: options.id ?? globalThis.crypto.randomUUID(),
    name,
    at: now,
    by: { seat: by.seat, name: by.name },
    agreements: snapshotAgreements(doc, dayOf(now, options.timeZone)),
  };
  versionsArray(doc).push([version]);
  return version;
}

/** Oldest first. Entries that do not have the shape of a version are skipped. */
export function listVersions(doc: Y.Doc): SavedVersion[] {
  const versions: SavedVersion[] = [];
  for (const item of versionsArray(doc)) {
    const parsed = savedVersionSchema.safeParse(item);
    if (parsed.success) versions.push(parsed.data);
  }
  return versions;
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

type Side = SavedVersion | readonly AgreementSnapshot[];

/** Matches agreements by id. Order of the lists follows `newer` (removed: `older`). */
export function diffVersions(older: Side, newer: Side): VersionDiff {
  const before = agreementsOf(older);
  const after = agreementsOf(newer);
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

function agreementsOf(side: Side): readonly AgreementSnapshot[] {
  return 'agreements' in side ? side.agreements : side;
}
