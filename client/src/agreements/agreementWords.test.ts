import { describe, expect, it } from 'vitest';
import { agreementViews, contentHash, emptyRecords, type Draft } from '../../../shared/agreements';
import type { AgreementRecordsView } from '../../../shared/protocol/agreements';
import type { RoomView, SeatId } from '../../../shared/protocol/rooms';
import { newWordsText, statusText, withdrawalText, type Reader } from './agreementWords';

const room = {
  roomId: 'r',
  mode: 'couple',
  seats: [
    { seat: 'A', displayName: 'Sam', presence: 'here' },
    { seat: 'B', displayName: 'Alex', presence: 'here' },
  ],
  pendingInvites: [],
  codes: [],
  history: [],
  refusable: [],
  expiresAt: 0,
} as unknown as RoomView;
const as = (you: SeatId | null): Reader => ({ room, you });
const draft: Draft = { id: 'x', title: 'We walk', body: 'On Sundays.', category: 'time-together', reviewOn: null };
const hash = contentHash(draft);
const view = (records: Partial<AgreementRecordsView>, words: Draft = draft) =>
  agreementViews([words], { ...emptyRecords(), ...records }, '2026-12-01')[0]!;

describe('the words of an agreement, for the person reading', () => {
  it('says whose agreement is still needed: you, or the partner by name', () => {
    const samAgreed = view({ acceptances: [{ agreementId: 'x', seat: 'A', hash, at: 1 }] });
    expect(statusText(samAgreed, as('A'))).toBe('You agreed · Alex has not yet');
    expect(statusText(samAgreed, as('B'))).toBe('Sam agreed · agree too when you are ready');
    expect(statusText(samAgreed, as('counsellor'))).toBe('Sam agreed · Alex has not yet');
    expect(statusText(view({}), as('A'))).toBe('Proposed, not agreed yet');
  });

  it('names both partners for a commitment, and says when the draft has changed since', () => {
    const agreedAt = new Date(new Date().getFullYear(), 11, 1, 12).getTime();
    const { title, body, category } = draft;
    const commitment = { id: 'c', agreementId: 'x', title, body, category, hash, acceptedAt: { A: agreedAt, B: agreedAt }, agreedAt };
    expect(statusText(view({ commitments: [commitment] }), as('B'))).toMatch(/^Agreed by Sam and Alex on (1 December|December 1)$/);
    const changed = view({ commitments: [commitment] }, { ...draft, body: 'On Saturdays.' });
    expect(statusText(changed, as('A'))).toBe('Changed since you both agreed');
    expect(statusText(changed, as('counsellor'))).toBe('Changed since Sam and Alex agreed');
    expect(newWordsText(changed, as('A'))).toBe('Neither of you has agreed to the new words yet.');
    const alexAgreedNew = view(
      { commitments: [commitment], acceptances: [{ agreementId: 'x', seat: 'B', hash: contentHash({ ...draft, body: 'On Saturdays.' }), at: 2 }] },
      { ...draft, body: 'On Saturdays.' },
    );
    expect(newWordsText(alexAgreedNew, as('A'))).toBe('Alex agreed to the new words · agree too when you are ready');
    // the partner who agreed to new words is the one proposing them
    expect(statusText(alexAgreedNew, as('A'))).toBe('Alex proposes a change');
    expect(statusText(alexAgreedNew, as('B'))).toBe('You propose a change · Sam has not agreed yet');
    expect(statusText(alexAgreedNew, as('counsellor'))).toBe('Alex proposes a change');
  });

  it('says an agreement both ended is ended, not a new proposal', () => {
    const endedAt = new Date(new Date().getFullYear(), 11, 1, 12).getTime();
    const { title, body, category } = draft;
    const ended = { id: 'c', agreementId: 'x', title, body, category, hash, acceptedAt: { A: 1, B: 1 }, agreedAt: 1, endedAt, endedBy: 'withdrawn' as const };
    expect(statusText(view({ history: [ended] }), as('A'))).toMatch(/^Ended by you both on (1 December|December 1) · not in force$/);
    expect(statusText(view({ history: [ended] }), as(null))).toMatch(/^Ended by Sam and Alex on/);
    // replaced words are history too, but a draft after them is a proposal like any other
    expect(statusText(view({ history: [{ ...ended, endedBy: 'replaced' }] }), as('A'))).toBe('Proposed, not agreed yet');
  });

  it('tells each partner where a withdrawal stands', () => {
    const asked = view({ withdrawals: [{ agreementId: 'x', seat: 'B', at: 1 }] });
    expect(withdrawalText(asked, as('B'))).toBe('You asked to end this agreement. It ends once Sam asks too.');
    expect(withdrawalText(asked, as('A'))).toBe('Alex asked to end this agreement. If you ask too, it ends for both of you.');
    expect(withdrawalText(asked, as('counsellor'))).toBe('Alex asked to end this agreement. It ends once Sam asks too.');
    expect(withdrawalText(view({}), as('A'))).toBeNull();
  });
});
