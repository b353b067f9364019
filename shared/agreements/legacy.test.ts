import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentHash } from './hash';
import { hasLegacyParts, recordsFromLegacy, stripLegacyParts } from './legacy';
import { addAgreement, findAgreement, readDrafts } from './model';

const WORDS = { title: 'Phones away', body: '', category: 'time-together' as const };
const NOW_HASH = contentHash(WORDS);
const OLD_HASH = contentHash({ ...WORDS, body: 'before' });

/** A draft as the old code left it: acceptances and revisit fields inside the map. */
function oldDoc(acceptances: Partial<Record<string, { hash: string; at: number }>>, revisitAt: number | null = null): Y.Doc {
  const doc = new Y.Doc();
  addAgreement(doc, { id: 'a1', ...WORDS });
  const map = findAgreement(doc, 'a1')!;
  const stored = new Y.Map<unknown>();
  map.set('acceptances', stored);
  for (const [seat, value] of Object.entries(acceptances)) stored.set(seat, value);
  map.set('revisitRequestedBy', revisitAt === null ? null : 'A');
  map.set('revisitRequestedAt', revisitAt);
  return doc;
}

let n = 0;
const convert = (doc: Y.Doc) => recordsFromLegacy(doc, readDrafts(doc), () => `c${++n}`).records;

describe('legacy agreements documents', () => {
  it.each([
    { what: 'both accepted the words now', acc: { A: { hash: NOW_HASH, at: 1 }, B: { hash: NOW_HASH, at: 2 } }, commitments: 1, pending: 0 },
    { what: 'one accepted the words now', acc: { A: { hash: NOW_HASH, at: 1 } }, commitments: 0, pending: 1 },
    { what: 'both accepted words changed since', acc: { A: { hash: OLD_HASH, at: 1 }, B: { hash: OLD_HASH, at: 2 } }, commitments: 0, pending: 0 },
    { what: 'one now, one changed since', acc: { A: { hash: NOW_HASH, at: 1 }, B: { hash: OLD_HASH, at: 2 } }, commitments: 0, pending: 1 },
    { what: 'a malformed entry', acc: { A: { hash: NOW_HASH, at: 'x' as unknown as number }, C: { hash: NOW_HASH, at: 1 } }, commitments: 0, pending: 0 },
  ])('[AR-migration] $what -> $commitments commitment(s), $pending pending', ({ acc, commitments, pending }) => {
    const records = convert(oldDoc(acc));
    expect(records.commitments).toHaveLength(commitments);
    expect(records.acceptances).toHaveLength(pending);
  });

  it('[AR-migration] a revisit request is kept unless both accepted after it', () => {
    const after = { A: { hash: NOW_HASH, at: 10 }, B: { hash: NOW_HASH, at: 11 } };
    expect(convert(oldDoc(after, 5)).reviews).toEqual([]);
    expect(convert(oldDoc(after, 10)).reviews).toEqual([{ agreementId: 'a1', seat: 'A', at: 10 }]);
  });

  it('[AR-migration] stripping leaves drafts only, and the document no longer has old parts', () => {
    const doc = oldDoc({ A: { hash: NOW_HASH, at: 1 } });
    doc.getArray('versions').push([{ id: 'v' }]);
    expect(hasLegacyParts(doc)).toBe(true);
    stripLegacyParts(doc);
    expect(hasLegacyParts(doc)).toBe(false);
    expect([...findAgreement(doc, 'a1')!.keys()].sort()).toEqual(['body', 'category', 'id', 'reviewOn', 'title']);
    expect(readDrafts(doc)).toEqual([{ id: 'a1', ...WORDS, reviewOn: null }]);
  });

  it('a document of the new layout has no old parts', () => {
    const doc = new Y.Doc();
    addAgreement(doc, { id: 'a1', ...WORDS });
    expect(hasLegacyParts(doc)).toBe(false);
  });
});
