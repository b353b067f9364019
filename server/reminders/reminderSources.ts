import { reviewDueAt, shortTitle, type DueReminder } from '../../shared/reminders/dueReminders';
import type { PartnerSeat } from '../../shared/protocol/identity';
import type { ReminderKind } from '../../shared/protocol/reminders';
import { checkInsDueAt } from '../../shared/checkIns/view';
import { emptyCheckIns, type CheckInState } from '../../shared/checkIns/model';
import type { AgreementRecordsService } from '../agreements/agreementRecordsService';
import type { TurnStore } from '../storage/types';

/**
 * Where reminders come from: each source answers, for one seat of one room, what is due (it may
 * include what is not due yet or long past: the scheduler keeps what is sendable now). A source
 * is asked once per room and seat per tick, only for rooms with a subscribed device.
 */
export interface ReminderSource {
  kind: ReminderKind;
  due(roomId: string, seat: PartnerSeat, now: number): Promise<DueReminder[]>;
}

/** [RM4] A review date has come: due at the review hour of its day, named by the agreement's words for details. */
export function reviewReminders(records: Pick<AgreementRecordsService, 'dueReviews'>): ReminderSource {
  return {
    kind: 'reviews',
    async due(roomId) {
      return (await records.dueReviews(roomId)).map((review) => ({
        kind: 'reviews',
        // a date moved on is a new reminder; the same date is the same one
        key: `review:${review.agreementId}:${review.reviewOn}`,
        dueAt: reviewDueAt(review.reviewOn),
        details: `Time to look again at: ${shortTitle(review.title)}`,
      }));
    },
  };
}

/** What the check-ins' rules say is due for a seat (shared/checkIns: checkInsDueAt), as this room's state gives it. */
export type CheckInsDue = (roomId: string, seat: PartnerSeat, now: number) => Promise<{ key: string; dueAt: number; commitmentId: string }[]>;

/**
 * A check-in is due on a commitment. `kind` tells it apart from the couple's weekly check-in
 * time, which comes from the same rules with its own kind.
 */
export function checkInReminders(
  due: CheckInsDue,
  titleOf: (roomId: string, commitmentId: string) => Promise<string | null>,
  kind: Extract<ReminderKind, 'checkIns' | 'weeklyCheckIn'> = 'checkIns',
): ReminderSource {
  return {
    kind,
    async due(roomId, seat, now) {
      const items = await due(roomId, seat, now);
      return Promise.all(
        items.map(async (item) => {
          const title = await titleOf(roomId, item.commitmentId);
          return {
            kind,
            key: `${kind}:${item.key}`,
            dueAt: item.dueAt,
            details: kind === 'weeklyCheckIn' ? 'Time for your weekly check-in' : title ? `Time to check in on: ${shortTitle(title)}` : 'A check-in is due',
          };
        }),
      );
    },
  };
}

/**
 * [CI-11] The check-ins a seat still has to answer, read from the check-ins' own store and the
 * commitments in force (a commitment withdrawn since has none due), for checkInReminders.
 */
export function checkInsFromStore(store: Pick<TurnStore, 'get'>, agreements: Pick<AgreementRecordsService, 'get'>): {
  due: CheckInsDue;
  titleOf: (roomId: string, commitmentId: string) => Promise<string | null>;
} {
  return {
    async due(roomId, seat, now) {
      const state = (await store.get<CheckInState>(roomId))?.state ?? emptyCheckIns();
      if (Object.keys(state.rhythms).length === 0) return [];
      const inForce = new Set((await agreements.get(roomId)).commitments.map((c) => c.id));
      return checkInsDueAt(state, seat, now, inForce);
    },
    async titleOf(roomId, commitmentId) {
      return (await agreements.get(roomId)).commitments.find((c) => c.id === commitmentId)?.title ?? null;
    },
  };
}
