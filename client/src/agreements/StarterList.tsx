import { categoryLabels, starterAgreements } from '../../../shared/agreements';
import { useAction } from '../realtime/useAction';
import { FormError } from '../ui/FormError';

/** The empty state: a few agreements other couples start from, to be rewritten in their own words. */
export function StarterList({ canAct }: { canAct: boolean }) {
  const command = useAction();
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
              disabled={!canAct || command.busy}
              onClick={() => void command.request('agreement:propose', { title: starter.title, body: starter.body, category: starter.category })}
            >
              Start from this
            </button>
          </li>
        ))}
      </ul>
      <FormError message={command.error?.message} />
    </section>
  );
}
