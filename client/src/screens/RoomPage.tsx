import { useEffect, useRef, useState } from 'react';
import type { RoomHistoryEntry, RoomView, SeatId } from '../../../shared/protocol/rooms';
import { deletedBy } from '../device/forgetRoom';
import { InvitePartnerPanel } from '../room/InvitePartnerPanel';
import { JoinedByCodeNotice } from '../room/JoinedByCodeNotice';
import { RoomHistory } from '../room/RoomHistory';
import { describeHistory, historyMark, newHistory, type HistoryMark } from '../room/roomHistory';
import { PresenceList } from '../room/PresenceList';
import { RoomMenu } from '../room/RoomMenu';
import { RoomSections } from '../room/RoomSections';
import { useRoomConnection } from '../realtime/useRoomConnection';
import { Brand } from '../ui/Layout';
import { ProblemPage } from '../ui/Problem';
import { useOnline } from '../ui/useOnline';
import { usePageHeading } from '../ui/usePageHeading';

let historyNoticeId = 0;

/** Every device of the room hears of joins and seat moves as they happen ("Sam's seat moved to a new device"). */
function useHistoryNotices(room: RoomView | null, you: SeatId | null): Array<{ id: string; text: string }> {
  const seen = useRef<HistoryMark | null>(null);
  const [notices, setNotices] = useState<Array<{ id: string; text: string }>>([]);
  useEffect(() => {
    if (!room || !you) return;
    // A join by code has its own notice, with what to do (JoinedByCodeNotice): no toast saying the same.
    const hasCard = (entry: RoomHistoryEntry) =>
      entry.kind === 'joined' && entry.via === 'code' && entry.seat !== you && room.refusable.some((j) => j.seat === entry.seat);
    const fresh = newHistory(room, seen.current).filter((entry) => !hasCard(entry)).map((entry) => ({ id: `h${++historyNoticeId}`, text: `${describeHistory(room, entry, you)}.` }));
    seen.current = historyMark(room);
    if (fresh.length) setNotices((n) => [...n, ...fresh].slice(-3));
  }, [room, you]);
  useEffect(() => {
    if (!notices.length) return;
    const timer = setTimeout(() => setNotices((n) => n.slice(1)), 6000);
    return () => clearTimeout(timer);
  }, [notices]);
  return notices;
}

export function RoomPage({ roomId }: { roomId: string }) {
  const connection = useRoomConnection(roomId);
  const { room, you, status, problem, notices, dismissNotice } = connection;
  const historyNotices = useHistoryNotices(room, you);
  const online = useOnline();
  // the counsellor's view names the room by its label, in its own h1 (CounsellorRoomView)
  const heading = usePageHeading(problem || !room || !you || you === 'counsellor' ? null : 'Our room');
  // Where the session puts its time-out button: first in the main region, whichever tab is open.
  const [timeOutSlot, setTimeOutSlot] = useState<HTMLDivElement | null>(null);

  useEffect(() => {
    if (!notices.length) return;
    const timer = setTimeout(() => dismissNotice(notices[0]!.id), 6000);
    return () => clearTimeout(timer);
  }, [notices, dismissNotice]);

  // who deleted the room, as this device was told (kept beside the marker of a forgotten room)
  if (problem) return <ProblemPage code={problem} deletedBy={problem === 'ROOM_DELETED' ? deletedBy(roomId) : null} />;
  if ((!room || !you) && (status === 'offline' || !online)) return <ProblemPage code={online ? 'UNREACHABLE' : 'OFFLINE'} />;
  if (!room || !you) {
    return (
      <div className="page">
        <main className="page-main narrow">
          <p role="status" className="muted">
            Opening your room…
          </p>
        </main>
      </div>
    );
  }

  const openSeats = room.mode === 'couple' ? room.seats.filter((s) => !s.claimed && s.seat !== you) : [];
  return (
    <div className="page room-page">
      <header className="room-header">
        <Brand />
        <PresenceList room={room} you={you} />
        <RoomMenu room={room} you={you} />
      </header>
      {!online ? (
        <p className="banner" role="status">
          You are offline. What you saved is safe; you will be back in your seat as soon as the network is back.
        </p>
      ) : (
        status === 'offline' && (
          <p className="banner" role="status">
            Reconnecting… what you saved is safe, and you will be back in your seat in a moment.
          </p>
        )
      )}
      <div className="notices" aria-live="polite">
        {[...notices, ...historyNotices].map((n) => (
          <p key={n.id} className="toast">
            {n.text}
          </p>
        ))}
      </div>
      <main id="main" className="room-main">
        {/* the page's one top heading, for moving by headings; every part below is an h2 */}
        {you !== 'counsellor' && (
          <h1 className="visually-hidden" {...heading}>
            Our room
          </h1>
        )}
        <div className="timeout-bar" ref={setTimeOutSlot} />
        <JoinedByCodeNotice room={room} you={you} />
        {openSeats.map((s) => s.seat !== 'counsellor' && <InvitePartnerPanel key={s.seat} room={room} roomId={roomId} seat={s.seat} />)}
        <RoomSections room={room} you={you} connected={status === 'joined'} timeOutSlot={timeOutSlot} />
        <RoomHistory room={room} you={you} />
      </main>
    </div>
  );
}
