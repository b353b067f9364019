import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { AppError } from '../protocol/errors';
import {
  accept,
  addAgreement,
  agreementFragments,
  clearRevisit,
  contentHash,
  plainText,
  readAgreement,
  readAgreements,
  removeAgreement,
  requestRevisit,
  setAgreementText,
  setCategory,
  setReviewOn,
  statusOf,
  withdrawAcceptance,
  type AgreementState,
} from './index';

const T0 = Date.UTC(2025, 2, 1, 12);
const DAY = 86_400_000;
const TODAY = '2025-03-12';
const alex = { seat: 'A', name: 'Alex' } as const;

function docWithOne(): { doc: Y.Doc; id: string } {
  const doc = new Y.Doc();
  const id = addAgreement(doc, {
    id: 'a1',
    title: 'Time-outs are allowed',
    body: 'We say when we will be back.',
    category: 'communication',
    proposedBy: alex,
    now: T0,
  });
  return { doc, id };
}

type Step = (doc: Y.Doc, id: string) => void;

const steps = {
  acceptA: (doc, id) => accept(doc, id, 'A', T0 + DAY),
  acceptB: (doc, id) => accept(doc, id, 'B', T0 + 2 * DAY),
  editBody: (doc, id) => setAgreementText(doc, id, 'body', 'We say when we will be back, and we come back.'),
  editTitle: (doc, id) => setAgreementText(doc, id, 'title', 'Time-outs are always allowed'),
  whitespaceOnly: (doc, id) => setAgreementText(doc, id, 'body', '  We say when  we will be back.\n\n'),
  category: (doc, id) => setCategory(doc, id, 'boundaries'),
  categoryBack: (doc, id) => setCategory(doc, id, 'communication'),
  withdrawA: (doc, id) => withdrawAcceptance(doc, id, 'A'),
  reviewDate: (doc, id) => setReviewOn(doc, id, '2025-06-01'),
} satisfies Record<string, Step>;

