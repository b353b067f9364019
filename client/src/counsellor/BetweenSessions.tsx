import { useId, useState, type FormEvent } from 'react';
import { CategoryField } from '../ui/CategorySelect';
import type { AgreementCategory } from '../../../shared/agreements/categories';
import type { PackSuggestion } from '../../../shared/protocol/counsellors';
import { useAction } from '../realtime/useAction';
import { useRequest } from '../realtime/useRequest';
import { ActionOutcome } from '../ui/ActionOutcome';

/** For the couple to consider before next time: an agreement to talk about, a pack to try. */
export function BetweenSessions({ roomId, connected }: { roomId: string; connected: boolean }) {
  const [suggestion, setSuggestion] = useState<PackSuggestion | null>(null);
  const [packId, setPackId] = useState('');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [category, setCategory] = useState<AgreementCategory>('communication');
  const [said, setSaid] = useState<string | null>(null);
  const action = useAction();
  const id = useId();

  const packs =
    useRequest('session:packs', {}, { enabled: connected, onResult: (res) => setPackId((p) => p || res.packs[0]?.id || '') })?.packs ?? [];
  useRequest('counsellor:suggestion', {}, { enabled: connected, onResult: (res) => setSuggestion(res.suggestion) });

  async function suggest(next: string | null) {
    setSaid(null);
    const res = await action.request('counsellor:suggestPack', { roomId, packId: next });
    if (!res) return;
    setSuggestion(res.suggestion);
    setSaid(res.suggestion ? `The couple now see: “Your counsellor suggests: ${res.suggestion.packTitle}”.` : 'Suggestion withdrawn.');
  }

  async function propose(e: FormEvent) {
    e.preventDefault();
    setSaid(null);
    if (!(await action.request('counsellor:proposeAgreement', { roomId, title: title.trim(), body: body.trim() || undefined, category }))) return;
    setTitle('');
    setBody('');
    setSaid('Added to their agreements as your proposal. Only they can agree to it.');
  }

  return (
    <section className="card cn-between" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Between sessions</h2>
      <div className="cn-between-grid">
        <div className="stack">
          <h3>Suggest a pack for next time</h3>
          {suggestion && <p className="muted small">Now suggested: {suggestion.packTitle}</p>}
          <div className="field">
            <label htmlFor={`${id}-pack`}>Pack</label>
            <select id={`${id}-pack`} value={packId} onChange={(e) => setPackId(e.target.value)}>
              {packs.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.title}
                </option>
              ))}
            </select>
          </div>
          <div className="actions">
            <button type="button" className="button secondary small" disabled={!packId} onClick={() => void suggest(packId)}>
              Suggest it
            </button>
            {suggestion && (
              <button type="button" className="button secondary small" onClick={() => void suggest(null)}>
                Withdraw
              </button>
            )}
          </div>
        </div>
        <form className="stack" onSubmit={propose}>
          <h3>Ask them to consider an agreement</h3>
          <div className="field">
            <label htmlFor={`${id}-title-input`}>What they might agree</label>
            <input id={`${id}-title-input`} maxLength={120} value={title} onChange={(e) => setTitle(e.target.value)} required />
          </div>
          <div className="field">
            <label htmlFor={`${id}-body`}>More detail (optional)</label>
            <textarea id={`${id}-body`} rows={2} maxLength={2000} value={body} onChange={(e) => setBody(e.target.value)} />
          </div>
          <CategoryField id={`${id}-category`} label="Kind" value={category} onChange={setCategory} />
          <div className="actions">
            <button type="submit" className="button secondary small" disabled={title.trim().length === 0}>
              Propose to the couple
            </button>
          </div>
        </form>
      </div>
      <ActionOutcome said={said} error={action.error?.message} />
    </section>
  );
}
