/**
 * Calendar days and wall-clock times in an IANA time zone, by Intl.DateTimeFormat alone: the
 * platform's time-zone data decides every offset, so a daylight-saving change anywhere is
 * handled as the zone itself has it, with no table of our own.
 *
 * A day is written `YYYY-MM-DD`; its arithmetic is calendar arithmetic (never 24-hour steps),
 * so a week that contains a clock change is still seven days.
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** Whether the platform knows this IANA zone (`Europe/Berlin`, `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in the zone at `ms`, written as if it were UTC (milliseconds). */
function wallClock(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatFor(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!);
}

/** How far the zone's clock is ahead of UTC at `ms`, in milliseconds. */
export function zoneOffset(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallClock(whole, timeZone) - whole;
}

/** The zone's calendar day at `ms`. */
export function localDay(ms: number, timeZone: string): string {
  return new Date(wallClock(ms, timeZone)).toISOString().slice(0, 10);
}

function dayParts(day: string): [number, number, number] {
  const [y, m, d] = day.split('-').map(Number);
  return [y!, m!, d!];
}

/** `day` moved by `n` calendar days. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = dayParts(day);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** 0 Sunday … 6 Saturday, as Date.getUTCDay. */
export function weekdayOf(day: string): number {
  const [y, m, d] = dayParts(day);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const [y1, m1, d1] = dayParts(from);
  const [y2, m2, d2] = dayParts(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / 86_400_000);
}

/**
 * The instant the zone's clocks show `hour`:00 on `day`. A time the clocks skip (spring
 * forward) is the first instant after the gap; a time they show twice (fall back) is the first.
 */
export function zonedTime(day: string, hour: number, timeZone: string): number {
  const [y, m, d] = dayParts(day);
  const wall = Date.UTC(y, m - 1, d, hour);
  const before = zoneOffset(wall - 43_200_000, timeZone);
  const after = zoneOffset(wall + 43_200_000, timeZone);
  const candidates = [wall - before, wall - after].sort((a, b) => a - b);
  for (const instant of candidates) if (wallClock(instant, timeZone) === wall) return instant;
  // In a gap: with the offset from before the change, the instant lands just past the skipped hour.
  return wall - before;
}

/** The first instant of `day` in the zone. */
export function startOfDay(day: string, timeZone: string): number {
  return zonedTime(day, 0, timeZone);
}
