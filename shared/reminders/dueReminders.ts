import { NEUTRAL_REMINDER, type ReminderKind, type ReminderPushPayload, type ReminderShow } from '../protocol/reminders';

/** One reminder a source says is due for a seat: `key` names it for good (the same reminder always has the same key). */
export interface DueReminder {
  kind: ReminderKind;
  /** stable and unique within the seat, e.g. `review:<agreementId>:<reviewOn>`; at most 200 characters */
  key: string;
  /** when it became due, ms */
  dueAt: number;
  /** the words a device that chose details sees; never shown otherwise */
  details: string;
}

/**
 * [RM1] A reminder is sent from its due time until LATE_WINDOW_MS after it: a node that was down
 * overnight still sends the morning's reminders when it comes back; one down for days does not
 * send stale ones all at once.
 */
export const LATE_WINDOW_MS = 36 * 60 * 60 * 1000;

/** [RM6] A claim is forgotten a day after its reminder stopped being sendable: it can never be sent again by then. */
export const CLAIM_KEEP_MS = LATE_WINDOW_MS + 24 * 60 * 60 * 1000;

/** [RM4] A review reminder comes at this hour (by the server's clock) of the review day, not at midnight. */
export const REVIEW_REMINDER_HOUR = 9;

/**
 * [RM1][RM2] What to send a device now: the due reminders of the kinds it chose, due already
 * and not older than the late window, each key once (soonest due first).
 */
export function sendableNow(due: readonly DueReminder[], kinds: readonly ReminderKind[], now: number): DueReminder[] {
  const chosen = new Set(kinds);
  const seen = new Set<string>();
  return due
    .filter((r) => chosen.has(r.kind) && r.dueAt <= now && now - r.dueAt < LATE_WINDOW_MS)
    .sort((a, b) => a.dueAt - b.dueAt)
    .filter((r) => (seen.has(r.key) ? false : (seen.add(r.key), true)));
}

/**
 * [RM3] The notification's words: neutral ("Common Ground" / "A reminder") unless the device
 * chose details, so a lock screen shows nothing about the room, the partner or an agreement.
 * Neutral reminders share one tag, so several due at once show as one.
 */
export function reminderPayload(reminder: DueReminder, show: ReminderShow, roomId: string): ReminderPushPayload {
  const url = `/room/${roomId}`;
  if (show === 'neutral') return { ...NEUTRAL_REMINDER, url, tag: 'common-ground-reminder' };
  return { title: NEUTRAL_REMINDER.title, body: reminder.details, url, tag: `common-ground-${reminder.key}`.slice(0, 120) };
}

/** [RM4] The review day's reminder time, ms, in the zone of the clock that decides (the server's). */
export function reviewDueAt(reviewOn: string): number {
  const [y, m, d] = reviewOn.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, REVIEW_REMINDER_HOUR).getTime();
}

/** Words for a title inside a detailed notification: one line, not too long. */
export function shortTitle(title: string, max = 80): string {
  const line = title.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
