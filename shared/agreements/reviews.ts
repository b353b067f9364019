import type { AgreementRecordsView } from '../protocol/agreements';
import type { Draft } from './model';

/** An agreement whose review date has come: what "Time to look again at: …" names. */
export interface DueReview {
  agreementId: string;
  /** the words in force if both agreed, else the draft's; never empty */
  title: string;
  /** YYYY-MM-DD */
  reviewOn: string;
}

/**
 * [RV1] A review is due from its day on: `reviewOn` (YYYY-MM-DD) on or before `today`
 * (YYYY-MM-DD, the date of the clock that decides: the server's for the room's first screen).
 * Both are ISO days, so comparing them as text compares them as days.
 */
export function isReviewDue(reviewOn: string | null, today: string): boolean {
  return reviewOn !== null && reviewOn <= today;
}

/**
 * [RV2] The agreements to look at again, soonest-due first (document order among the same day):
 * every draft whose review day has come, named by the words both agreed when a commitment is in
 * force; a review stops being due once someone moves the date on or clears it. [RV3] An empty
 * room, or one whose dates are all still to come, has nothing due.
 */
export function dueReviews(drafts: readonly Draft[], records: Pick<AgreementRecordsView, 'commitments'>, today: string): DueReview[] {
  const due: DueReview[] = [];
  for (const draft of drafts) {
    if (!isReviewDue(draft.reviewOn, today) || draft.reviewOn === null) continue;
    const agreed = records.commitments.find((c) => c.agreementId === draft.id);
    const title = (agreed?.title ?? draft.title).trim() || 'Untitled agreement';
    due.push({ agreementId: draft.id, title, reviewOn: draft.reviewOn });
  }
  // Array.prototype.sort is stable: the same day keeps document order
  return due.sort((a, b) => (a.reviewOn < b.reviewOn ? -1 : a.reviewOn > b.reviewOn ? 1 : 0));
}
