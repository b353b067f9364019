import { ErrorCode } from '../../../shared/protocol/errors';
import type { CreateRoomResponse } from '../../../shared/protocol/rooms';
import { seatStore } from '../device/seatStore';
import { RequestError } from '../realtime/connection';
import { useAction } from '../realtime/useAction';
import { useRouter } from '../router';
import { ClaimForm, type Claim } from '../ui/ClaimForm';
import { Page } from '../ui/Layout';
import { usePageHeading } from '../ui/usePageHeading';

/**
 * The room limit is per address and per hour (ROOMS_PER_ADDRESS_PER_HOUR): RATE_LIMITED's own
 * words ("wait a few minutes") would send someone back too soon, to be refused again.
 */
const ROOM_LIMIT_WORDS =
  'Many rooms have been opened from your network in the last hour, so we cannot open another just now. Please try again in an hour. A room you already opened is still there: the first page takes you back to it.';

type CreateRoomAnswer = ({ ok: true } & CreateRoomResponse) | { ok: false; error: { code: string; message: string } };

/** Opens a room over HTTP (the first visit has no seat to join a socket room with). */
async function createRoom(displayName: string): Promise<CreateRoomResponse> {
  const res = await fetch('/api/rooms', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName, acceptedGroundRules: true }),
  });
  const body = (await res.json()) as CreateRoomAnswer;
  if (body.ok) return body;
  const code = Object.values(ErrorCode).find((c) => c === body.error.code) ?? ErrorCode.INTERNAL;
  throw new RequestError({ code, message: code === ErrorCode.RATE_LIMITED ? ROOM_LIMIT_WORDS : body.error.message });
}

export function StartRoomPage() {
  const { navigate } = useRouter();
  const opening = useAction();
  const heading = usePageHeading('Start a room');

  async function claim({ displayName }: Claim) {
    const room = await opening.run(() => createRoom(displayName));
    if (!room) return;
    seatStore.save({
      roomId: room.roomId,
      seat: room.seat,
      deviceToken: room.deviceToken,
      displayName,
      invite: room.invite,
      joinedAt: Date.now(),
    });
    navigate(`/room/${room.roomId}`);
  }

  return (
    <Page>
      <h1 {...heading}>Start a room</h1>
      <ClaimForm action={opening} onClaim={claim} submitLabel="Open our room" busyLabel="Opening your room…" />
    </Page>
  );
}
