import { useEffect, useId, useRef, useState } from 'react';
import { END_NOTE_MAX, END_REASON_IDS, EndReason, type Command, type EndReasonId } from '../../../shared/session/types';
import './endSession.css';

/**
 * "End the session for both of you now?", with a kind reason to choose and a few words of
 * one's own, both optional: everyone in the session reads them on the ending screen (TM-44).
 */
export function EndSessionConfirm({
  act,
  busy,
  onKeepGoing,
  question = 'End the session for both of you now?',
}: {
  act(command: Command): Promise<boolean>;
  busy: boolean;
  onKeepGoing(): void;
  /** The counsellor ends it for the couple, and is asked in those words. */
  question?: string;
}) {
  const [reason, setReason] = useState<EndReasonId | null>(null);
  const [note, setNote] = useState('');
  const ids = useId();
  const words = note.trim();
  // "End the session" goes away as this opens: the focus comes to its first choice.
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <form
      className="end-confirm"
      aria-labelledby={`${ids}-q`}
      onSubmit={(e) => {
        e.preventDefault();
        void act({ type: 'endSession', ...(reason ? { reason } : {}), ...(words ? { note: words } : {}) });
      }}
    >
      <p id={`${ids}-q`} className="end-question">
        {question}
      </p>
      <fieldset className="end-reasons">
        <legend>
          Why, if you would like to say <span className="small muted">(everyone in the session reads it)</span>
        </legend>
        {END_REASON_IDS.map((id, i) => (
          <label key={id} className={`end-reason-option${reason === id ? ' chosen' : ''}`}>
            <input ref={i === 0 ? first : undefined} type="radio" name={`${ids}-reason`} value={id} checked={reason === id} onChange={() => setReason(id)} />
            <span>{EndReason[id]}</span>
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${ids}-note`}>
          A few words of your own <span className="small muted">(optional)</span>
        </label>
        <input id={`${ids}-note`} type="text" maxLength={END_NOTE_MAX} value={note} onChange={(e) => setNote(e.target.value)} autoComplete="off" />
      </div>
      <div className="end-actions">
        <button type="submit" className="button small danger" disabled={busy}>
          Yes, end it
        </button>
        <button type="button" className="button small secondary" onClick={onKeepGoing}>
          Keep going
        </button>
      </div>
    </form>
  );
}
