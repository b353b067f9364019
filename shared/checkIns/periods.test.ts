import { describe, expect, it } from 'vitest';
import type { Rhythm } from './model';
import { openPeriods, periodAt, periodOfKey, recentPeriods } from './periods';
import { localDay, startOfDay, zonedTime } from './zonedTime';

const H = 3_600_000;
const weekly = (timeZone: string, weekday: Rhythm['weekday'] = 'sunday'): Rhythm => ({ kind: 'weekly', weekday, timeZone, setBy: 'A', setAt: 0 });
const daily = (timeZone: string): Rhythm => ({ kind: 'daily', weekday: null, timeZone, setBy: 'A', setAt: 0 });

describe('zoned time', () => {
  it('[CI-02] a calendar day is the zone\'s: 23:30 UTC is already the next day in Berlin, still the same in New York', () => {
    const t = Date.UTC(2026, 5, 10, 23, 30);
    expect(localDay(t, 'Europe/Berlin')).toBe('2026-06-11');
    expect(localDay(t, 'America/New_York')).toBe('2026-06-10');
    expect(localDay(t, 'UTC')).toBe('2026-06-10');
  });

  it('[CI-03] midnight across Berlin\'s spring change (last Sunday of March): the day of the change is 23 hours', () => {
    expect(startOfDay('2026-03-29', 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 28, 23));
    expect(startOfDay('2026-03-30', 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 22));
  });

  it('[CI-03] a skipped hour is the first instant after the gap; a doubled hour is its first showing', () => {
    // Berlin skips 02:00–03:00 on 2026-03-29
    expect(zonedTime('2026-03-29', 2, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 1));
    // New York shows 01:00–02:00 twice on 2026-11-01: the first is EDT (UTC-4)
    expect(zonedTime('2026-11-01', 1, 'America/New_York')).toBe(Date.UTC(2026, 10, 1, 5));
  });
});

describe('periods', () => {
  it('[CI-03] a weekly period is the seven days ending on the chosen weekday', () => {
    // Wednesday 2026-06-10, noon in Berlin
    const p = periodAt(weekly('Europe/Berlin', 'sunday'), Date.UTC(2026, 5, 10, 10))!;
    expect(p.firstDay).toBe('2026-06-08');
    expect(p.lastDay).toBe('2026-06-14');
    expect(p.key).toBe('w:2026-06-08');
    const friday = periodAt(weekly('Europe/Berlin', 'friday'), Date.UTC(2026, 5, 12, 10))!;
    expect([friday.firstDay, friday.lastDay]).toEqual(['2026-06-06', '2026-06-12']);
  });

  it('[CI-03] the week of Berlin\'s spring change (last Sunday of March) is 167 hours and due at 19:00 summer time', () => {
    const p = periodAt(weekly('Europe/Berlin'), Date.UTC(2026, 2, 25, 12))!;
    expect([p.firstDay, p.lastDay]).toEqual(['2026-03-23', '2026-03-29']);
    expect(p.endsAt - p.startsAt).toBe(167 * H);
    expect(p.dueAt).toBe(Date.UTC(2026, 2, 29, 17));
  });

  it('[CI-03] the week of Berlin\'s autumn change (last Sunday of October) is 169 hours and due at 19:00 winter time', () => {
    const p = periodAt(weekly('Europe/Berlin'), Date.UTC(2026, 9, 22, 12))!;
    expect([p.firstDay, p.lastDay]).toEqual(['2026-10-19', '2026-10-25']);
    expect(p.endsAt - p.startsAt).toBe(169 * H);
    expect(p.dueAt).toBe(Date.UTC(2026, 9, 25, 18));
  });

  it('[CI-03] New York: the spring-forward day (second Sunday of March) is 23 hours, the fall-back day 25', () => {
    const spring = periodAt(daily('America/New_York'), Date.UTC(2026, 2, 8, 16))!;
    expect(spring.firstDay).toBe('2026-03-08');
    expect(spring.endsAt - spring.startsAt).toBe(23 * H);
    const fall = periodAt(daily('America/New_York'), Date.UTC(2026, 10, 1, 16))!;
    expect(fall.endsAt - fall.startsAt).toBe(25 * H);
    expect(fall.dueAt).toBe(Date.UTC(2026, 10, 2, 0));
  });

  it('[CI-03] the same instant is a different daily period in Auckland and in Los Angeles', () => {
    const t = Date.UTC(2026, 0, 15, 20);
    expect(periodAt(daily('Pacific/Auckland'), t)!.key).toBe('d:2026-01-16');
    expect(periodAt(daily('America/Los_Angeles'), t)!.key).toBe('d:2026-01-15');
  });

  it('[CI-04] after a week ends its answers stay open two more days, then only the new week is open', () => {
    const r = weekly('Europe/Berlin');
    const monday = Date.UTC(2026, 5, 15, 10);
    expect(openPeriods(r, monday).map((p) => p.key)).toEqual(['w:2026-06-08', 'w:2026-06-15']);
    const wednesday = Date.UTC(2026, 5, 17, 10);
    expect(openPeriods(r, wednesday).map((p) => p.key)).toEqual(['w:2026-06-15']);
  });

  it('[CI-01] a rhythm of none has no periods', () => {
    expect(periodAt({ ...daily('UTC'), kind: 'none' }, 0)).toBeNull();
  });

  it('[CI-03] a key names a period only under a rhythm it fits', () => {
    expect(periodOfKey(weekly('UTC', 'sunday'), 'w:2026-06-08')?.lastDay).toBe('2026-06-14');
    expect(periodOfKey(weekly('UTC', 'sunday'), 'w:2026-06-09')).toBeNull();
    expect(periodOfKey(weekly('UTC'), 'd:2026-06-09')).toBeNull();
    expect(periodOfKey(daily('UTC'), 'nonsense')).toBeNull();
  });

  it('[CI-03] recent periods go back no further than the rhythm', () => {
    const r = { ...weekly('UTC'), setAt: Date.UTC(2026, 5, 1) };
    expect(recentPeriods(r, Date.UTC(2026, 5, 20), 12, r.setAt).map((p) => p.key)).toEqual(['w:2026-06-01', 'w:2026-06-08', 'w:2026-06-15']);
  });
});
