import { useState, type FormEvent } from 'react';
import { ErrorCode, errorMessages } from '../../../shared/protocol/errors';
import type { CreateRoomResponse } from '../../../shared/protocol/rooms';
import { seatStore } from '../device/seatStore';
import { useRouter } from '../router';
import { GroundRules } from '../ui/GroundRules';
import { Page } from '../ui/Layout';
import { NameField } from '../ui/NameField';

/**
 * The room limit is per address and per hour (ROOMS_PER_ADDRESS_PER_HOUR): RATE_LIMITED's own
 * words ("wait a few minutes") would send someone back too soon, to be refused again.
 */
const ROOM_LIMIT_WORDS =
  'Many rooms have been opened from your network in the last hour, so we cannot open another just now. Please try again in an hour. A room you already opened is still there: the first page takes you back to it.';

export function StartRoomPage() {
  const { navigate } = useRouter();
  const [name, setName] = useState('');
  const [accepted, setAccepted] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) return setError('Please write your first name.');
    if (!accepted) return setError(errorMessages.GROUND_RULES_REQUIRED);
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/rooms', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ displayName: name.trim(), acceptedGroundRules: true }),
      });
      const body = (await res.json()) as ({ ok: true } & CreateRoomResponse) | { ok: false; error: { code: string; message: string } };
      if (!body.ok) throw new Error(body.error.code === ErrorCode.RATE_LIMITED ? ROOM_LIMIT_WORDS : body.error.message);
      seatStore.save({
        roomId: body.roomId,
        seat: body.seat,
        deviceToken: body.deviceToken,
        displayName: name.trim(),
        invite: body.invite,
        joinedAt: Date.now(),
      });
      navigate(`/room/${body.roomId}`);
    } catch (err) {
      setError(err instanceof Error && err.message !== 'Failed to fetch' ? err.message : errorMessages[ErrorCode.INTERNAL]);
      setBusy(false);
    }
  }

  return (
    <Page>
      <h1>Start a room</h1>
      <form className="stack" onSubmit={submit} noValidate>
        <NameField value={name} onChange={setName} />
        <GroundRules accepted={accepted} onChange={setAccepted} />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Opening your room…' : 'Open our room'}
        </button>
      </form>
    </Page>
  );
}
