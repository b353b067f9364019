import { seatStore } from '../device/seatStore';
import { useAction } from '../realtime/useAction';
import { useRouter } from '../router';
import { ClaimForm, type Claim } from '../ui/ClaimForm';
import { Page } from '../ui/Layout';
import { ProblemPage } from '../ui/Problem';
import { usePageHeading } from '../ui/usePageHeading';

export function JoinCodePage() {
  const { navigate } = useRouter();
  const claiming = useAction();
  const full = claiming.error?.code === 'ROOM_FULL' ? claiming.error : null;
  const heading = usePageHeading(full ? null : 'Join with a code');

  async function claim({ code, displayName }: Claim) {
    const seat = await claiming.request('code:claim', { code, displayName, acceptedGroundRules: true });
    if (!seat) return;
    // The server's name for the seat: a seat moved to this device keeps the one it had.
    seatStore.save({ ...seat, joinedAt: Date.now() });
    navigate(`/room/${seat.roomId}`, { replace: true });
  }

  if (full) return <ProblemPage code="ROOM_FULL" roomMode={full.roomMode} />;
  return (
    <Page>
      <h1 {...heading}>Join with a code</h1>
      <ClaimForm action={claiming} onClaim={claim} askCode submitLabel="Join the room" busyLabel="Joining…" />
    </Page>
  );
}
