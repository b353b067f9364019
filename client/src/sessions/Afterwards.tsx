import { useId, useState } from 'react';
import { FEELING_WORDS, AFTERWARDS_TEXT_MAX, type Feeling, type SessionAfterwards } from '../../../shared/protocol/sessions';
import { useAction } from '../realtime/useAction';
import { useRequest } from '../realtime/useRequest';

const FEELINGS = [1, 2, 3, 4, 5] as const satisfies readonly Feeling[];

/** The words a shared answer reaches the counsellor with, as one private line. */
export function afterwardsLine(a: Pick<SessionAfterwards, 'feeling' | 'words' | 'takeAway'>): string {
  const parts = [`I feel: ${FEELING_WORDS[a.feeling]} (${a.feeling} of 5)${a.words ? `, ${a.words}` : ''}.`];
  if (a.takeAway) parts.push(`I take with me: ${a.takeAway}`);
  return parts.join(' ').slice(0, AFTERWARDS_TEXT_MAX);
}

/**
 * At the end, asked of each partner alone: how they feel now and what they take with them.
 * The answer is kept for its writer only; in a room with a counsellor the writer may also send
 * it to them as a private line. The other partner never sees it.
 */
export function Afterwards({ counsellor }: { counsellor: string | null }) {
  const id = useId();
  const [saved, setSaved] = useState<SessionAfterwards | null>(null);
  const [feeling, setFeeling] = useState<Feeling | null>(null);
  const [words, setWords] = useState('');
  const [takeAway, setTakeAway] = useState('');
  const [share, setShare] = useState(false);
  const [shared, setShared] = useState(false);
  const saving = useAction();
  useRequest('session:myAfterwards', {}, { enabled: true, onResult: (res) => res.afterwards && setSaved(res.afterwards) });

  async function save() {
    if (feeling === null) return;
    const res = await saving.request('session:afterwards', {
      feeling,
      ...(words.trim() ? { words: words.trim() } : {}),
      ...(takeAway.trim() ? { takeAway: takeAway.trim() } : {}),
    });
    if (!res) return;
    setSaved(res.afterwards);
    if (share && counsellor) {
      const sent = await saving.request('privateLine:send', { choice: 'afterSession', text: afterwardsLine(res.afterwards) });
      if (sent) setShared(true);
    }
  }

  if (saved) {
    return (
      <section className="afterwards kept" aria-labelledby={`${id}-title`}>
        <h4 id={`${id}-title`}>Just for you</h4>
        <p>
          You feel <strong>{FEELING_WORDS[saved.feeling].toLowerCase()}</strong>
          {saved.words ? `: “${saved.words}”` : '.'}
        </p>
        {saved.takeAway && <p>You take with you: “{saved.takeAway}”</p>}
        <p className="small muted" role="status">
          {shared && counsellor ? `Kept for you, and sent to ${counsellor}. ` : 'Kept for you. '}
          {counsellor && !shared ? 'Nobody else sees it.' : 'Your partner does not see it.'}
        </p>
      </section>
    );
  }

  return (
    <form
      className="afterwards"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h4 id={`${id}-title`}>Before you go: just for you</h4>
      <p className="small muted">Your partner does not see this{counsellor ? `, and ${counsellor} only if you choose to send it` : ''}.</p>
      <fieldset className="feelings">
        <legend>How do you feel now?</legend>
        <div className="feeling-scale">
          {FEELINGS.map((f) => (
            <label key={f} className={`feeling${feeling === f ? ' is-chosen' : ''}`}>
              <input type="radio" name={`${id}-feeling`} value={f} checked={feeling === f} onChange={() => setFeeling(f)} />
              <span className="feeling-number" aria-hidden="true">{f}</span>
              <span className="feeling-word">{FEELING_WORDS[f]}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <label htmlFor={`${id}-words`}>A few words, if you like</label>
      <input id={`${id}-words`} type="text" maxLength={AFTERWARDS_TEXT_MAX} value={words} onChange={(e) => setWords(e.target.value)} />
      <label htmlFor={`${id}-take`}>What do you take with you from today?</label>
      <textarea id={`${id}-take`} rows={2} maxLength={AFTERWARDS_TEXT_MAX} value={takeAway} onChange={(e) => setTakeAway(e.target.value)} />
      {counsellor && (
        <label className="check">
          <input type="checkbox" checked={share} onChange={(e) => setShare(e.target.checked)} />
          <span>Also send it to {counsellor}</span>
        </label>
      )}
      <button type="submit" className="button" disabled={saving.busy || feeling === null}>
        Keep it
      </button>
      <p className="small" role="status" aria-live="polite">
        {saving.error?.message}
      </p>
    </form>
  );
}
