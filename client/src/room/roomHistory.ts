import type { RoomHistoryEntry, RoomView, SeatId } from '../../../shared/protocol/rooms';

/** Who a seat is, in words for the device of `you`. */
function who(room: RoomView, seat: SeatId | null, you: SeatId, fallback: string | null = null): string {
  if (seat === you) return 'You';
  if (seat === 'counsellor') return 'Your counsellor';
  return fallback ?? room.seats.find((s) => s.seat === seat)?.displayName ?? 'Your partner';
}

/** One line of the room's history, in plain words: who, what; never anything anyone wrote. */
export function describeHistory(room: RoomView, entry: RoomHistoryEntry, you: SeatId): string {
  const name = entry.seat === you ? 'You' : (entry.name ?? 'Your partner');
  const yours = entry.seat === you ? 'Your' : `${entry.name ?? 'Your partner'}’s`;
  switch (entry.kind) {
    case 'joined':
      return `${name} joined with ${entry.via === 'code' ? 'the code' : 'the invite link'}`;
    case 'moveStarted':
      return entry.by === entry.seat
        ? `${name} asked to move ${entry.seat === you ? 'your' : 'their'} seat to a new device`
        : `${who(room, entry.by, you)} signed out ${entry.seat === you ? 'your' : yours} device, to move the seat to a new one`;
    case 'moved':
      return `${yours} seat moved to a new device`;
    case 'refused':
      return `${who(room, entry.by, you)} said ${name === 'You' ? 'you were' : `${name} was`} not the right person; that device was signed out`;
  }
}

/** A time of day, or a date for older lines. */
export function whenText(at: number, now = Date.now()): string {
  const date = new Date(at);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  return sameDay
    ? date.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' })
    : date.toLocaleDateString(undefined, { day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' });
}

/**
 * Seats that moved or were signed out in these history lines. Their comings and goings then are
 * that move (the old device leaves, the new one arrives), and the history line already says it:
 * "Sam has left the room for now" beside "Sam’s seat moved to a new device" would contradict it.
 */
export function seatsChangingDevice(entries: RoomHistoryEntry[]): Set<SeatId> {
  // asked from the seat's own device, a move changes nothing until the new device claims the seat
  const changes = entries.filter((entry) => entry.kind !== 'joined' && !(entry.kind === 'moveStarted' && entry.by === entry.seat));
  return new Set(changes.map((entry) => entry.seat));
}

/**
 * Where a device is in the room's history: the time of the newest line it has seen and how many
 * lines carry that time. The server keeps only the newest lines, so a count of lines stops
 * growing once the room is past that, while times keep moving forward.
 */
export interface HistoryMark {
  at: number;
  atCount: number;
}

export function historyMark(room: RoomView): HistoryMark {
  const last = room.history.at(-1);
  if (!last) return { at: Number.NEGATIVE_INFINITY, atCount: 0 };
  return { at: last.at, atCount: room.history.filter((entry) => entry.at === last.at).length };
}

/** History lines that arrived since `seen`, for notices; none before the device has a mark. */
export function newHistory(room: RoomView, seen: HistoryMark | null): RoomHistoryEntry[] {
  if (seen === null) return [];
  let sameTime = 0;
  return room.history.filter((entry) => {
    if (entry.at > seen.at) return true;
    if (entry.at < seen.at) return false;
    sameTime += 1;
    return sameTime > seen.atCount;
  });
}
