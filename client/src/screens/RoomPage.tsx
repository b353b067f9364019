import { useEffect } from 'react';
import { InvitePartnerPanel } from '../room/InvitePartnerPanel';
import { PresenceList } from '../room/PresenceList';
import { RoomMenu } from '../room/RoomMenu';
import { RoomSections } from '../room/RoomSections';
import { useRoomConnection } from '../realtime/useRoomConnection';
import { Brand } from '../ui/Layout';
import { ProblemPage } from '../ui/Problem';

export function RoomPage({ roomId }: { roomId: string }) {
  const connection = useRoomConnection(roomId);
  const { room, you, status, problem, notices, dismissNotice } = connection;

  useEffect(() => {
    if (!notices.length) return;
    const timer = setTimeout(() => dismissNotice(notices[0]!.id), 6000);
    return () => clearTimeout(timer);
  }, [notices, dismissNotice]);

  if (problem) return <ProblemPage code={problem} />;
  if ((!room || !you) && status === 'offline') return <ProblemPage code={navigator.onLine ? 'UNREACHABLE' : 'OFFLINE'} />;
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
      {status === 'offline' && (
        <p className="banner" role="status">
          Reconnecting… what you saved is safe, and you will be back in your seat in a moment.
        </p>
      )}
      <div className="notices" aria-live="polite">
        {notices.map((n) => (
          <p key={n.id} className="toast">
            {n.text}
          </p>
        ))}
      </div>
      <main id="main" className="room-main">
        {openSeats.map((s) => (
          <InvitePartnerPanel key={s.seat} room={room} roomId={roomId} seat={s.seat} />
        ))}
        <RoomSections room={room} you={you} connected={status === 'joined'} />
      </main>
    </div>
  );
}
