import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { AppError, type ErrorCode } from '../protocol/errors';
import type { AgreementRecordsView } from '../protocol/agreements';
import type { SeatId } from '../protocol/rooms';
import { contentHash } from './hash';
import { addAgreement, readDrafts, removeAgreement, setAgreementText, type Draft } from './model';
import {
  HISTORY_KEPT,
  VERSIONS_KEPT,
  VERSION_CHARS_KEPT,
  acceptAgreement,
  addVersion,
  agreementViews,
  clearReview,
  emptyRecords,
  readAgreements,
  recordProvenance,
  requestReview,
  snapshotVersion,
  summaryOf,
  withdrawAgreement,
} from './records';
import { diffVersions, snapshotOfView } from './versions';

const TODAY = '2026-03-10';
const draft = (overrides: Partial<Draft> = {}): Draft => ({
  id: 'a1',
  title: 'Phones away at dinner',
  body: 'Both of us, every evening.',
  category: 'time-together',
  reviewOn: null,
  ...overrides,
});

let counter = 0;
function accept(records: AgreementRecordsView, seat: SeatId, now: number, words: Draft | null = draft()) {
  return acceptAgreement(records, { agreementId: 'a1', seat, draft: words, now, commitmentId: `c${++counter}` });
}
function withdraw(records: AgreementRecordsView, seat: SeatId, now: number, draftExists = true) {
  return withdrawAgreement(records, { agreementId: 'a1', seat, draftExists, now });
}
function codeOf(run: () => unknown): ErrorCode | null {
  try {
    run();
    return null;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}
function view(records: AgreementRecordsView, words: Draft = draft()) {
  const [first] = agreementViews([words], records, TODAY);
  if (!first) throw new Error('no view');
  return first;
}
function agreed(): AgreementRecordsView {
  return accept(accept(emptyRecords(), 'A', 10).records, 'B', 20).records;
}

describe('agreement records', () => {
  it.each([
    { rule: 'AR1', what: 'a counsellor cannot accept', run: () => accept(emptyRecords(), 'counsellor', 1), code: 'FORBIDDEN' },
    { rule: 'AR1', what: 'a counsellor cannot withdraw', run: () => withdraw(agreed(), 'counsellor', 1), code: 'FORBIDDEN' },
    { rule: 'AR7', what: 'accepting a draft that is not there', run: () => accept(emptyRecords(), 'A', 1, null), code: 'AGREEMENT_NOT_FOUND' },
    { rule: 'AR7', what: 'withdrawing an unknown agreement', run: () => withdraw(emptyRecords(), 'A', 1, false), code: 'AGREEMENT_NOT_FOUND' },
    {
      rule: 'AR7',
      what: 'asking to review an unknown agreement',
      run: () => requestReview(emptyRecords(), { agreementId: 'zz', seat: 'A', draftExists: false, now: 1 }),
      code: 'AGREEMENT_NOT_FOUND',
    },
    { rule: 'AR3', what: 'withdrawing with nothing accepted', run: () => withdraw(emptyRecords(), 'A', 1), code: 'NOTHING_TO_WITHDRAW' },
    { rule: 'AR3', what: 'asking twice to withdraw a commitment', run: () => withdraw(withdraw(agreed(), 'A', 30).records, 'A', 31), code: 'NOTHING_TO_WITHDRAW' },
  ])('[$rule] refuses: $what', ({ run, code }) => {
    expect(codeOf(run)).toBe(code);
  });

  it('[AR1] an acceptance is the seat’s own, of the words given, and accepting again replaces it', () => {
    const first = accept(emptyRecords(), 'A', 5);
    expect(first.acceptance).toEqual({ agreementId: 'a1', seat: 'A', hash: contentHash(draft()), at: 5 });
    expect(first.commitment).toBeNull();
    const again = accept(first.records, 'A', 6, draft({ title: 'Phones away' }));
    expect(again.records.acceptances).toEqual([{ agreementId: 'a1', seat: 'A', hash: contentHash(draft({ title: 'Phones away' })), at: 6 }]);
  });

  it('[AR2] two acceptances of the same words become a commitment, and the acceptances go', () => {
    const a = accept(emptyRecords(), 'A', 10);
    const b = accept(a.records, 'B', 20);
    expect(b.commitment).toMatchObject({ agreementId: 'a1', title: draft().title, body: draft().body, acceptedAt: { A: 10, B: 20 }, agreedAt: 20 });
    expect(b.records.acceptances).toEqual([]);
    expect(b.records.commitments).toEqual([b.commitment]);
  });

  it('[AR2] two acceptances of different words make no commitment', () => {
    const a = accept(emptyRecords(), 'A', 10);
    const b = accept(a.records, 'B', 20, draft({ body: 'Only on weekdays.' }));
    expect(b.commitment).toBeNull();
    expect(b.records.acceptances).toHaveLength(2);
    expect(view(b.records, draft({ body: 'Only on weekdays.' })).state).toBe('agreed-by-B');
  });

  it('[AR2] new words accepted by both replace the commitment; the old one goes to the history', () => {
    const old = agreed();
    const changed = draft({ body: 'Weekdays only.' });
    const next = accept(accept(old, 'B', 30, changed).records, 'A', 40, changed);
    expect(next.records.commitments).toHaveLength(1);
    expect(next.records.commitments[0]).toMatchObject({ body: 'Weekdays only.', acceptedAt: { A: 40, B: 30 } });
    expect(next.records.history).toEqual([{ ...old.commitments[0], endedAt: 40, endedBy: 'replaced' }]);
  });

  it('[AR2] one partner accepting new words leaves the commitment in force, unchanged, until the other does', () => {
    const old = agreed();
    const changed = draft({ body: 'Weekdays only.' });
    const one = accept(old, 'B', 30, changed);
    expect(one.commitment).toBeNull();
    expect(one.records.commitments).toEqual(old.commitments);
    expect(one.records.history).toEqual([]);
    expect(view(one.records, changed)).toMatchObject({ state: 'changed-since-agreed', commitment: old.commitments[0] });
  });

  it('[AR2][AR3] the history keeps every ended commitment of an agreement, oldest first, with its words as agreed', () => {
    const first = agreed();
    const second = draft({ body: 'Weekdays only.' });
    const replaced = accept(accept(first, 'A', 30, second).records, 'B', 31, second).records;
    const ended = withdraw(withdraw(replaced, 'B', 40).records, 'A', 41).records;
    expect(ended.commitments).toEqual([]);
    expect(ended.history.map((h) => [h.body, h.endedBy, h.endedAt])).toEqual([
      [first.commitments[0]!.body, 'replaced', 31],
      ['Weekdays only.', 'withdrawn', 41],
    ]);
    // the draft stays, with its history, as words no longer in force
    expect(view(ended, second)).toMatchObject({ state: 'draft', commitment: null, history: ended.history });
  });

  it('[AR3] withdrawing takes back a pending acceptance first', () => {
    const a = accept(emptyRecords(), 'A', 10);
    const w = withdraw(a.records, 'A', 11);
    expect(w).toEqual({ records: emptyRecords(), ended: false });
  });

  it('[AR3] a commitment ends as withdrawn only once both have asked', () => {
    const start = agreed();
    const one = withdraw(start, 'A', 30);
    expect(one.ended).toBe(false);
    expect(one.records.commitments).toHaveLength(1);
    expect(view(one.records).withdrawalRequested).toEqual({ A: true, B: false });
    const both = withdraw(one.records, 'B', 31);
    expect(both.ended).toBe(true);
    expect(both.records.commitments).toEqual([]);
    expect(both.records.withdrawals).toEqual([]);
    expect(both.records.history).toEqual([{ ...start.commitments[0], endedAt: 31, endedBy: 'withdrawn' }]);
  });

  it('[AR3] accepting takes back one’s own request to withdraw', () => {
    const asked = withdraw(agreed(), 'A', 30).records;
    expect(accept(asked, 'A', 31).records.withdrawals).toEqual([]);
  });

  it('[AR3] taking back a request to withdraw leaves nothing pending, so asking again works at once', () => {
    const kept = accept(withdraw(agreed(), 'A', 30).records, 'A', 31).records;
    expect(kept.acceptances).toEqual([]);
    expect(withdraw(kept, 'A', 32).records.withdrawals).toEqual([{ agreementId: 'a1', seat: 'A', at: 32 }]);
  });

  it('[AR3] the commitment of a deleted draft can still be withdrawn', () => {
    const one = withdraw(agreed(), 'A', 30, false);
    expect(withdraw(one.records, 'B', 31, false).ended).toBe(true);
  });

  it('[AR4] who proposed a draft is written once', () => {
    const once = recordProvenance(emptyRecords(), { agreementId: 'a1', seat: 'A', name: 'Sam', at: 1 });
    const twice = recordProvenance(once, { agreementId: 'a1', seat: 'B', name: 'Kim', at: 2 });
    expect(twice.provenance).toEqual([{ agreementId: 'a1', seat: 'A', name: 'Sam', at: 1 }]);
    expect(view(twice)).toMatchObject({ proposedBy: { seat: 'A', name: 'Sam' }, proposedAt: 1, fromSession: null });
  });

  it('[AR4] a session’s proposal keeps the session it came from', () => {
    const records = recordProvenance(emptyRecords(), { agreementId: 'a1', seat: 'B', name: 'Alex', at: 5, session: { startedAt: 2 } });
    expect(view(records)).toMatchObject({ proposedBy: { seat: 'B', name: 'Alex' }, proposedAt: 5, fromSession: { startedAt: 2 } });
  });

  it('[AR5] a review request is one per agreement, cleared on request, settled by both accepting after it', () => {
    const base = accept(emptyRecords(), 'A', 10).records;
    const asked = requestReview(base, { agreementId: 'a1', seat: 'counsellor', draftExists: true, now: 15 });
    const again = requestReview(asked, { agreementId: 'a1', seat: 'B', draftExists: true, now: 16 });
    expect(again.reviews).toEqual([{ agreementId: 'a1', seat: 'B', at: 16 }]);
    expect(clearReview(again, { agreementId: 'a1', draftExists: true }).reviews).toEqual([]);
    const cleared = clearReview(again, { agreementId: 'a1', draftExists: true });
    // clearing again changes nothing, so the server stores and sends nothing
    expect(clearReview(cleared, { agreementId: 'a1', draftExists: true })).toBe(cleared);
    // A accepted before the request: B's acceptance alone does not settle it
    const notSettled = accept(again, 'B', 20).records;
    expect(view(notSettled).reviewRequest).toEqual({ agreementId: 'a1', seat: 'B', at: 16 });
    const settled = accept(accept(notSettled, 'A', 30).records, 'B', 31).records;
    expect(view(settled).reviewRequest).toBeNull();
  });

  it('[AR6] versions and history keep the newest only', () => {
    let records = emptyRecords();
    const dropped: string[] = [];
    for (let i = 0; i < VERSIONS_KEPT + 3; i++) {
      const added = addVersion(records, summaryOf(snapshotVersion(records, { id: `v${i}`, name: `n${i}`, at: i, by: { seat: 'A', name: 'Sam' }, drafts: [draft()] })));
      records = added.records;
      dropped.push(...added.dropped);
    }
    expect(records.versions).toHaveLength(VERSIONS_KEPT);
    expect(records.versions[0]?.id).toBe('v3');
    // the caller deletes the snapshots of the versions no longer kept
    expect(dropped).toEqual(['v0', 'v1', 'v2']);
    // the record holds summaries, never the snapshots' words
    expect(records.versions[0]).toEqual({ id: 'v3', name: 'n3', at: 3, by: { seat: 'A', name: 'Sam' }, count: 1, chars: expect.any(Number) });
    const long = draft({ body: 'x'.repeat(3900) });
    let big = emptyRecords();
    let snapshotChars = 0;
    for (let i = 0; i < 40; i++) {
      const version = snapshotVersion(big, { id: `b${i}`, name: 'n', at: i, by: { seat: 'A', name: 'Sam' }, drafts: Array.from({ length: 30 }, (_, j) => ({ ...long, id: `d${j}` })) });
      snapshotChars = JSON.stringify(version).length;
      big = addVersion(big, summaryOf(version)).records;
    }
    expect(big.versions.reduce((sum, v) => sum + v.chars, 0)).toBeLessThanOrEqual(VERSION_CHARS_KEPT);
    expect(big.versions.at(-1)).toMatchObject({ id: 'b39', chars: snapshotChars });
    expect(big.versions.length).toBeLessThan(40);
    expect(JSON.stringify(big).length).toBeLessThan(16_000);
    let cycled = agreed();
    for (let i = 0; i < HISTORY_KEPT + 2; i++) {
      const words = draft({ body: `round ${i}` });
      cycled = accept(accept(cycled, 'A', 100 + i, words).records, 'B', 100 + i, words).records;
    }
    expect(cycled.history).toHaveLength(HISTORY_KEPT);
  });

  it('[AR6] a version holds the server’s drafts with the commitment in force for each', () => {
    const records = agreed();
    const version = snapshotVersion(records, { id: 'v', name: 'March', at: 50, by: { seat: 'B', name: 'Kim' }, drafts: [draft(), draft({ id: 'a2' })] });
    expect(version.agreements.map((a) => a.commitment?.agreementId ?? null)).toEqual(['a1', null]);
    const now = agreementViews([draft({ body: 'changed' }), draft({ id: 'a2' })], records, TODAY).map(snapshotOfView);
    expect(diffVersions(version, now).changed).toMatchObject([{ id: 'a1', changes: [{ field: 'body' }, { field: 'status', before: 'agreed', after: 'changed-since-agreed' }] }]);
  });
});

describe('agreement view', () => {
  it.each([
    { rule: 'AR2', what: 'nothing accepted', records: () => emptyRecords(), words: draft(), state: 'draft', current: { A: false, B: false }, changed: false },
    { rule: 'AR1', what: 'A accepted these words', records: () => accept(emptyRecords(), 'A', 1).records, words: draft(), state: 'agreed-by-A', current: { A: true, B: false }, changed: false },
    { rule: 'AR1', what: 'A accepted other words', records: () => accept(emptyRecords(), 'A', 1).records, words: draft({ title: 'x' }), state: 'draft', current: { A: false, B: false }, changed: false },
    { rule: 'AR2', what: 'both agreed these words', records: agreed, words: draft(), state: 'agreed', current: { A: true, B: true }, changed: false },
    { rule: 'AR2', what: 'a space changed since (normalised)', records: agreed, words: draft({ body: 'Both of us,  every evening. ' }), state: 'agreed', current: { A: true, B: true }, changed: false },
    { rule: 'AR2', what: 'the words changed since both agreed', records: agreed, words: draft({ body: 'Weekends.' }), state: 'changed-since-agreed', current: { A: false, B: false }, changed: true },
    {
      rule: 'AR2',
      what: 'changed since, B accepted the new words',
      records: () => accept(agreed(), 'B', 30, draft({ body: 'Weekends.' })).records,
      words: draft({ body: 'Weekends.' }),
      state: 'changed-since-agreed',
      current: { A: false, B: true },
      changed: true,
    },
  ])('[$rule] $what -> $state', ({ records, words, state, current, changed }) => {
    const v = view(records(), words);
    expect(v.state).toBe(state);
    expect(v.acceptedCurrent).toEqual(current);
    expect(v.changedSinceAgreed).toBe(changed);
    expect(v.commitment === null).toBe(state !== 'agreed' && state !== 'changed-since-agreed');
  });

  it('[AR7] a commitment whose draft was deleted is still shown, with its agreed words', () => {
    const doc = new Y.Doc();
    addAgreement(doc, { id: 'a1', title: draft().title, body: draft().body, category: 'time-together' });
    const [words] = readDrafts(doc);
    const records = accept(accept(emptyRecords(), 'A', 1, words).records, 'B', 2, words).records;
    setAgreementText(doc, 'a1', 'title', 'Edited later');
    expect(readAgreements(doc, records, TODAY)[0]).toMatchObject({ title: 'Edited later', state: 'changed-since-agreed', inDocument: true });
    removeAgreement(doc, 'a1');
    expect(readAgreements(doc, records, TODAY)).toMatchObject([{ id: 'a1', title: draft().title, state: 'agreed', inDocument: false }]);
  });

  it('review due is decided by the day', () => {
    expect(view(emptyRecords(), draft({ reviewOn: TODAY })).reviewDue).toBe(true);
    expect(view(emptyRecords(), draft({ reviewOn: '2026-03-11' })).reviewDue).toBe(false);
  });
});
