import type { RoomView, SeatId } from '../../../shared/protocol/rooms';
import type { PartnerSeat } from '../../../shared/protocol/identity';


/** First names for the seats, with gentle fallbacks: a partner not yet in is "your partner" to the other. */
export function namesOf(room: RoomView, you?: SeatId): Record<PartnerSeat, string> {
  const fallback = (seat: PartnerSeat) => (you === 'A' || you === 'B' ? 'your partner' : `Partner ${seat}`);
  const name = (seat: PartnerSeat) => room.seats.find((s) => s.seat === seat)?.displayName ?? fallback(seat);
  return { A: name('A'), B: name('B') };
}

/** "you" for the viewer, the first name otherwise. */
export function who(seat: PartnerSeat, you: SeatId, names: Record<PartnerSeat, string>): string {
  return seat === you ? 'you' : names[seat];
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** m:ss, or h:mm:ss past an hour. */
export function clockDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** A time of day on this device ("20:40"), from a server timestamp. */
export function timeOfDay(serverMs: number, offset: number): string {
  return new Date(serverMs - offset).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}

export function minutesWords(minutes: number): string {
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
