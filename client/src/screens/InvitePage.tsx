import { useEffect, useState, type FormEvent } from 'react';
import { errorMessages } from '../../../shared/protocol/errors';
import type { InviteInfo, SeatCredentials } from '../../../shared/protocol/rooms';
import { seatStore } from '../device/seatStore';
import { codeOf, messageOf, request } from '../realtime/connection';
import { useRouter } from '../router';
import { GroundRules } from '../ui/GroundRules';
import { Page } from '../ui/Layout';
import { NameField } from '../ui/NameField';
import { ProblemPage } from '../ui/Problem';

/** Opened from an invite link: /invite#<token>. The token stays in the hash, out of server logs. */
export function InvitePage() {
  const { location, navigate } = useRouter();
  const token = location.hash;
  const [info, setInfo] = useState<InviteInfo | null>(null);
  const [problem, setProblem] = useState<string | null>(token ? null : 'INVITE_NOT_FOUND');
  const [name, setName] = useState('');
  const [accepted, setAccepted] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!token) return;
    request<{ invite: InviteInfo }>('invite:inspect', { invite: token }).then(
      (res) => setInfo(res.invite),
      (err: unknown) => setProblem(codeOf(err) ?? 'UNREACHABLE'),
    );
  }, [token]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    // A seat moved to this device keeps its name; the server ignores any other.
    const displayName = info?.seatName ?? name.trim();
    if (!displayName) return setError('Please write your first name.');
    if (!accepted) return setError(errorMessages.GROUND_RULES_REQUIRED);
    setBusy(true);
    setError(null);
    try {
      const seat = await request<SeatCredentials>('invite:claim', { invite: token, displayName, acceptedGroundRules: true });
      seatStore.save({ ...seat, joinedAt: Date.now() });
      navigate(`/room/${seat.roomId}`, { replace: true });
    } catch (err) {
      const code = codeOf(err);
      if (code && ['ROOM_FULL', 'INVITE_USED', 'INVITE_EXPIRED', 'INVITE_NOT_FOUND'].includes(code)) setProblem(code);
      setError(messageOf(err));
      setBusy(false);
    }
  }

  if (problem) return <ProblemPage code={problem} />;
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
      <h1>{info.seatName ? `Welcome back, ${info.seatName}` : info.invitedBy ? `${info.invitedBy} invited you` : 'You are invited'}</h1>
      <p className="lead">
        {info.seatName
          ? `This link moves ${info.seatName}’s seat to this device. The seat keeps its name, and the device it was on is signed out.`
          : info.hasCounsellor
            ? 'Your counsellor has opened a room for the two of you.'
            : 'This is a private room for the two of you, to talk, listen and write down what you agree.'}
      </p>
      <form className="stack" onSubmit={submit} noValidate>
        {info.seatName ? (
          <p className="seat-name">
            You will come in as <strong>{info.seatName}</strong>.
          </p>
        ) : (
          <NameField value={name} onChange={setName} />
        )}
        <GroundRules accepted={accepted} onChange={setAccepted} hasCounsellor={info.hasCounsellor} />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Joining…' : 'Come in'}
        </button>
      </form>
    </Page>
  );
}
