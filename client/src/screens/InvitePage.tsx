import { useEffect, useState } from 'react';
import type { InviteInfo } from '../../../shared/protocol/rooms';
import { seatStore } from '../device/seatStore';
import { useAction } from '../realtime/useAction';
import { useRouter } from '../router';
import { ClaimForm, type Claim } from '../ui/ClaimForm';
import { Page } from '../ui/Layout';
import { ProblemPage } from '../ui/Problem';
import { usePageHeading } from '../ui/usePageHeading';
import { useUnreachable } from '../ui/useUnreachable';

/** Refusals of a claim after which this invite can never work: the page says what to do instead. */
const INVITE_PROBLEMS: readonly string[] = ['ROOM_FULL', 'INVITE_USED', 'INVITE_EXPIRED', 'INVITE_NOT_FOUND'];

/** Opened from an invite link: /invite#<token>. The token stays in the hash, out of server logs. */
export function InvitePage() {
  const { location, navigate } = useRouter();
  const token = location.hash;
  const [info, setInfo] = useState<InviteInfo | null>(null);
  const inspecting = useAction();
  const claiming = useAction();
  const { request: inspect } = inspecting;

  useEffect(() => {
    if (token) void inspect('invite:inspect', { invite: token }).then((res) => res && setInfo(res.invite));
  }, [token, inspect]);

  async function claim({ displayName }: Claim) {
    // A seat moved to this device keeps its name; the server ignores any other.
    const seat = await claiming.request('invite:claim', { invite: token, displayName, acceptedGroundRules: true });
    if (!seat) return;
    seatStore.save({ ...seat, joinedAt: Date.now() });
    navigate(`/room/${seat.roomId}`, { replace: true });
  }

  const unreachable = useUnreachable();
  const claimProblem = claiming.error?.code && INVITE_PROBLEMS.includes(claiming.error.code) ? claiming.error : null;
  const refusal = inspecting.error ?? claimProblem;
  // The invite is the only thing sent: a token that is not one at all (garbage, or cut short
  // when copied) is refused by its schema, and for its reader it is a link that does not work.
  // A refusal without a code is a server that was not reached: the page says why (offline or not answering).
  const refused = refusal && (refusal.code === 'INVALID_PAYLOAD' ? 'INVITE_NOT_FOUND' : (refusal.code ?? unreachable ?? 'UNREACHABLE'));
  const problem = !token ? 'INVITE_NOT_FOUND' : refused || (!info ? unreachable : null);
  const heading = usePageHeading(problem || !info ? null : 'Your invite');
  if (problem) return <ProblemPage code={problem} roomMode={refusal?.roomMode} message={refusal?.message} />;
  if (!info) {
    return (
      <Page>
        <p className="muted" role="status">
          Opening your invite…
        </p>
      </Page>
    );
  }
  return (
    <Page>
      <h1 {...heading}>{info.seatName ? `Welcome back, ${info.seatName}` : info.invitedBy && !info.hasCounsellor ? `${info.invitedBy} invited you` : 'You are invited'}</h1>
      <p className="lead">
        {info.seatName
          ? `This link moves ${info.seatName}’s seat to this device. The seat keeps its name, and the device it was on is signed out.`
          : info.hasCounsellor
            ? 'Your counsellor has opened a room for the two of you.'
            : 'This is a private room for the two of you, to talk, listen and write down what you agree.'}
      </p>
      <ClaimForm
        action={claiming}
        onClaim={claim}
        seatName={info.seatName}
        hasCounsellor={info.hasCounsellor}
        submitLabel="Come in"
        busyLabel="Joining…"
      />
    </Page>
  );
}
