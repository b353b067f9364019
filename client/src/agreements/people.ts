import type { RoomView, SeatId } from '../../../shared/protocol/rooms';
import type { EditorUser } from './CollabEditor';

/** Caret colours, dark enough for white name labels (WCAG AA). */
const seatColours: Record<SeatId, string> = { A: '#9a4f2c', B: '#2f5d57', counsellor: '#5b4a8a' };

export function nameOf(room: RoomView, seat: SeatId | null | undefined): string {
  if (!seat) return 'Someone';
  const name = room.seats.find((s) => s.seat === seat)?.displayName;
  if (name) return name;
  return seat === 'counsellor' ? 'The counsellor' : 'Your partner';
}

export function editorUser(room: RoomView, you: SeatId): EditorUser {
  return { name: nameOf(room, you), color: seatColours[you] };
}

const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', year: 'numeric' });
const shortDayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long' });

export function formatDay(at: number): string {
  return dayFormat.format(at);
}

export function formatShortDay(at: number): string {
  return shortDayFormat.format(at);
}

/** "1 December" this year, "1 December 2025" another year. */
export function formatAgreedDay(at: number, now = Date.now()): string {
  return new Date(at).getFullYear() === new Date(now).getFullYear() ? shortDayFormat.format(at) : dayFormat.format(at);
}

/** A review date (YYYY-MM-DD) shown as a day in the person's language. */
export function formatIsoDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return dayFormat.format(new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1));
}
