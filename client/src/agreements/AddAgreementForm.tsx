import { useId, useState, type FormEvent } from 'react';
import { CategorySelect } from '../ui/CategorySelect';
import type * as Y from 'yjs';
import { addAgreement, type AgreementCategory, type Author } from '../../../shared/agreements';

/** A new agreement starts with a title and a category; its words are written together after. */
export function AddAgreementForm({ doc, author, onAdded }: { doc: Y.Doc; author: Author; onAdded?: () => void }) {
  const id = useId();
  const [title, setTitle] = useState('');
  const [category, setCategory] = useState<AgreementCategory>('communication');
  const [reviewOn, setReviewOn] = useState('');
  const [error, setError] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) {
      setError('Give it a short title first.');
      return;
    }
    addAgreement(doc, { title: trimmed, category, proposedBy: author, now: Date.now(), reviewOn: reviewOn || null });
    setTitle('');
    setReviewOn('');
    setError(null);
    onAdded?.();
  }

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
            placeholder="For example: we say when we need a pause"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-category`}>Category</label>
          <CategorySelect id={`${id}-category`} value={category} onChange={setCategory} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-review`}>Look at it again on (optional)</label>
          <input id={`${id}-review`} type="date" value={reviewOn} onChange={(e) => setReviewOn(e.target.value)} />
        </div>
      </div>
      {error && (
        <p id={`${id}-error`} className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button">
          Add it
        </button>
      </div>
    </form>
  );
}
