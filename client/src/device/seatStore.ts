import type { InviteOffer, RoomView, SeatId } from '../../../shared/protocol/rooms';

/**
 * What this device remembers about its rooms: the device token that is its seat, and any
 * invite it made, so the partner's link can be shown again after a reload.
 */
export interface StoredSeat {
  roomId: string;
  seat: SeatId;
  deviceToken: string;
  displayName: string;
  invite?: InviteOffer;
  joinedAt: number;
  /** the room as last seen, so the room (and what this device keeps of it) opens offline */
  lastView?: RoomView;
  /** joins by code this device has said "Yes, that's them" to (joinKey), so their notice stays folded */
  confirmedJoins?: string[];
}

const KEY = 'commonground.seats.v1';

function readAll(): Record<string, StoredSeat> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, StoredSeat>;
  } catch {
    return {};
  }
}

type Listener = () => void;
const listeners = new Set<Listener>();

function writeAll(seats: Record<string, StoredSeat>): void {
  localStorage.setItem(KEY, JSON.stringify(seats));
  for (const listener of [...listeners]) listener();
}

export const seatStore = {
  get(roomId: string): StoredSeat | null {
    return readAll()[roomId] ?? null;
  },
  /** The most recently joined room, to offer "back to your room" on the landing page. */
  latest(): StoredSeat | null {
    const all = Object.values(readAll());
    return all.sort((a, b) => b.joinedAt - a.joinedAt)[0] ?? null;
  },
  save(seat: StoredSeat): void {
    writeAll({ ...readAll(), [seat.roomId]: seat });
  },
  update(roomId: string, change: Partial<StoredSeat>): void {
    const current = readAll()[roomId];
    if (current) writeAll({ ...readAll(), [roomId]: { ...current, ...change } });
  },
  /** Called after every change on this page, for views of what is stored (a new invite made elsewhere on the page). */
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  forget(roomId: string): void {
    const all = readAll();
    delete all[roomId];
    writeAll(all);
  },
};
