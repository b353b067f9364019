import { useId, useState, type FormEvent } from 'react';
import { errorMessages } from '../../../shared/protocol/errors';
import type { SeatCredentials } from '../../../shared/protocol/rooms';
import { seatStore } from '../device/seatStore';
import { codeOf, messageOf, request } from '../realtime/connection';
import { useRouter } from '../router';
import { GroundRules } from '../ui/GroundRules';
import { Page } from '../ui/Layout';
import { NameField } from '../ui/NameField';
import { ProblemPage } from '../ui/Problem';

export function JoinCodePage() {
  const { navigate } = useRouter();
  const codeId = useId();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [accepted, setAccepted] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const digits = code.replace(/\D/g, '');
    if (digits.length !== 6) return setError('The code has six digits.');
    if (!name.trim()) return setError('Please write your first name.');
    if (!accepted) return setError(errorMessages.GROUND_RULES_REQUIRED);
    setBusy(true);
    setError(null);
    try {
      const seat = await request<SeatCredentials>('code:claim', { code: digits, displayName: name.trim(), acceptedGroundRules: true });
      // The server's name for the seat: a seat moved to this device keeps the one it had.
      seatStore.save({ ...seat, joinedAt: Date.now() });
      navigate(`/room/${seat.roomId}`, { replace: true });
    } catch (err) {
      if (codeOf(err) === 'ROOM_FULL') setFatal('ROOM_FULL');
      setError(messageOf(err));
      setBusy(false);
    }
  }

  if (fatal) return <ProblemPage code={fatal} />;
  return (
    <Page>
      <h1>Join with a code</h1>
      <form className="stack" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={codeId}>The six digits your partner sees</label>
          <input
            id={codeId}
            className="code-input"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]*"
            maxLength={7}
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/[^\d ]/g, ''))}
            aria-describedby={`${codeId}-hint`}
          />
          <p className="hint" id={`${codeId}-hint`}>
            A code works for ten minutes. Your partner can make a new one in their room. A code that moves your own seat to
            this phone keeps the seat’s name.
          </p>
        </div>
        <NameField value={name} onChange={setName} />
        <GroundRules accepted={accepted} onChange={setAccepted} />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Joining…' : 'Join the room'}
        </button>
      </form>
    </Page>
  );
}
