import type { TranscriptEntry } from '../../../shared/protocol/sessions';
import type { PartnerSeat } from '../../../shared/protocol/identity';
import type { ActiveState, Command } from '../../../shared/session/types';
import type { SeatId } from '../../../shared/protocol/identity';

const kindWords: Record<TranscriptEntry['kind'], string> = {
  spoke: 'said',
  reflected: 'heard',
  validated: 'validated',
  empathised: 'empathised',
  entry: 'added',
  proposal: 'proposed',
};

export function TranscriptList({ entries, you, names, label }: { entries: TranscriptEntry[]; you: SeatId; names: Record<PartnerSeat, string>; label: string }) {
  return (
    <ol className="said-list" aria-label={label}>
      {entries.map((e, i) => (
        <li key={`${e.at}-${i}`} className={`said said-${e.by === you ? 'mine' : 'theirs'} said-kind-${e.kind}`}>
          <span className="said-by">
            {e.by === you ? 'You' : e.by === 'counsellor' ? 'Counsellor' : names[e.by]} {kindWords[e.kind]}
          </span>{' '}
          {e.text}
        </li>
      ))}
    </ol>
  );
}

/** Each partner's own choice; the record is kept only if both choose to keep it. */
export function KeepRecordChoice({
  active,
  you,
  names,
  act,
  busy,
  allowed,
}: {
  active: ActiveState;
  you: SeatId;
  names: Record<PartnerSeat, string>;
  act(c: Command): Promise<boolean>;
  busy: boolean;
  allowed: boolean;
}) {
  const choices = active.record.keepRecord;
  const mine = you === 'A' || you === 'B' ? choices[you] : null;
  const partner: PartnerSeat | null = you === 'A' ? 'B' : you === 'B' ? 'A' : null;
  const theirs = partner ? choices[partner] : null;
  return (
    <fieldset className="keep-record">
      <legend>Keep a written record of this session?</legend>
      <p className="small muted">
        It is kept only if you both choose to keep it. Otherwise everything written is gone when the session ends.
        {partner && theirs !== null ? ` ${names[partner]} chose ${theirs ? 'to keep it' : 'not to keep it'}.` : ''}
      </p>
      {allowed && (
        <div className="actions">
          <button type="button" className={`button small${mine === true ? '' : ' secondary'}`} aria-pressed={mine === true} disabled={busy} onClick={() => act({ type: 'keepRecord', keep: true })}>
            Keep it
          </button>
          <button type="button" className={`button small${mine === false ? '' : ' secondary'}`} aria-pressed={mine === false} disabled={busy} onClick={() => act({ type: 'keepRecord', keep: false })}>
            Let it go at the end
          </button>
        </div>
      )}
    </fieldset>
  );
}
