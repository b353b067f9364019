import { useEffect, useState } from 'react';
import type { CounsellorCommitmentMarks } from '../../../shared/checkIns/view';
import { rhythmWords } from '../../../shared/checkIns/wording';
import type { PartnerSeat } from '../../../shared/protocol/identity';
import { request } from '../realtime/connection';
import { useSocketEvent } from '../realtime/useSocketEvent';
import { MarksLegend, MarksRow } from './MarksRow';
import './checkIns.css';

/**
 * In the counsellor's workspace, before the next session: the check-in marks of the agreements
 * both partners chose to share, never their words (the server sends none), asked again whenever
 * the server says what the counsellor may see of the room changed (`checkIn:shared`).
 */
export function CounsellorMarks({ roomId, names, connected }: { roomId: string; names: Record<PartnerSeat, string>; connected: boolean }) {
  const [shared, setShared] = useState<CounsellorCommitmentMarks[] | null>(null);
  const [asked, setAsked] = useState(0);
  useSocketEvent('checkIn:shared', (info) => info.roomId === roomId && setAsked((n) => n + 1));
  useEffect(() => {
    if (!connected) return;
    let live = true;
    request('checkIn:counsellorMarks', { roomId }).then(
      (res) => live && setShared(res.commitments),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [roomId, connected, asked]);
  if (!shared || shared.length === 0) return null;
  return (
    <section className="cn-check-ins" aria-label="Check-ins they share with you">
      <p className="small">
        <strong>Check-ins they share with you</strong> <span className="muted">(marks only, never their words)</span>
      </p>
      {shared.map((c) => (
        <div key={c.commitmentId} className="way-commitment">
          <p className="small">
            <strong>{c.title}</strong> · <span className="muted">{rhythmWords(c.rhythm).replace('We look', 'They look')}</span>
          </p>
          <MarksRow
            title={c.title}
            kind={c.rhythm.kind}
            seats={['A', 'B']}
            names={names}
            periods={c.periods.map((p) => ({
              key: p.key,
              lastDay: p.lastDay,
              answers: Object.fromEntries(Object.entries(p.marks).map(([seat, mark]) => [seat, { seen: true as const, mark, at: 0, words: null, wordsKept: false }])),
            }))}
          />
          <MarksLegend kind={c.rhythm.kind} />
        </div>
      ))}
    </section>
  );
}
