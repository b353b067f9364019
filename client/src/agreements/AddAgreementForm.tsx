import { useId, useState, type FormEvent } from 'react';
import type { AgreementCategory } from '../../../shared/agreements';
import { CategoryField } from '../ui/CategorySelect';
import { useAction } from '../realtime/useAction';
import { FormError } from '../ui/FormError';

/**
 * A new agreement starts with a title and a category; its words are written together after.
 * The server adds it, so who proposed it and when is on the record.
 */
export function AddAgreementForm({ canAct }: { canAct: boolean }) {
  const id = useId();
  const command = useAction();
  const [title, setTitle] = useState('');
  const [category, setCategory] = useState<AgreementCategory>('communication');
  const [reviewOn, setReviewOn] = useState('');
  const [missing, setMissing] = useState(false);
  const [added, setAdded] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = title.trim();
    setAdded(null);
    if (!trimmed) {
      setMissing(true);
      return;
    }
    setMissing(false);
    const res = await command.request('agreement:propose', { title: trimmed, category, reviewOn: reviewOn || null });
    if (!res) return;
    setTitle('');
    setReviewOn('');
    setAdded(`Added “${trimmed}”. Write its words together above.`);
  }

  const error = missing ? 'Give it a short title first.' : (command.error?.message ?? null);
  return (
    <form className="card add-agreement" onSubmit={submit} aria-labelledby={`${id}-heading`} noValidate>
      <h3 id={`${id}-heading`}>Propose an agreement</h3>
      <div className="add-grid">
        <div className="field add-title">
          <label htmlFor={`${id}-title`}>Title</label>
          <input
            id={`${id}-title`}
            value={title}
            maxLength={200}
            onChange={(e) => setTitle(e.target.value)}
            placeholder="e.g. we ask for a pause"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
          />
        </div>
        <CategoryField id={`${id}-category`} label="Category" value={category} onChange={setCategory} />
        <div className="field">
          <label htmlFor={`${id}-review`}>Look at it again on (optional)</label>
          <input id={`${id}-review`} type="date" value={reviewOn} onChange={(e) => setReviewOn(e.target.value)} />
        </div>
      </div>
      <FormError id={`${id}-error`} message={error} />
      <p className="small muted add-status" role="status">
        {added}
      </p>
      <div className="actions">
        <button type="submit" className="button" disabled={!canAct || command.busy}>
          Add it
        </button>
      </div>
    </form>
  );
}
