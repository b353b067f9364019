import type { RoomView, SeatId } from '../../../shared/protocol/rooms';
import { describeHistory, whenText } from './roomHistory';

/** The room's history: joins, seat moves, refused joins; who, what and when, nothing written. */
export function RoomHistory({ room, you }: { room: RoomView; you: SeatId }) {
  if (!room.history.length) return null;
  return (
    <details className="card room-history">
      <summary>Room history</summary>
      <p className="muted small">Who joined this room, and every time a seat moved to a new device.</p>
      <ol className="room-history-list">
        {[...room.history].reverse().map((entry) => (
          <li key={`${entry.at}-${entry.kind}-${entry.seat}`}>
            <time dateTime={new Date(entry.at).toISOString()}>{whenText(entry.at)}</time> {describeHistory(room, entry, you)}
          </li>
        ))}
      </ol>
    </details>
  );
}
