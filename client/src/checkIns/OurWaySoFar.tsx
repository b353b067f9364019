import { useId, useState } from 'react';
import { MAX_NOTE } from '../../../shared/checkIns/model';
import type { CommitmentCheckIns } from '../../../shared/checkIns/view';
import { rhythmWords } from '../../../shared/checkIns/wording';
import type { AgreementRecordsView } from '../../../shared/protocol/agreements';
import type { PartnerSeat } from '../../../shared/protocol/identity';
import type { RoomView } from '../../../shared/protocol/rooms';
import { nameOf } from '../agreements/people';
import { useAction } from '../realtime/useAction';
import { useRequest } from '../realtime/useRequest';
import { useSocketEvent } from '../realtime/useSocketEvent';
import { FormError } from '../ui/FormError';
import { setCheckIns, useCheckIns } from './checkInStore';
import { MarksLegend, MarksRow } from './MarksRow';
import './checkIns.css';

interface Props {
  room: RoomView;
  you: PartnerSeat;
  connected: boolean;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/**
 * "Our way so far": per agreement both hold, the latest weeks with both partners' marks side by
 * side, what they made and looked at again together, and the small steps they chose to note.
 * Ups and downs are expected here: nothing is scored, nothing is red. Loaded only when opened.
 */
export default function OurWaySoFar({ room, you, connected }: Props) {
  const view = useCheckIns(room.roomId, connected);
  const [records, setRecords] = useState<AgreementRecordsView | null>(null);
  useRequest('agreements:records', {}, { enabled: connected, onResult: (res) => setRecords(res.records) });
  useSocketEvent('agreements:records', setRecords);
  const partner: PartnerSeat = you === 'A' ? 'B' : 'A';
  const names: Record<PartnerSeat, string> = { [you]: 'You', [partner]: nameOf(room, partner) } as Record<PartnerSeat, string>;
  const renewed = (records?.history ?? []).filter((h) => h.endedBy === 'replaced').length;

  return (
    <section className="card way-so-far" aria-labelledby="way-title">
      <h2 id="way-title">Our way so far</h2>
      <p className="muted">Trust comes back in small steps, kept week after week. Ups and downs are part of it.</p>
      {records && view && (
        <ul className="way-figures">
          <li>
            <strong>{records.commitments.length}</strong> {records.commitments.length === 1 ? 'agreement' : 'agreements'} you both hold
          </li>
          <li>
            <strong>{renewed}</strong> looked at again and renewed together
          </li>
          <li>
            <strong>{view.sessionsHeld}</strong> guided {view.sessionsHeld === 1 ? 'session' : 'sessions'} held
          </li>
        </ul>
      )}
      {!view && <p className="hint">{connected ? 'Loading…' : 'This shows once the room is connected.'}</p>}
      {view && view.commitments.length === 0 && <p className="hint">Once you both agree to something, you can check in on it here between sessions.</p>}
      {view?.commitments.map((c) => <CommitmentWay key={c.commitmentId} c={c} you={you} names={names} notes={view.notes.filter((n) => n.commitmentId === c.commitmentId).length} />)}
      {view && <SmallSteps room={room} you={you} notes={view.notes} commitments={view.commitments} connected={connected} />}
    </section>
  );
}

function CommitmentWay({ c, you, names, notes }: { c: CommitmentCheckIns; you: PartnerSeat; names: Record<PartnerSeat, string>; notes: number }) {
  const partner: PartnerSeat = you === 'A' ? 'B' : 'A';
  const kind = c.rhythm?.kind ?? 'none';
  return (
    <article className="way-commitment">
      <h3>{c.title || 'Untitled agreement'}</h3>
      <p className="hint">{rhythmWords(c.rhythm)}</p>
      {kind !== 'none' && c.periods.length > 0 && (
        <>
          <MarksRow title={c.title} kind={kind} periods={c.periods} seats={[you, partner]} names={names} />
          <MarksLegend kind={kind} />
        </>
      )}
      {c.celebration && <p className="celebration">{c.celebration}</p>}
      {notes > 0 && <p className="hint">{notes === 1 ? 'One small step noted' : `${notes} small steps noted`} about this.</p>}
    </article>
  );
}

function SmallSteps({ room, you, notes, commitments, connected }: { room: RoomView; you: PartnerSeat; notes: CheckInViewNotes; commitments: CommitmentCheckIns[]; connected: boolean }) {
  const base = useId();
  const action = useAction();
  const [text, setText] = useState('');
  const [about, setAbout] = useState('');
  async function add(event: React.FormEvent) {
    event.preventDefault();
    const res = await action.request('checkIn:note', { text, commitmentId: about || null });
    if (res) {
      setCheckIns(room.roomId, res.checkIns);
      setText('');
    }
  }
  const titleOf = (id: string | null) => commitments.find((c) => c.commitmentId === id)?.title;
  return (
    <section className="small-steps" aria-labelledby={`${base}-title`}>
      <h3 id={`${base}-title`}>Small steps we noticed</h3>
      {notes.length === 0 ? (
        <p className="hint">Nothing noted yet. A small step counts: “We walked before we talked, twice.”</p>
      ) : (
        <ul className="small-steps-list">
          {[...notes].reverse().map((n) => (
            <li key={n.id}>
              <span>{n.text}</span>
              <span className="hint">
                {' '}
                {n.seat === you ? 'You' : nameOf(room, n.seat)}, {dateFormat.format(n.at)}
                {titleOf(n.commitmentId) ? ` · ${titleOf(n.commitmentId)}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      <form className="note-form" onSubmit={add}>
        <label className="field-label" htmlFor={`${base}-text`}>
          Note a small step
        </label>
        <textarea id={`${base}-text`} rows={2} maxLength={MAX_NOTE} value={text} onChange={(e) => setText(e.target.value)} />
        {commitments.length > 0 && (
          <label className="weekday-field">
            About
            <select value={about} onChange={(e) => setAbout(e.target.value)}>
              <option value="">Us in general</option>
              {commitments.map((c) => (
                <option key={c.commitmentId} value={c.commitmentId}>
                  {c.title}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="submit" className="button secondary small" disabled={!connected || action.busy || text.trim() === ''}>
          Add this step
        </button>
        <FormError message={action.error?.message} />
      </form>
    </section>
  );
}

type CheckInViewNotes = NonNullable<ReturnType<typeof useCheckIns>>['notes'];
