import type { RoomView, SeatId } from '../../../shared/protocol/rooms';

const presenceWords = { here: 'here', away: 'away for a moment', gone: 'not in the room' } as const;

export function seatLabel(seat: SeatId): string {
  return seat === 'counsellor' ? 'Counsellor' : `Partner ${seat}`;
}

export function PresenceList({ room, you }: { room: RoomView; you: SeatId }) {
  return (
    <ul className="presence" aria-label="Who is in the room">
      {room.seats
        .filter((s) => s.claimed)
        .map((s) => (
          <li key={s.seat} className={`presence-item presence-${s.presence}`}>
            <span className="presence-dot" aria-hidden="true" />
            <span className="presence-name">
              {s.seat === you ? 'You' : (s.displayName ?? seatLabel(s.seat))}
              {s.seat === 'counsellor' && s.seat !== you ? ' (counsellor)' : ''}
            </span>
            <span className="visually-hidden">: {presenceWords[s.presence]}</span>
            <span className="presence-state" aria-hidden="true">
              {s.seat === you ? '' : presenceWords[s.presence]}
            </span>
          </li>
        ))}
    </ul>
  );
}
