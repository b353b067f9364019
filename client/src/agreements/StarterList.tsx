import type * as Y from 'yjs';
import { addAgreement, categoryLabels, starterAgreements, type Author } from '../../../shared/agreements';

/** The empty state: a few agreements other couples start from, to be rewritten in their own words. */
export function StarterList({ doc, author }: { doc: Y.Doc; author: Author }) {
  return (
    <section className="card starters" aria-labelledby="starters-title">
      <h3 id="starters-title">A place to start</h3>
      <p className="muted">
        You have no agreements yet. Pick one that feels close to what you need, then change the words together until they are
        yours. Nothing counts until you both agree.
      </p>
      <ul className="starter-list">
        {starterAgreements.map((starter) => (
          <li key={starter.title} className="starter">
            <div>
              <p className="starter-category">{categoryLabels[starter.category]}</p>
              <p className="starter-title">{starter.title}</p>
              <p className="small muted">{starter.body}</p>
            </div>
            <button
              type="button"
              className="button secondary small"
              aria-label={`Start from this: ${starter.title}`}
              onClick={() => addAgreement(doc, { ...starter, proposedBy: author, now: Date.now() })}
            >
              Start from this
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
