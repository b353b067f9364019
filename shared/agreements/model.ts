import * as Y from 'yjs';
import { AppError } from '../protocol/errors';
import type { PartnerSeat, SeatId } from '../protocol/rooms';
import { isAgreementCategory, type AgreementCategory } from './categories';
import { contentHash } from './hash';
import { fragmentFromText, plainText, setFragmentText } from './text';

/**
 * The agreements document, one Y.Doc per room:
 *
 *   agreements: Y.Array<Y.Map>  one map per agreement (AgreementKey below)
 *   notes:      Y.XmlFragment    shared free notes (Tiptap `field: 'notes'`)
 *   versions:   Y.Array<SavedVersion>  named snapshots as plain JSON (see versions.ts)
 *
 * An agreement's title and body are Y.XmlFragments so Tiptap editors bind to them through
 * @tiptap/extension-collaboration's `fragment` option (`field` only names top-level fragments).
 * Every nested type is created with the agreement, never lazily, so two devices cannot each
 * create their own copy and lose one of them in the merge.
 *
 * Anything in the document may have been written by any client, so every read checks shapes
 * and falls back rather than trusting them.
 */
export const DOC_KEYS = { agreements: 'agreements', notes: 'notes', versions: 'versions' } as const;

export const AgreementKey = {
  id: 'id',
  title: 'title',
  body: 'body',
  category: 'category',
  proposedBy: 'proposedBy',
  createdAt: 'createdAt',
  reviewOn: 'reviewOn',
  acceptances: 'acceptances',
  revisitRequestedBy: 'revisitRequestedBy',
  revisitRequestedAt: 'revisitRequestedAt',
} as const;

export interface Author {
  seat: SeatId;
  name: string;
}

export interface Acceptance {
  /** contentHash of what was accepted */
  hash: string;
  at: number;
}

export const AGREEMENT_STATES = ['draft', 'agreed-by-A', 'agreed-by-B', 'agreed', 'changed-since-agreed'] as const;
export type AgreementState = (typeof AGREEMENT_STATES)[number];

export const statusLabels: Record<AgreementState, string> = {
  draft: 'Proposed, not agreed yet',
  'agreed-by-A': 'Agreed by partner A, waiting for partner B',
  'agreed-by-B': 'Agreed by partner B, waiting for partner A',
  agreed: 'Agreed by both',
  'changed-since-agreed': 'Changed since it was agreed: agree again?',
};

/** What statusOf needs to know. */
export interface AgreementFacts {
  title: string;
  body: string;
  category: AgreementCategory;
  reviewOn: string | null;
  acceptances: Partial<Record<PartnerSeat, Acceptance>>;
  revisitRequestedAt: number | null;
}

export interface AgreementStatus {
  state: AgreementState;
  /** someone asked to talk about it again, and it has not been agreed again since */
  revisitRequested: boolean;
  /** its review date is today or past */
  revisitDue: boolean;
  /** when the second of the two current acceptances was given; null unless agreed */
  agreedAt: number | null;
}

export interface AgreementView extends AgreementFacts, AgreementStatus {
  id: string;
  proposedBy: Author | null;
  createdAt: number;
  revisitRequestedBy: SeatId | null;
  hash: string;
  /** per partner: does their acceptance still match the content? */
  acceptedCurrent: Record<PartnerSeat, boolean>;
}

export interface NewAgreement {
  /** defaults to a random UUID */
  id?: string;
  title: string;
  body?: string;
  category: AgreementCategory;
  proposedBy: Author;
  now: number;
  /** YYYY-MM-DD */
  reviewOn?: string | null;
}

const PARTNERS: readonly PartnerSeat[] = ['A', 'B'];
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function agreementsArray(doc: Y.Doc): Y.Array<unknown> {
  return doc.getArray(DOC_KEYS.agreements);
}

export function notesFragment(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(DOC_KEYS.notes);
}

export function addAgreement(doc: Y.Doc, input: NewAgreement): string {
  const id = input.id ?? globalThis.crypto.randomUUID();
  const reviewOn = input.reviewOn ?? null;
  if (reviewOn !== null && !ISO_DAY.test(reviewOn)) throw new AppError('INVALID_PAYLOAD');
  const map = new Y.Map<unknown>();
  map.set(AgreementKey.id, id);
  map.set(AgreementKey.title, fragmentFromText(input.title));
  map.set(AgreementKey.body, fragmentFromText(input.body ?? ''));
  map.set(AgreementKey.category, input.category);
  map.set(AgreementKey.proposedBy, { seat: input.proposedBy.seat, name: input.proposedBy.name });
  map.set(AgreementKey.createdAt, input.now);
  map.set(AgreementKey.reviewOn, reviewOn);
  map.set(AgreementKey.acceptances, new Y.Map<unknown>());
  map.set(AgreementKey.revisitRequestedBy, null);
  map.set(AgreementKey.revisitRequestedAt, null);
  agreementsArray(doc).push([map]);
  return id;
}

