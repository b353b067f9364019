import { lazy, Suspense, useId, useState } from 'react';
import type { PartnerSeat, RoomView } from '../../../shared/protocol/rooms';
import { Link } from '../router';
import { usePageHeading } from '../ui/usePageHeading';
import { useRequest } from '../realtime/useRequest';
import { BetweenSessions } from './BetweenSessions';
import { counsellorStore } from './counsellorStore';
import { CoupleInvites } from './CoupleInvites';
import { ModerationPanel } from './ModerationPanel';
import { PrivateLinesInbox } from './PrivateLinesInbox';
import './counsellor.css';

const NotesEditor = lazy(() => import('./NotesEditor'));

function NotesPanel({ connected }: { connected: boolean }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const name = counsellorStore.get()?.displayName ?? 'Counsellor';
  return (
    <section className="card cn-notes" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Your private notes</h2>
      <p className="muted small">Kept for you alone. They are never sent to either partner&rsquo;s device.</p>
      {open ? (
        <Suspense fallback={<p className="muted">Opening your notes…</p>}>
          <NotesEditor connected={connected} name={name} />
        </Suspense>
      ) : (
        <button type="button" className="button secondary" onClick={() => setOpen(true)}>
          Open notes
        </button>
      )}
    </section>
  );
}

/** The top of the counsellor's seat in a moderated room: whose room, the session at a glance, private messages. */
export function CounsellorRoomView({ room, connected }: { room: RoomView; connected: boolean }) {
  const label = useRequest('counsellor:rooms', {}, { enabled: connected })?.rooms.find((r) => r.roomId === room.roomId)?.label ?? null;

  const open = room.seats.filter((s) => s.seat !== 'counsellor' && !s.claimed).map((s) => s.seat as PartnerSeat);
  const stored = counsellorStore.get()?.invites[room.roomId];
  // the room's one h1 and the tab's title, once the label is known
  const heading = usePageHeading(label ?? 'Moderated room');
  return (
    <div className="cn-room-view">
      <section className="card cn-room-title">
        <p className="muted small">
          <Link to="/counsellor">← All your rooms</Link>
        </p>
        <h1 {...heading}>{label ?? 'Moderated room'}</h1>
        <p className="muted small">The label is yours alone; the couple see only their own names.</p>
        {open.length > 0 && (
          <CoupleInvites roomId={room.roomId} seats={open} invites={stored?.invites ?? []} codes={room.codes} canRenew />
        )}
      </section>
      <div className="cn-room-grid">
        <ModerationPanel room={room} connected={connected} />
        <PrivateLinesInbox roomId={room.roomId} connected={connected} />
      </div>
    </div>
  );
}

/** Below the live session: the counsellor's private notes, and what to offer before next time. */
export function CounsellorDesk({ room, connected }: { room: RoomView; connected: boolean }) {
  return (
    <div className="cn-room-grid">
      <NotesPanel connected={connected} />
      <BetweenSessions roomId={room.roomId} connected={connected} />
    </div>
  );
}
