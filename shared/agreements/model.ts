import * as Y from 'yjs';
import { AppError } from '../protocol/errors';
import { isAgreementCategory, type AgreementCategory } from './categories';
import { fragmentFromText, plainText, setFragmentText } from './text';

/**
 * The agreements document, one Y.Doc per room, holds drafts only:
 *
 *   agreements: Y.Array<Y.Map>  one map per draft: id, title, body, category, reviewOn (DraftKey)
 *   notes:      Y.XmlFragment    shared free notes (Tiptap `field: 'notes'`)
 *
 * Anyone seated may edit a draft. What nobody may forge (acceptances, commitments, who proposed
 * a draft and when, review requests, saved versions) is kept by the server outside the
 * document (records.ts); a device that writes such things into the document changes nothing
 * anyone reads.
 *
 * An agreement's title and body are Y.XmlFragments so Tiptap editors bind to them through
 * @tiptap/extension-collaboration's `fragment` option (`field` only names top-level fragments).
 * Every nested type is created with the draft, never lazily, so two devices cannot each create
 * their own copy and lose one of them in the merge.
 *
 * Anything in the document may have been written by any client, so every read checks shapes
 * and falls back rather than trusting them.
 */
export const DOC_KEYS = { agreements: 'agreements', notes: 'notes' } as const;

export const DraftKey = {
  id: 'id',
  title: 'title',
  body: 'body',
  category: 'category',
  reviewOn: 'reviewOn',
} as const;

/** A draft as read from the document: plain words, the shape contentHash takes. */
export interface Draft {
  id: string;
  title: string;
  body: string;
  category: AgreementCategory;
  /** YYYY-MM-DD, or null */
  reviewOn: string | null;
}

export interface NewAgreement {
  /** defaults to a random UUID */
  id?: string;
  title: string;
  body?: string;
  category: AgreementCategory;
  /** YYYY-MM-DD */
  reviewOn?: string | null;
}

export const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function agreementsArray(doc: Y.Doc): Y.Array<unknown> {
  return doc.getArray(DOC_KEYS.agreements);
}

export function notesFragment(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(DOC_KEYS.notes);
}

/** Adds a draft. Who proposed it and when is recorded by the server (agreement:propose). */
export function addAgreement(doc: Y.Doc, input: NewAgreement): string {
  const id = input.id ?? globalThis.crypto.randomUUID();
  const reviewOn = input.reviewOn ?? null;
  if (reviewOn !== null && !ISO_DAY.test(reviewOn)) throw new AppError('INVALID_PAYLOAD');
  const map = new Y.Map<unknown>();
  map.set(DraftKey.id, id);
  map.set(DraftKey.title, fragmentFromText(input.title));
  map.set(DraftKey.body, fragmentFromText(input.body ?? ''));
  map.set(DraftKey.category, input.category);
  map.set(DraftKey.reviewOn, reviewOn);
  agreementsArray(doc).push([map]);
  return id;
}

export function findAgreement(doc: Y.Doc, id: string): Y.Map<unknown> | null {
  for (const item of agreementsArray(doc)) {
    if (item instanceof Y.Map && item.get(DraftKey.id) === id) return item as Y.Map<unknown>;
  }
  return null;
}

/** The two fragments an editor binds to, or null if the draft is gone. */
export function agreementFragments(doc: Y.Doc, id: string): { title: Y.XmlFragment; body: Y.XmlFragment } | null {
  const map = findAgreement(doc, id);
  if (!map) return null;
  const title = map.get(DraftKey.title);
  const body = map.get(DraftKey.body);
  if (!(title instanceof Y.XmlFragment) || !(body instanceof Y.XmlFragment)) return null;
  return { title, body };
}

export function setAgreementText(doc: Y.Doc, id: string, field: 'title' | 'body', text: string): void {
  const fragments = agreementFragments(doc, id);
  if (!fragments) throw notFound();
  setFragmentText(fragments[field], text);
}

export function setCategory(doc: Y.Doc, id: string, category: AgreementCategory): void {
  requireAgreement(doc, id).set(DraftKey.category, category);
}

export function setReviewOn(doc: Y.Doc, id: string, reviewOn: string | null): void {
  if (reviewOn !== null && !ISO_DAY.test(reviewOn)) throw new AppError('INVALID_PAYLOAD');
  requireAgreement(doc, id).set(DraftKey.reviewOn, reviewOn);
}

/** Removes the draft. A commitment made on it stays on the record. */
export function removeAgreement(doc: Y.Doc, id: string): void {
  const array = agreementsArray(doc);
  const index = array.toArray().findIndex((item) => item instanceof Y.Map && item.get(DraftKey.id) === id);
  if (index === -1) throw notFound();
  array.delete(index, 1);
}

/** Every draft with an id, in document order; a second draft with an id already seen is skipped. */
export function readDrafts(doc: Y.Doc): Draft[] {
  const drafts: Draft[] = [];
  const seen = new Set<string>();
  for (const item of agreementsArray(doc)) {
    if (!(item instanceof Y.Map)) continue;
    const draft = readDraftMap(item as Y.Map<unknown>);
    if (!draft || seen.has(draft.id)) continue;
    seen.add(draft.id);
    drafts.push(draft);
  }
  return drafts;
}

export function readDraft(doc: Y.Doc, id: string): Draft | null {
  const map = findAgreement(doc, id);
  return map ? readDraftMap(map) : null;
}

/**
 * The calendar day (YYYY-MM-DD) of an instant, in the given IANA time zone or the local one.
 * Review dates are days, so "due" is decided by the day the person sees.
 */
export function dayOf(now: number, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

function readDraftMap(map: Y.Map<unknown>): Draft | null {
  const id = map.get(DraftKey.id);
  if (typeof id !== 'string' || id.length === 0) return null;
  const title = map.get(DraftKey.title);
  const body = map.get(DraftKey.body);
  const category = map.get(DraftKey.category);
  const reviewOn = map.get(DraftKey.reviewOn);
  return {
    id,
    title: title instanceof Y.XmlFragment ? plainText(title) : '',
    body: body instanceof Y.XmlFragment ? plainText(body) : '',
    category: isAgreementCategory(category) ? category : 'other',
    reviewOn: typeof reviewOn === 'string' && ISO_DAY.test(reviewOn) ? reviewOn : null,
  };
}

function requireAgreement(doc: Y.Doc, id: string): Y.Map<unknown> {
  const map = findAgreement(doc, id);
  if (!map) throw notFound();
  return map;
}

function notFound(): AppError {
  return new AppError('AGREEMENT_NOT_FOUND');
}
