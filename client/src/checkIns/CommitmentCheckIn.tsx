import { useEffect, useId, useState } from 'react';
import { MARKS, WEEKDAYS, type Mark, type RhythmKind, type Weekday } from '../../../shared/checkIns/model';
import type { CommitmentCheckIns, PeriodView, SeenAnswer } from '../../../shared/checkIns/view';
import { checkInQuestion, markChoice, markWords, periodLabel, rhythmWords, weekdayName } from '../../../shared/checkIns/wording';
import type { PartnerSeat } from '../../../shared/protocol/identity';
import type { RoomView } from '../../../shared/protocol/rooms';
import { nameOf } from '../agreements/people';
import { useAction } from '../realtime/useAction';
import { FormError } from '../ui/FormError';
import { setCheckIns, useCheckIns } from './checkInStore';
import './checkIns.css';

interface Props {
  room: RoomView;
  you: PartnerSeat;
  commitmentId: string;
  canAct: boolean;
}

function deviceTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** The open period to show: the oldest one this seat has not answered, else the newest. */
function periodToShow(c: CommitmentCheckIns, you: PartnerSeat): PeriodView | null {
  const open = c.periods.filter((p) => p.open);
  return open.find((p) => !p.answers[you]) ?? open.at(-1) ?? null;
}

/**
 * On an agreement both hold: how often they look at it together, and this period's check-in.
 * Each answers for themselves; the other's answer shows once both have (the server sends it
 * only then). Loaded on its own, after the card, so the agreements chunk stays as it was.
 */
export default function CommitmentCheckIn({ room, you, commitmentId, canAct }: Props) {
  const view = useCheckIns(room.roomId, canAct);
  const c = view?.commitments.find((x) => x.commitmentId === commitmentId);
  if (!c) return null;
  return <CheckInPart room={room} you={you} c={c} canAct={canAct} />;
}

function CheckInPart({ room, you, c, canAct }: { room: RoomView; you: PartnerSeat; c: CommitmentCheckIns; canAct: boolean }) {
  const base = useId();
  const [changing, setChanging] = useState(false);
  const hasRhythm = c.rhythm !== null && c.rhythm.kind !== 'none';
  const period = hasRhythm ? periodToShow(c, you) : null;
  return (
    <section className="check-in" aria-labelledby={`${base}-title`}>
      <h4 id={`${base}-title`} className="check-in-title">
        {hasRhythm ? rhythmWords(c.rhythm) : 'How often shall we look at this together?'}
      </h4>
      {hasRhythm && !changing && (
        <p className="hint">
          Chosen by {c.rhythm!.setBy === you ? 'you' : nameOf(room, c.rhythm!.setBy)}.{' '}
          <button type="button" className="link-button small" onClick={() => setChanging(true)}>
            Change how often
          </button>
        </p>
      )}
      {(!hasRhythm || changing) && <RhythmForm room={room} c={c} canAct={canAct} onDone={() => setChanging(false)} />}
      {period && <PeriodCheckIn room={room} you={you} c={c} period={period} canAct={canAct} />}
      {room.mode === 'moderated' && hasRhythm && <CounsellorConsent room={room} you={you} c={c} canAct={canAct} />}
    </section>
  );
}

function RhythmForm({ room, c, canAct, onDone }: { room: RoomView; c: CommitmentCheckIns; canAct: boolean; onDone: () => void }) {
  const base = useId();
  const action = useAction();
  const [kind, setKind] = useState<RhythmKind>(c.rhythm?.kind === 'none' || !c.rhythm ? 'weekly' : c.rhythm.kind);
  const [weekday, setWeekday] = useState<Weekday>(c.rhythm?.weekday ?? 'sunday');
  const choices: Array<[RhythmKind, string]> = [
    ['weekly', 'Once a week'],
    ['daily', 'Every day'],
    ['none', 'Not on a rhythm'],
  ];
  async function save(event: React.FormEvent) {
    event.preventDefault();
    const res = await action.request('checkIn:setRhythm', { commitmentId: c.commitmentId, kind, weekday: kind === 'weekly' ? weekday : null, timeZone: deviceTimeZone() });
    if (res) {
      setCheckIns(room.roomId, res.checkIns);
      onDone();
    }
  }
  return (
    <form className="rhythm-form" onSubmit={save}>
      <fieldset>
        <legend className="visually-hidden">How often shall we look at this together?</legend>
        <div className="choice-row">
          {choices.map(([value, label]) => (
            <label key={value} className="choice-pill">
              <input type="radio" name={`${base}-kind`} value={value} checked={kind === value} onChange={() => setKind(value)} />
              {label}
            </label>
          ))}
        </div>
      </fieldset>
      {kind === 'weekly' && (
        <label className="weekday-field">
          We look back on
          <select value={weekday} onChange={(e) => setWeekday(e.target.value as Weekday)}>
            {WEEKDAYS.map((d) => (
              <option key={d} value={d}>
                {weekdayName(d)}
              </option>
            ))}
          </select>
        </label>
      )}
      <p className="hint">Either of you can choose or change this; you both see it.</p>
      <button type="submit" className="button secondary small" disabled={!canAct || action.busy}>
        {kind === 'none' ? 'No rhythm for now' : 'Choose this rhythm'}
      </button>
      <FormError message={action.error?.message} />
    </form>
  );
}

