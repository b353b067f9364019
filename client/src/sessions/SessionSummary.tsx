import { useEffect, useRef, useState } from 'react';
import type { Pack } from '../../../shared/content/packSchema';
import type { TranscriptEntry } from '../../../shared/protocol/sessions';
import type { SessionSummary as Summary } from '../../../shared/session/types';
import { useAction } from '../realtime/useAction';
import { TranscriptList } from './Transcript';
import type { ScreenProps } from './types';

/** The end: what you did together, and the proposals to carry into your agreements. */
export function SessionSummary({
  summary,
  pack,
  transcript,
  added,
  onAdded,
  onAnother,
  you,
  names,
}: ScreenProps & {
  summary: Summary;
  pack: Pack | undefined;
  transcript: { entries: TranscriptEntry[] } | null;
  added: string[];
  onAdded(ids: string[]): void;
  onAnother(): void;
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

  return (
    <div className="session-screen summary">
      <h3 ref={heading} tabIndex={-1}>{summary.endedBy === 'finished' ? 'You finished the session' : 'The session has ended'}</h3>
      <p className="muted">{pack?.title ?? 'Guided session'}</p>
      <dl className="summary-facts">
        <div>
          <dt>Steps done</dt>
          <dd>
            {summary.stepsDone} of {summary.stepCount}
          </dd>
        </div>
        <div>
          <dt>Reflections confirmed</dt>
          <dd>
            {reflections.A + reflections.B}
            <span className="small muted">
              {' '}
              ({names.A}: {reflections.A}, {names.B}: {reflections.B})
            </span>
          </dd>
        </div>
        <div>
          <dt>Proposals</dt>
          <dd>{summary.proposals.length}</dd>
        </div>
      </dl>
      {summary.reflectionsConfirmed.A + summary.reflectionsConfirmed.B > 0 && (
        <p>Every “That’s it” was someone feeling understood. That is worth noticing.</p>
      )}

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