export function findAgreement(doc: Y.Doc, id: string): Y.Map<unknown> | null {
  for (const item of agreementsArray(doc)) {
    if (item instanceof Y.Map && item.get(AgreementKey.id) === id) return item as Y.Map<unknown>;
  }
  return null;
}

/** The two fragments an editor binds to, or null if the agreement is gone. */
export function agreementFragments(doc: Y.Doc, id: string): { title: Y.XmlFragment; body: Y.XmlFragment } | null {
  const map = findAgreement(doc, id);
  if (!map) return null;
  const title = map.get(AgreementKey.title);
  const body = map.get(AgreementKey.body);
  if (!(title instanceof Y.XmlFragment) || !(body instanceof Y.XmlFragment)) return null;
  return { title, body };
}

export function setAgreementText(doc: Y.Doc, id: string, field: 'title' | 'body', text: string): void {
  const fragments = agreementFragments(doc, id);
  if (!fragments) throw notFound();
  setFragmentText(fragments[field], text);
}

export function setCategory(doc: Y.Doc, id: string, category: AgreementCategory): void {
  requireAgreement(doc, id).set(AgreementKey.category, category);
}

export function setReviewOn(doc: Y.Doc, id: string, reviewOn: string | null): void {
  if (reviewOn !== null && !ISO_DAY.test(reviewOn)) throw new AppError('INVALID_PAYLOAD');
  requireAgreement(doc, id).set(AgreementKey.reviewOn, reviewOn);
}

export function removeAgreement(doc: Y.Doc, id: string): void {
  const array = agreementsArray(doc);
  const index = array.toArray().findIndex((item) => item instanceof Y.Map && item.get(AgreementKey.id) === id);
  if (index === -1) throw notFound();
  array.delete(index, 1);
}

/** Only partners accept; what they accept is the content as it is now. */
export function accept(doc: Y.Doc, id: string, seat: SeatId, now: number): Acceptance {
  const partner = requirePartner(seat);
  const map = requireAgreement(doc, id);
  const acceptance: Acceptance = { hash: contentHash(readFacts(map)), at: now };
  doc.transact(() => acceptancesOf(map).set(partner, acceptance));
  return acceptance;
}

export function withdrawAcceptance(doc: Y.Doc, id: string, seat: SeatId): void {
  const partner = requirePartner(seat);
  const map = requireAgreement(doc, id);
  const acceptances = map.get(AgreementKey.acceptances);
  if (acceptances instanceof Y.Map) acceptances.delete(partner);
}

/** Anyone in the room, counsellor included, may ask to talk about an agreement again. */
export function requestRevisit(doc: Y.Doc, id: string, seat: SeatId, now: number): void {
  const map = requireAgreement(doc, id);
  doc.transact(() => {
    map.set(AgreementKey.revisitRequestedBy, seat);
    map.set(AgreementKey.revisitRequestedAt, now);
  });
}

export function clearRevisit(doc: Y.Doc, id: string): void {
  const map = requireAgreement(doc, id);
  doc.transact(() => {
    map.set(AgreementKey.revisitRequestedBy, null);
    map.set(AgreementKey.revisitRequestedAt, null);
  });
}

/**
 * An acceptance counts only while its hash matches the content. Any acceptance that no longer
 * matches makes the agreement "changed since agreed", even if the other partner has since
 * accepted the new text: both have to stand behind the same words.
 * A revisit request is settled, without anyone clearing it, once both accept after it.
 */
export function statusOf(agreement: AgreementFacts, today: string): AgreementStatus {
  const hash = contentHash(agreement);
  const current = currentAcceptances(agreement, hash);
  const given = PARTNERS.filter((seat) => agreement.acceptances[seat] !== undefined);
  const stale = given.some((seat) => !current[seat]);
  let state: AgreementState;
  if (current.A && current.B) state = 'agreed';
  else if (stale) state = 'changed-since-agreed';
  else if (current.A) state = 'agreed-by-A';
  else if (current.B) state = 'agreed-by-B';
  else state = 'draft';

  const a = agreement.acceptances.A;
  const b = agreement.acceptances.B;
  const agreedAt = state === 'agreed' && a && b ? Math.max(a.at, b.at) : null;
  const requestedAt = agreement.revisitRequestedAt;
  const settled = requestedAt !== null && agreedAt !== null && a !== undefined && b !== undefined && a.at > requestedAt && b.at > requestedAt;
  return {
    state,
    revisitRequested: requestedAt !== null && !settled,
    revisitDue: agreement.reviewOn !== null && agreement.reviewOn <= today,
    agreedAt,
  };
}

