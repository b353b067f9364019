import { useId, useState, type FormEvent } from 'react';
import {
  PRIVATE_LINE_CHOICE_IDS,
  PRIVATE_LINE_TEXT_MAX,
  PrivateLineChoice,
  type PackSuggestion,
  type PrivateLineChoiceId,
} from '../../../shared/protocol/counsellors';
import type { RoomView } from '../../../shared/protocol/rooms';
import { useAction } from '../realtime/useAction';
import { useRequest } from '../realtime/useRequest';
import { useSocketEvent } from '../realtime/useSocketEvent';
import { ActionOutcome } from '../ui/ActionOutcome';
import './counsellor.css';

/** "Your counsellor suggests: …" — a pack for next time, if the counsellor chose one. */
function SuggestionCard({ connected }: { connected: boolean }) {
  const [suggestion, setSuggestion] = useState<PackSuggestion | null>(null);
  useSocketEvent('counsellor:suggestion', setSuggestion);
  useRequest('counsellor:suggestion', {}, { enabled: connected, onResult: (res) => setSuggestion(res.suggestion) });
  if (!suggestion) return null;
  return (
    <section className="card cn-suggestion" aria-label="Your counsellor's suggestion">
      <p>
        <span className="cn-suggestion-lead">Your counsellor suggests:</span> <strong>{suggestion.packTitle}</strong>
      </p>
      <p className="muted small">For your next session together. You can choose it when you start one.</p>
    </section>
  );
}

/** A quiet way to tell the counsellor something the other partner will not see. */
function PrivateLineForm({ counsellorName }: { counsellorName: string }) {
  const [choice, setChoice] = useState<PrivateLineChoiceId | null>(null);
  const [text, setText] = useState('');
  const [sent, setSent] = useState(false);
  const sending = useAction();
  const id = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!choice) return;
    if (!(await sending.request('privateLine:send', { choice, ...(text.trim() ? { text: text.trim() } : {}) }))) return;
    setSent(true);
    setChoice(null);
    setText('');
  }

  return (
    <details className="card cn-private-line" onToggle={() => setSent(false)}>
      <summary>
        <span className="cn-private-summary">Tell {counsellorName} something privately</span>
        <span className="muted small"> · your partner will not see it</span>
      </summary>
      <form className="stack cn-private-form" onSubmit={submit}>
        <fieldset>
          <legend className="visually-hidden">What would you like to say?</legend>
          {/* How they feel after a session is sent from the session's ending screen, with its words. */}
          {PRIVATE_LINE_CHOICE_IDS.filter((c) => c !== 'afterSession').map((c) => (
            <label key={c} className="check">
              <input type="radio" name={`${id}-choice`} checked={choice === c} onChange={() => setChoice(c)} />
              <span>{PrivateLineChoice[c]}</span>
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-text`}>A few words, if you like (optional)</label>
          <textarea id={`${id}-text`} rows={2} maxLength={PRIVATE_LINE_TEXT_MAX} value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <div className="actions">
          <button type="submit" className="button secondary small" disabled={!choice || sending.busy}>
            Send to {counsellorName} only
          </button>
        </div>
        <ActionOutcome said={sent ? `Sent. Only ${counsellorName} can see it.` : ''} error={sending.error?.message} />
      </form>
    </details>
  );
}

/** What a partner sees of the counsellor in a moderated room. */
export function PartnerCounsellorPanel({ room, connected }: { room: RoomView; connected: boolean }) {
  const counsellorName = room.seats.find((s) => s.seat === 'counsellor')?.displayName ?? 'your counsellor';
  return (
    <>
      <SuggestionCard connected={connected} />
      <PrivateLineForm counsellorName={counsellorName} />
    </>
  );
}