describe('agreement status', () => {
  const table: Array<{ name: string; do: Array<keyof typeof steps>; expect: AgreementState }> = [
    { name: 'a new agreement is a draft', do: [], expect: 'draft' },
    { name: 'one partner accepting is not enough', do: ['acceptA'], expect: 'agreed-by-A' },
    { name: 'the other partner alone', do: ['acceptB'], expect: 'agreed-by-B' },
    { name: 'both partners accept', do: ['acceptA', 'acceptB'], expect: 'agreed' },
    { name: 'an edit to the body after both accepted', do: ['acceptA', 'acceptB', 'editBody'], expect: 'changed-since-agreed' },
    { name: 'an edit to the title after both accepted', do: ['acceptA', 'acceptB', 'editTitle'], expect: 'changed-since-agreed' },
    { name: 'a change of category clears the agreement', do: ['acceptA', 'acceptB', 'category'], expect: 'changed-since-agreed' },
    { name: 'changing the category back restores it', do: ['acceptA', 'acceptB', 'category', 'categoryBack'], expect: 'agreed' },
    { name: 'whitespace-only edits do not count', do: ['acceptA', 'acceptB', 'whitespaceOnly'], expect: 'agreed' },
    { name: 'an edit after one acceptance', do: ['acceptA', 'editBody'], expect: 'changed-since-agreed' },
    { name: 'one agreeing again to the new text is not enough', do: ['acceptA', 'acceptB', 'editBody', 'acceptA'], expect: 'changed-since-agreed' },
    { name: 'both agreeing again to the new text', do: ['acceptA', 'acceptB', 'editBody', 'acceptA', 'acceptB'], expect: 'agreed' },
    { name: 'withdrawing an acceptance', do: ['acceptA', 'acceptB', 'withdrawA'], expect: 'agreed-by-B' },
    { name: 'a review date is not content', do: ['acceptA', 'acceptB', 'reviewDate'], expect: 'agreed' },
  ];
  it.each(table)('$name -> $expect', ({ do: names, expect: expected }) => {
    const { doc, id } = docWithOne();
    for (const name of names) steps[name](doc, id);
    expect(readAgreement(doc, id, { today: TODAY })?.state).toBe(expected);
  });

  it('only partners accept: the counsellor is refused with FORBIDDEN', () => {
    const { doc, id } = docWithOne();
    const attempt = () => accept(doc, id, 'counsellor', T0);
    expect(attempt).toThrow(AppError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(readAgreement(doc, id, { today: TODAY })?.state).toBe('draft');
  });

  it('a counsellor may propose', () => {
    const doc = new Y.Doc();
    addAgreement(doc, { title: 'x', category: 'other', proposedBy: { seat: 'counsellor', name: 'Sam' }, now: T0 });
    expect(readAgreements(doc, { today: TODAY })[0]?.proposedBy).toEqual({ seat: 'counsellor', name: 'Sam' });
  });

  it('acceptance written by a counsellor into the doc by hand is ignored', () => {
    const { doc, id } = docWithOne();
    const view = readAgreement(doc, id, { today: TODAY });
    const map = doc.getArray<Y.Map<unknown>>('agreements').get(0);
    (map.get('acceptances') as Y.Map<unknown>).set('counsellor', { hash: view?.hash, at: T0 });
    expect(readAgreement(doc, id, { today: TODAY })?.state).toBe('draft');
  });

  it('unknown ids are a named refusal', () => {
    const { doc } = docWithOne();
    expect(() => accept(doc, 'nope', 'A', T0)).toThrow(expect.objectContaining({ code: 'INVALID_PAYLOAD' }));
    expect(() => removeAgreement(doc, 'nope')).toThrow(AppError);
  });

  it('records agreedAt as the later of the two acceptances', () => {
    const { doc, id } = docWithOne();
    steps.acceptA(doc, id);
    steps.acceptB(doc, id);
    expect(readAgreement(doc, id, { today: TODAY })?.agreedAt).toBe(T0 + 2 * DAY);
  });
});

describe('revisit', () => {
  const table: Array<{ name: string; reviewOn: string | null; request: boolean; reaccept: boolean; clear: boolean; requested: boolean; due: boolean }> = [
    { name: 'nothing asked', reviewOn: null, request: false, reaccept: false, clear: false, requested: false, due: false },
    { name: 'review date in the future', reviewOn: '2025-03-13', request: false, reaccept: false, clear: false, requested: false, due: false },
    { name: 'review date today', reviewOn: TODAY, request: false, reaccept: false, clear: false, requested: false, due: true },
    { name: 'review date past', reviewOn: '2025-01-01', request: false, reaccept: false, clear: false, requested: false, due: true },
    { name: 'a partner asks to revisit', reviewOn: null, request: true, reaccept: false, clear: false, requested: true, due: false },
    { name: 'both agree again after the request', reviewOn: null, request: true, reaccept: true, clear: false, requested: false, due: false },
    { name: 'the request is cleared', reviewOn: null, request: true, reaccept: false, clear: true, requested: false, due: false },
  ];
  it.each(table)('$name', (row) => {
    const { doc, id } = docWithOne();
    steps.acceptA(doc, id);
    steps.acceptB(doc, id);
    setReviewOn(doc, id, row.reviewOn);
    if (row.request) requestRevisit(doc, id, 'B', T0 + 3 * DAY);
    if (row.reaccept) {
      accept(doc, id, 'A', T0 + 4 * DAY);
      accept(doc, id, 'B', T0 + 4 * DAY);
    }
    if (row.clear) clearRevisit(doc, id);
    const view = readAgreement(doc, id, { today: TODAY });
    expect(view?.revisitRequested).toBe(row.requested);
    expect(view?.revisitDue).toBe(row.due);
    expect(view?.state).toBe('agreed');
    expect(view?.revisitRequestedBy).toBe(row.request && !row.clear ? 'B' : null);
  });

  it('the counsellor may ask to revisit', () => {
    const { doc, id } = docWithOne();
    requestRevisit(doc, id, 'counsellor', T0);
    expect(readAgreement(doc, id, { today: TODAY })?.revisitRequested).toBe(true);
  });
});

describe('text and hash', () => {
  it('plainText reads paragraphs, marks and hard breaks as a Tiptap editor wrote them', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('f');
    const p1 = new Y.XmlElement('paragraph');
    const bold = new Y.XmlText();
    p1.insert(0, [bold]);
    const p2 = new Y.XmlElement('paragraph');
    p2.insert(0, [new Y.XmlText('line'), new Y.XmlElement('hardBreak'), new Y.XmlText('break')]);
    const list = new Y.XmlElement('bulletList');
    const item = new Y.XmlElement('listItem');
    const p3 = new Y.XmlElement('paragraph');
    p3.insert(0, [new Y.XmlText('item')]);
    item.insert(0, [p3]);
    list.insert(0, [item]);
    fragment.insert(0, [p1, p2, list]);
    bold.insert(0, 'plain ');
    bold.insert(6, 'bold', { bold: true });
    expect(plainText(fragment)).toBe('plain bold\nline\nbreak\nitem');
  });

  it('the hash is stable, hex SHA-256, and covers title, body and category', () => {
    const base = { title: 'T', body: 'B', category: 'honesty' } as const;
    const hash = contentHash(base);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash({ ...base })).toBe(hash);
    expect(contentHash({ ...base, title: 'T2' })).not.toBe(hash);
    expect(contentHash({ ...base, body: 'B2' })).not.toBe(hash);
    expect(contentHash({ ...base, category: 'other' })).not.toBe(hash);
    expect(contentHash({ ...base, title: 'TB', body: '' })).not.toBe(contentHash({ ...base, title: 'T', body: 'B' }));
    // pinned so a change of canonical form, which would void every stored acceptance, is noticed
    expect(hash).toMatchInlineSnapshot(`"b65a2f9a9b2167d566193d9656d18926983c6c84e947eb6f53b7cc031a9dfd50"`);
  });

  it('statusOf works on plain facts', () => {
    const facts = { title: 'T', body: 'B', category: 'honesty' as const, reviewOn: null, revisitRequestedAt: null };
    const hash = contentHash(facts);
    expect(statusOf({ ...facts, acceptances: { A: { hash, at: 1 }, B: { hash, at: 2 } } }, TODAY).state).toBe('agreed');
    expect(statusOf({ ...facts, acceptances: { A: { hash: 'old', at: 1 } } }, TODAY).state).toBe('changed-since-agreed');
  });

  it('editors bind to the fragments of an agreement', () => {
    const { doc, id } = docWithOne();
    const fragments = agreementFragments(doc, id);
    expect(fragments?.title.toString()).toBe('<paragraph>Time-outs are allowed</paragraph>');
    expect(plainText(fragments!.body)).toBe('We say when we will be back.');
  });

  it('reads malformed entries written by a stray client without throwing', () => {
    const doc = new Y.Doc();
    const array = doc.getArray<unknown>('agreements');
    array.push(['not a map', 42]);
    const odd = new Y.Map<unknown>();
    array.push([odd]);
    odd.set('id', 'odd');
    odd.set('category', 'unknown');
    odd.set('acceptances', 'nope');
    const views = readAgreements(doc, { today: TODAY });
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ id: 'odd', title: '', category: 'other', state: 'draft', proposedBy: null });
  });
});

