import { useEffect, useState } from 'react';
import type { PartnerSeat, RoomView, SeatId } from '../../../shared/protocol/rooms';
import { seatStore } from '../device/seatStore';
import { useAction } from '../realtime/useAction';
import { FormError } from '../ui/FormError';

/** One join by code: a seat is claimed by code at most once per refusal window. */
function joinKey(join: RoomView['refusable'][number]): string {
  return `${join.seat}:${join.until}`;
}

/**
 * The joins by code whose notice shows on this device: not its own, still refusable, and not
 * yet confirmed here with "Yes, that's them".
 */
export function joinsToConfirm(room: RoomView, you: SeatId, confirmed: readonly string[], now = Date.now()): RoomView['refusable'] {
  return room.refusable.filter((j) => j.seat !== you && j.until > now && !confirmed.includes(joinKey(j)));
}

/**
 * "Sam joined with the code", at once, on every device of the room. Whoever may move that seat
 * (the other partner in a couple's room, the counsellor in a moderated one) can say "This is
 * not my partner" for the first ten minutes: that device is signed out and a new code made.
 * "Yes, that's Sam" folds the notice away on this device; the server's window stays as it is.
 */
export function JoinedByCodeNotice({ room, you }: { room: RoomView; you: SeatId }) {
  const [now, setNow] = useState(Date.now());
  const refusing = useAction();
  const [confirmed, setConfirmed] = useState<string[]>(() => seatStore.get(room.roomId)?.confirmedJoins ?? []);
  const joins = joinsToConfirm(room, you, confirmed, now);

  useEffect(() => {
    if (!room.refusable.length) return;
    const next = Math.min(...room.refusable.map((j) => j.until)) - Date.now();
    const timer = setTimeout(() => setNow(Date.now()), Math.max(1000, Math.min(next, 60_000)));
    return () => clearTimeout(timer);
  }, [room.refusable, now]);

  if (!joins.length) return null;
  const mayRefuse = (seat: SeatId) => (room.mode === 'couple' ? you !== 'counsellor' : you === 'counsellor') && seat !== you;

  function confirm(join: RoomView['refusable'][number]) {
    // only joins still refusable are kept: the list never grows past the room's two seats
    const kept = [...confirmed.filter((key) => room.refusable.some((j) => joinKey(j) === key)), joinKey(join)];
    setConfirmed(kept);
    seatStore.update(room.roomId, { confirmedJoins: kept });
  }

  async function refuse(seat: PartnerSeat) {
    const res = await refusing.request('room:refuseJoin', { seat });
    if (res) seatStore.update(room.roomId, { invite: res.invite });
  }

  return (
    <>
      {joins.map((join) => (
        <section key={join.seat} className="card joined-notice" aria-labelledby={`joined-${join.seat}`}>
          <h2 id={`joined-${join.seat}`}>{join.name} joined with the code</h2>
          {mayRefuse(join.seat) && (
            <p className="muted">
              If this is not who you gave the code to, sign them out now: a new code is made, and the old one stops working.
              You can do this until {new Date(join.until).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' })}.
            </p>
          )}
          <div className="actions">
            <button type="button" className="button" disabled={refusing.busy} onClick={() => confirm(join)}>
              Yes, that’s {join.name}
            </button>
            {mayRefuse(join.seat) && (
              <button type="button" className="button secondary" disabled={refusing.busy} onClick={() => void refuse(join.seat)}>
                {room.mode === 'couple' ? 'This is not my partner' : 'This is not the right person'}
              </button>
            )}
          </div>
        </section>
      ))}
      <FormError message={refusing.error?.message} />
    </>
  );
}