export function readAgreements(doc: Y.Doc, options: { today?: string } = {}): AgreementView[] {
  const today = options.today ?? dayOf(Date.now());
  const views: AgreementView[] = [];
  for (const item of agreementsArray(doc)) {
    if (!(item instanceof Y.Map)) continue;
    const view = readView(item as Y.Map<unknown>, today);
    if (view) views.push(view);
  }
  return views;
}

export function readAgreement(doc: Y.Doc, id: string, options: { today?: string } = {}): AgreementView | null {
  const map = findAgreement(doc, id);
  return map ? readView(map, options.today ?? dayOf(Date.now())) : null;
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

function readView(map: Y.Map<unknown>, today: string): AgreementView | null {
  const id = map.get(AgreementKey.id);
  if (typeof id !== 'string') return null;
  const facts = readFacts(map);
  const hash = contentHash(facts);
  const createdAt = map.get(AgreementKey.createdAt);
  const requestedBy = map.get(AgreementKey.revisitRequestedBy);
  return {
    id,
    ...facts,
    ...statusOf(facts, today),
    proposedBy: readAuthor(map.get(AgreementKey.proposedBy)),
    createdAt: typeof createdAt === 'number' ? createdAt : 0,
    revisitRequestedBy: isSeat(requestedBy) ? requestedBy : null,
    hash,
    acceptedCurrent: currentAcceptances(facts, hash),
  };
}

function readFacts(map: Y.Map<unknown>): AgreementFacts {
  const title = map.get(AgreementKey.title);
  const body = map.get(AgreementKey.body);
  const category = map.get(AgreementKey.category);
  const reviewOn = map.get(AgreementKey.reviewOn);
  const requestedAt = map.get(AgreementKey.revisitRequestedAt);
  const acceptances: Partial<Record<PartnerSeat, Acceptance>> = {};
  const stored = map.get(AgreementKey.acceptances);
  if (stored instanceof Y.Map) {
    for (const seat of PARTNERS) {
      const acceptance = readAcceptance(stored.get(seat));
      if (acceptance) acceptances[seat] = acceptance;
    }
  }
  return {
    title: title instanceof Y.XmlFragment ? plainText(title) : '',
    body: body instanceof Y.XmlFragment ? plainText(body) : '',
    category: isAgreementCategory(category) ? category : 'other',
    reviewOn: typeof reviewOn === 'string' && ISO_DAY.test(reviewOn) ? reviewOn : null,
    acceptances,
    revisitRequestedAt: typeof requestedAt === 'number' ? requestedAt : null,
  };
}

function currentAcceptances(facts: AgreementFacts, hash: string): Record<PartnerSeat, boolean> {
  return { A: facts.acceptances.A?.hash === hash, B: facts.acceptances.B?.hash === hash };
}

function readAcceptance(value: unknown): Acceptance | null {
  if (typeof value !== 'object' || value === null) return null;
  const { hash, at } = value as { hash?: unknown; at?: unknown };
  return typeof hash === 'string' && typeof at === 'number' ? { hash, at } : null;
}

function readAuthor(value: unknown): Author | null {
  if (typeof value !== 'object' || value === null) return null;
  const { seat, name } = value as { seat?: unknown; name?: unknown };
  return isSeat(seat) && typeof name === 'string' ? { seat, name } : null;
}

function isSeat(value: unknown): value is SeatId {
  return value === 'A' || value === 'B' || value === 'counsellor';
}

function acceptancesOf(map: Y.Map<unknown>): Y.Map<unknown> {
  const existing = map.get(AgreementKey.acceptances);
  if (existing instanceof Y.Map) return existing as Y.Map<unknown>;
  const created = new Y.Map<unknown>();
  map.set(AgreementKey.acceptances, created);
  return created;
}

function requirePartner(seat: SeatId): PartnerSeat {
  if (seat !== 'A' && seat !== 'B') throw new AppError('FORBIDDEN', 'Accepting an agreement is for the two partners.');
  return seat;
}

function requireAgreement(doc: Y.Doc, id: string): Y.Map<unknown> {
  const map = findAgreement(doc, id);
  if (!map) throw notFound();
  return map;
}

function notFound(): AppError {
  return new AppError('INVALID_PAYLOAD', 'That agreement is no longer there, so nothing was changed.');
}
