import { useId, useState } from 'react';
import { PrivateLineChoice, type PrivateLine } from '../../../shared/protocol/counsellors';
import { useRequest } from '../realtime/useRequest';
import { useSocketEvent } from '../realtime/useSocketEvent';
import { timeOf } from './words';

/** What each partner told the counsellor privately; the other partner never sees any of it. */
export function PrivateLinesInbox({ roomId, connected }: { roomId: string; connected: boolean }) {
  const [lines, setLines] = useState<PrivateLine[] | null>(null);
  const id = useId();

  useSocketEvent('counsellor:privateLine', (line) => {
    if (line.roomId !== roomId) return;
    setLines((l) => (l?.some((x) => x.id === line.id) ? l : [...(l ?? []), line]));
  });
  useRequest('counsellor:lines', { roomId }, { enabled: connected, onResult: (res) => setLines(res.lines) });

  const newestFirst = [...(lines ?? [])].reverse();
  return (
    <section className="card cn-inbox" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Private messages to you</h2>
      <p className="muted small">Each partner can write to you here. The other partner does not see it.</p>
      {lines === null ? (
        <p className="muted">Loading…</p>
      ) : newestFirst.length === 0 ? (
        <p className="muted">Nothing yet.</p>
      ) : (
        <ul className="cn-lines" aria-live="polite">
          {newestFirst.map((line) => (
            <li key={line.id} className="cn-line">
              <p className="cn-line-head">
                <strong>{line.fromName ?? `Partner ${line.from}`}</strong>
                <span className="muted small"> · {timeOf(line.at)}</span>
              </p>
              <p className="cn-line-choice">{PrivateLineChoice[line.choice]}</p>
              {line.text && <p className="cn-line-text">“{line.text}”</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
