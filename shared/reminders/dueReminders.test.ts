import { describe, expect, it } from 'vitest';
import { LATE_WINDOW_MS, reminderPayload, reviewDueAt, sendableNow, shortTitle, type DueReminder } from './dueReminders';

const H = 60 * 60 * 1000;
const at = new Date(2026, 11, 7, 9).getTime();
const r = (key: string, dueAt: number, kind: DueReminder['kind'] = 'reviews'): DueReminder => ({ kind, key, dueAt, details: `about ${key}` });

describe('what is sendable now', () => {
  it('[RM1] from its due time until the late window is over, not before, not after', () => {
    const due = [r('k', at)];
    expect(sendableNow(due, ['reviews'], at - 1)).toEqual([]);
    expect(sendableNow(due, ['reviews'], at)).toEqual(due);
    expect(sendableNow(due, ['reviews'], at + LATE_WINDOW_MS - 1)).toEqual(due);
    expect(sendableNow(due, ['reviews'], at + LATE_WINDOW_MS)).toEqual([]);
  });

  it('[RM2] only the kinds the device chose, each key once, soonest first', () => {
    const due = [r('b', at + H), r('a', at), r('c', at, 'checkIns'), r('a', at)];
    expect(sendableNow(due, ['reviews'], at + 2 * H).map((x) => x.key)).toEqual(['a', 'b']);
    expect(sendableNow(due, ['checkIns', 'weeklyCheckIn'], at + 2 * H).map((x) => x.key)).toEqual(['c']);
    expect(sendableNow(due, [], at + 2 * H)).toEqual([]);
  });
});

describe('[RM3] the words a notification carries', () => {
  it('neutral names nothing: not the reminder, not the room', () => {
    expect(reminderPayload(r('review:x:2026-12-07', at), 'neutral', 'room1')).toEqual({
      title: 'Common Ground',
      body: 'A reminder',
      url: '/room/room1',
      tag: 'common-ground-reminder',
    });
  });
  it('details, when the device chose them, say what is due', () => {
    expect(reminderPayload(r('review:x:2026-12-07', at), 'details', 'room1')).toEqual({
      title: 'Common Ground',
      body: 'about review:x:2026-12-07',
      url: '/room/room1',
      tag: 'common-ground-review:x:2026-12-07',
    });
  });
  it('a long title is cut to one short line', () => {
    expect(shortTitle('  We   walk\nbefore we talk ')).toBe('We walk before we talk');
    expect(shortTitle('x'.repeat(100))).toHaveLength(80);
  });
});

describe('[RM4] a review reminder comes at the review hour of its day', () => {
  it('09:00 on the day, in the server clock zone', () => {
    const due = new Date(reviewDueAt('2026-03-29'));
    expect([due.getFullYear(), due.getMonth(), due.getDate(), due.getHours(), due.getMinutes()]).toEqual([2026, 2, 29, 9, 0]);
  });
});
