import type { RoomView, SeatId } from '../../../shared/protocol/rooms';
import { AgreementsSection } from '../agreements/AgreementsSection';
import { CounsellorDesk, CounsellorRoomView } from '../counsellor/CounsellorRoomView';
import { PartnerCounsellorPanel } from '../counsellor/PartnerCounsellorPanel';
import { TalkSection } from '../sessions/TalkSection';

export interface RoomSectionProps {
  room: RoomView;
  you: SeatId;
  connected: boolean;
}

/**
 * The parts of a room below the header. Each feature (guided sessions, agreements) adds its
 * section here, so the room page itself stays a frame.
 */
export function RoomSections({ room, you, connected }: RoomSectionProps) {
  const partner = room.seats.find((s) => s.seat !== you && s.seat !== 'counsellor');
  const together = room.seats.filter((s) => s.seat !== 'counsellor').every((s) => s.presence === 'here');
  return (
    <>
      {you === 'counsellor' && <CounsellorRoomView room={room} connected={connected} />}
      {you !== 'counsellor' && (
        <section className="card welcome" aria-labelledby="welcome-title">
          <h2 id="welcome-title">{together ? 'You are both here' : `Waiting for ${partner?.displayName ?? 'your partner'}`}</h2>
          <p className="muted">
            Take a breath. There is no hurry here: you can pause at any time, and come back to this room on this device whenever
            you are ready.
          </p>
        </section>
      )}
      {room.mode === 'moderated' && you !== 'counsellor' && <PartnerCounsellorPanel room={room} connected={connected} />}
      <TalkSection room={room} you={you} connected={connected} />
      {you === 'counsellor' && <CounsellorDesk room={room} connected={connected} />}
      <AgreementsSection room={room} you={you} connected={connected} />
    </>
  );
}
