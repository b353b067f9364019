import { describe, expect, it } from 'vitest';
import type { Commitment } from '../protocol/agreements';
import type { Draft } from './model';
import { dueReviews, isReviewDue } from './reviews';

const draft = (id: string, title: string, reviewOn: string | null): Draft => ({ id, title, body: '', category: 'other', reviewOn });
const commitment = (agreementId: string, title: string): Commitment => ({
  id: `c-${agreementId}`,
  agreementId,
  title,
  body: '',
  category: 'other',
  hash: 'h',
  acceptedAt: { A: 1, B: 1 },
  agreedAt: 1,
});

describe('review dates', () => {
  it('[RV1] a review is due on its day and after, not before, and never without a date', () => {
    expect(isReviewDue('2026-12-01', '2026-12-01')).toBe(true);
    expect(isReviewDue('2026-11-30', '2026-12-01')).toBe(true);
    expect(isReviewDue('2026-12-02', '2026-12-01')).toBe(false);
    // a new year is later as text too
    expect(isReviewDue('2026-12-31', '2027-01-01')).toBe(true);
    expect(isReviewDue(null, '2026-12-01')).toBe(false);
  });

  it('[RV2] lists the due agreements soonest first, by the words both agreed when in force', () => {
    const drafts = [
      draft('a', 'Phones and passwords (new words)', '2026-12-01'),
      draft('b', 'Sunday walks', '2026-11-15'),
      draft('c', 'Money talk', '2026-12-24'),
      draft('d', 'No date', null),
      draft('e', '   ', '2026-12-01'),
    ];
    const due = dueReviews(drafts, { commitments: [commitment('a', 'Phones and passwords')] }, '2026-12-01');
    expect(due).toEqual([
      { agreementId: 'b', title: 'Sunday walks', reviewOn: '2026-11-15' },
      { agreementId: 'a', title: 'Phones and passwords', reviewOn: '2026-12-01' },
      { agreementId: 'e', title: 'Untitled agreement', reviewOn: '2026-12-01' },
    ]);
  });

  it('[RV3] nothing is due in an empty room or before the first date', () => {
    expect(dueReviews([], { commitments: [] }, '2026-12-01')).toEqual([]);
    expect(dueReviews([draft('c', 'Money talk', '2026-12-24')], { commitments: [] }, '2026-12-01')).toEqual([]);
  });
});