function PeriodCheckIn({ room, you, c, period, canAct }: { room: RoomView; you: PartnerSeat; c: CommitmentCheckIns; period: PeriodView; canAct: boolean }) {
  const kind = c.rhythm!.kind;
  const partner: PartnerSeat = you === 'A' ? 'B' : 'A';
  const partnerName = nameOf(room, partner);
  const mine = period.answers[you];
  const theirs = period.answers[partner];
  const [editing, setEditing] = useState(false);
  useEffect(() => setEditing(false), [period.key]);
  const title = `${checkInQuestion(kind)} ${periodLabel(kind, period.lastDay)}`;
  return (
    <div className="period-check-in" role="group" aria-label={title}>
      <p className="check-in-question">
        <strong>{checkInQuestion(kind)}</strong> <span className="muted small">{periodLabel(kind, period.lastDay)}</span>
      </p>
      {(!mine || editing) && <AnswerForm room={room} partnerName={partnerName} c={c} period={period} initial={mine} canAct={canAct} onDone={() => setEditing(false)} />}
      {mine && !editing && !period.revealed && (
        <p className="small" role="status">
          You have checked in. Your answers show side by side once {partnerName} has checked in too{theirs ? '' : '.'}
          {theirs ? ` (${partnerName} has).` : ''}{' '}
          <button type="button" className="link-button small" onClick={() => setEditing(true)}>
            Change my answer
          </button>
        </p>
      )}
      {period.revealed && (mine || theirs) && (
        <div className="both-marks" role="status">
          {([you, partner] as const).map((seat) => {
            const a = period.answers[seat];
            return (
              <div key={seat} className="both-mark">
                <span className="both-mark-who">{seat === you ? 'You' : partnerName}</span>
                <span className={`mark-chip mark-chip-${a && a.seen ? a.mark : 'none'}`}>{a && a.seen ? markWords(a.mark, kind) : 'no check-in'}</span>
                {a && a.seen && a.words && <q className="both-mark-words">{a.words}</q>}
                {a && a.seen && seat !== you && a.wordsKept && <span className="hint">{partnerName} kept their words to themselves.</span>}
              </div>
            );
          })}
        </div>
      )}
      {period.revealed && mine && period.open && !editing && (
        <button type="button" className="link-button small" onClick={() => setEditing(true)}>
          Change my answer
        </button>
      )}
      {c.celebration && <p className="celebration">{c.celebration}</p>}
    </div>
  );
}

interface AnswerFormProps {
  room: RoomView;
  partnerName: string;
  c: CommitmentCheckIns;
  period: PeriodView;
  /** one's own answer, when changing it */
  initial: SeenAnswer | undefined;
  canAct: boolean;
  onDone: () => void;
}

function AnswerForm({ room, partnerName, c, period, initial, canAct, onDone }: AnswerFormProps) {
  const base = useId();
  const action = useAction();
  const kind = c.rhythm!.kind;
  const given = initial?.seen ? initial : null;
  const [mark, setMark] = useState<Mark | null>(given?.mark ?? null);
  const [words, setWords] = useState(given?.words ?? '');
  const [share, setShare] = useState(given ? !given.wordsKept : true);
  async function send(event: React.FormEvent) {
    event.preventDefault();
    if (!mark) return;
    const res = await action.request('checkIn:answer', { commitmentId: c.commitmentId, periodKey: period.key, mark, words: words.trim() || undefined, shareWords: share });
    if (res) {
      setCheckIns(room.roomId, res.checkIns);
      onDone();
    }
  }
  return (
    <form className="answer-form" onSubmit={send}>
      <fieldset>
        <legend className="visually-hidden">{checkInQuestion(kind)}</legend>
        <div className="choice-row">
          {MARKS.map((m) => (
            <label key={m} className={`choice-pill choice-${m}`}>
              <input type="radio" name={`${base}-mark`} value={m} checked={mark === m} onChange={() => setMark(m)} />
              {markChoice(m)}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="field-label" htmlFor={`${base}-words`}>
        A few words, if you like <span className="muted">(optional)</span>
      </label>
      <textarea id={`${base}-words`} rows={2} maxLength={500} value={words} onChange={(e) => setWords(e.target.value)} />
      <label className="check-line">
        <input type="checkbox" checked={share} onChange={(e) => setShare(e.target.checked)} /> Share my words with {partnerName}
      </label>
      <p className="hint">
        {partnerName} sees your answer once you have both checked in{share ? '' : ': only your mark, not your words'}.
      </p>
      <button type="submit" className="button small" disabled={!canAct || action.busy || !mark}>
        Check in
      </button>
      <FormError message={action.error?.message} />
    </form>
  );
}

function CounsellorConsent({ room, you, c, canAct }: { room: RoomView; you: PartnerSeat; c: CommitmentCheckIns; canAct: boolean }) {
  const action = useAction();
  const partner: PartnerSeat = you === 'A' ? 'B' : 'A';
  // the box shows the choice at once; the server's answer then confirms it (or a refusal puts it back)
  const [asked, setAsked] = useState<boolean | null>(null);
  const mineOn = asked ?? c.consent[you];
  const theirsOn = c.consent[partner];
  async function toggle(share: boolean) {
    setAsked(share);
    const res = await action.request('checkIn:shareWithCounsellor', { commitmentId: c.commitmentId, share });
    setAsked(null);
    if (res) setCheckIns(room.roomId, res.checkIns);
  }
  return (
    <div className="consent-line">
      <label className="check-line">
        <input type="checkbox" checked={mineOn} disabled={!canAct} onChange={(e) => void toggle(e.target.checked)} /> Show our marks for this to our
        counsellor (never our words)
      </label>
      <p className="hint">
        {mineOn && theirsOn
          ? 'You both said yes: your counsellor sees the marks, not the words.'
          : theirsOn
            ? `${nameOf(room, partner)} said yes. Nothing is shown unless you both do.`
            : 'Nothing is shown to your counsellor unless you both say yes.'}
      </p>
      <FormError message={action.error?.message} />
    </div>
  );
}
