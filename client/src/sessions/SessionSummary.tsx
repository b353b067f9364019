import { useEffect, useRef, useState } from 'react';
import type { Pack } from '../../../shared/content/packSchema';
import type { TranscriptEntry } from '../../../shared/protocol/sessions';
import { EndReason, type SessionSummary as Summary } from '../../../shared/session/types';
import { useAction } from '../realtime/useAction';
import { Afterwards } from './Afterwards';
import './ending.css';
import './endSession.css';
import { TranscriptList } from './Transcript';
import type { ScreenProps } from './types';

/**
 * The end: who ended it and why when it ended early, what was heard and confirmed, each
 * partner's private answer (Afterwards), and the proposals to carry into the agreements.
 */
export function SessionSummary({
  summary,
  pack,
  transcript,
  added,
  onAdded,
  onAnother,
  onOpenAgreements,
  counsellor,
  you,
  names,
}: ScreenProps & {
  summary: Summary;
  pack: Pack | undefined;
  transcript: { entries: TranscriptEntry[] } | null;
  added: string[];
  onAdded(ids: string[]): void;
  onAnother(): void;
  /** Shows the room's agreements (the tab, on a phone). */
  onOpenAgreements?: () => void;
  /** The counsellor's name in a moderated room, else null. */
  counsellor: string | null;
}) {
  const pending = summary.proposals.filter((p) => !added.includes(p.id));
  const [chosen, setChosen] = useState<string[]>(() => pending.map((p) => p.id));
  const [status, setStatus] = useState<string | null>(null);
  const adding = useAction();
  const reflections = summary.reflectionsConfirmed;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
    heading.current?.closest('.session-screen')?.scrollIntoView({ block: 'start' });
  }, []);

  async function addChosen() {
    const ids = chosen.filter((id) => !added.includes(id));
    if (!ids.length) return;
    setStatus(null);
    const res = await adding.request('session:addAgreements', { proposalIds: ids });
    if (!res) return;
    onAdded([...res.added, ...res.alreadyThere]);
    setStatus(
      res.added.length === 1 ? 'Added one proposal to your agreements. You can both read and accept it there.' : `Added ${res.added.length} proposals to your agreements. You can both read and accept them there.`,
    );
  }

  const endedBy = summary.endedBy;
  const early = summary.endedEarly ?? (endedBy !== 'finished' && summary.stepsDone < summary.stepCount);
  const ender = endedBy === 'finished' ? null : endedBy === you ? 'You' : endedBy === 'counsellor' ? counsellor ?? 'Your counsellor' : names[endedBy];
  // TM-44: the reason reads on from "ended the session early", so it reads in lower case.
  const why = summary.endReason ? `: ${EndReason[summary.endReason].toLowerCase()}` : '';
  const title = endedBy === 'finished' ? 'You finished the session together' : early ? `${ender} ended the session early${why}` : `${ender} ended the session${why}`;
  const heard = summary.heard ?? [];
  const person = (seat: 'A' | 'B') => (seat === you ? 'you' : names[seat]);
  const Person = (seat: 'A' | 'B') => (seat === you ? 'You' : names[seat]);
  // Steps done are told as what was reached, never as what is missing: "0 of 5" reads as failing.
  const reached = summary.stepsDone === 0 ? null : summary.stepsDone === 1 ? 'one step' : `${summary.stepsDone} steps`;
  const doneWords =
    you === 'counsellor'
      ? `${reached ? `They went through ${reached} of ${summary.stepCount} together.` : 'They stopped before the first step ended.'} Stopping early is all right; they can come back to it.`
      : `${reached ? `You went through ${reached} of ${summary.stepCount} together.` : 'You stopped before the first step ended.'} Stopping is all right; you can come back to it whenever you are ready.`;

  return (
    <div className="session-screen summary">
      <h3 ref={heading} tabIndex={-1}>{title}</h3>
      {summary.endNote && ender && (
        <p className="end-note">
          {ender === 'You' ? 'You added' : `${ender} added`}: “{summary.endNote}”
        </p>
      )}
      <p className="muted">
        {pack?.title ?? 'Guided session'}
        {early ? ` · ${doneWords}` : ''}
      </p>

      <section className="heard" aria-labelledby="heard-title">
        <h4 id="heard-title">What was heard</h4>
        {heard.length > 0 ? (
          <ul className="heard-list">
            {heard.map((h, i) => (
              <li key={i}>
                <p>
                  {Person(h.listener)} said back what {person(h.speaker)} shared, and {person(h.speaker)} said “That’s it”.
                </p>
                {h.text && <blockquote>{h.text}</blockquote>}
              </li>
            ))}
          </ul>
        ) : reflections.A + reflections.B > 0 ? (
          <p>
            {reflections.A + reflections.B === 1 ? 'One reflection was' : `${reflections.A + reflections.B} reflections were`} confirmed: someone felt understood.
          </p>
        ) : (
          <p className="muted">
            {you === 'counsellor'
              ? 'Nobody said “That’s it” this time. Saying back takes practice; it can come in a later session.'
              : 'Nobody said “That’s it” this time, and that is all right: listening well takes practice, and you can come back to it.'}
          </p>
        )}
        {heard.length > 0 && <p className="small muted">Every “That’s it” was someone feeling understood. That is worth noticing.</p>}
      </section>

      {you !== 'counsellor' && <Afterwards counsellor={counsellor} />}

      {summary.proposals.length > 0 && (
        <fieldset className="proposals">
          <legend>What you proposed</legend>
          <ul className="proposal-list">
            {summary.proposals.map((p) => {
              const done = added.includes(p.id);
              return (
                <li key={p.id}>
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={done || chosen.includes(p.id)}
                      disabled={done}
                      onChange={(e) => setChosen((c) => (e.target.checked ? [...c, p.id] : c.filter((x) => x !== p.id)))}
                    />
                    <span>
                      {p.text}
                      <span className="small muted">
                        {' '}
                        · {p.by === you ? 'you' : p.by === 'counsellor' ? 'counsellor' : names[p.by]}
                        {done ? ' · in your agreements' : ''}
                      </span>
                    </span>
                  </label>
                </li>
              );
            })}
          </ul>
          {pending.length > 0 && (
            <button type="button" className="button" disabled={adding.busy || chosen.filter((id) => !added.includes(id)).length === 0} onClick={addChosen}>
              Add to our agreements
            </button>
          )}
          <p className="small" role="status" aria-live="polite">
            {adding.error?.message ?? status}
          </p>
          {onOpenAgreements && (
            <button type="button" className="button secondary open-agreements" onClick={onOpenAgreements}>
              Open our agreements
            </button>
          )}
        </fieldset>
      )}

      {summary.mode === 'write' && (
        <section className="record-status" aria-label="Written record">
          {summary.recordKept ? (
            <>
              <p>You both chose to keep the written record of this session.</p>
              {transcript && transcript.entries.length > 0 && (
                <details>
                  <summary>Read it again ({transcript.entries.length})</summary>
                  <TranscriptList entries={transcript.entries} you={you} names={names} label="Written record" />
                </details>
              )}
            </>
          ) : (
            <p className="muted">The written record was not kept: what you wrote is gone.</p>
          )}
        </section>
      )}

      <div className="actions">
        <button type="button" className="button secondary" onClick={onAnother}>
          Choose another session
        </button>
      </div>
    </div>
  );
}