describe('two devices editing at once', () => {
  function pair(): { a: Y.Doc; b: Y.Doc; sync: () => void } {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const sync = () => {
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
      Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
    };
    return { a, b, sync };
  }

  it('concurrent additions and edits converge', () => {
    const { a, b, sync } = pair();
    const id = addAgreement(a, { id: 'x', title: 'Shared', body: 'start', category: 'honesty', proposedBy: alex, now: T0 });
    sync();
    addAgreement(a, { id: 'from-a', title: 'A idea', category: 'other', proposedBy: alex, now: T0 });
    addAgreement(b, { id: 'from-b', title: 'B idea', category: 'other', proposedBy: { seat: 'B', name: 'Bo' }, now: T0 });
    (agreementFragments(a, id)!.body.get(0) as Y.XmlElement).insert(1, [new Y.XmlText(' from A')]);
    setCategory(b, id, 'boundaries');
    sync();
    expect(readAgreements(a, { today: TODAY })).toEqual(readAgreements(b, { today: TODAY }));
    expect(readAgreements(a, { today: TODAY }).map((v) => v.id).sort()).toEqual(['from-a', 'from-b', 'x']);
    expect(readAgreement(a, id, { today: TODAY })?.category).toBe('boundaries');
  });

  it('acceptances given on two devices add up to agreed', () => {
    const { a, b, sync } = pair();
    const id = addAgreement(a, { title: 'Shared', category: 'honesty', proposedBy: alex, now: T0 });
    sync();
    accept(a, id, 'A', T0 + 1);
    accept(b, id, 'B', T0 + 2);
    sync();
    expect(readAgreement(a, id, { today: TODAY })?.state).toBe('agreed');
    expect(readAgreement(b, id, { today: TODAY })?.state).toBe('agreed');
  });

  it('an acceptance given while the other device was editing does not count for the new text', () => {
    const { a, b, sync } = pair();
    const id = addAgreement(a, { title: 'Shared', body: 'old words', category: 'honesty', proposedBy: alex, now: T0 });
    accept(a, id, 'A', T0 + 1);
    sync();
    accept(b, id, 'B', T0 + 2);
    setAgreementText(a, id, 'body', 'new words');
    sync();
    for (const doc of [a, b]) {
      const view = readAgreement(doc, id, { today: TODAY });
      expect(view?.body).toBe('new words');
      expect(view?.state).toBe('changed-since-agreed');
      expect(view?.acceptedCurrent).toEqual({ A: false, B: false });
    }
    accept(a, id, 'A', T0 + 3);
    accept(b, id, 'B', T0 + 3);
    sync();
    expect(readAgreement(b, id, { today: TODAY })?.state).toBe('agreed');
  });
});
