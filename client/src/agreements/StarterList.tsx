import { useId, useState } from 'react';
import { categoryLabels, starterAgreements } from '../../../shared/agreements';
import { useAction } from '../realtime/useAction';
import { ActionOutcome } from '../ui/ActionOutcome';

interface StarterListProps {
  canAct: boolean;
  /** true while the couple has no agreement yet: the starters are then the screen's beginning */
  empty: boolean;
  /** titles of the drafts already there, to say which starters they have taken */
  taken: ReadonlySet<string>;
  /** the reader is the couple's counsellor, who reads about the couple, not "you" */
  forCounsellor?: boolean;
}

/**
 * A few agreements other couples start from, to be rewritten in their own words. With no
 * agreement yet they are the screen's beginning; after that they stay one click away, in a
 * disclosure ("Start from an idea") under the add form, which a keyboard opens with Enter or
 * Space and a screen reader announces as collapsed or expanded.
 */
export function StarterList({ canAct, empty, taken, forCounsellor = false }: StarterListProps) {
  const id = useId();
  const list = <Starters canAct={canAct} taken={taken} />;
  if (empty) {
    return (
      <section className="card starters" aria-labelledby={`${id}-title`}>
        <h3 id={`${id}-title`}>A place to start</h3>
        <p className="muted">
          {forCounsellor
            ? 'The couple have no agreements yet. You or they can start from one of these; they then change the words together until the words are theirs. Nothing counts until both agree.'
            : 'You have no agreements yet. Pick one that feels close to what you need, then change the words together until they are yours. Nothing counts until you both agree.'}
        </p>
        {list}
      </section>
    );
  }
  return (
    <details className="card starters starters-more">
      <summary>Start from an idea</summary>
      <p className="small muted">Ideas other couples start from. Pick one, then change the words together until they are yours.</p>
      {list}
    </details>
  );
}

function Starters({ canAct, taken }: { canAct: boolean; taken: ReadonlySet<string> }) {
  const command = useAction();
  const [added, setAdded] = useState<string | null>(null);
  async function start(starter: (typeof starterAgreements)[number]) {
    setAdded(null);
    const res = await command.request('agreement:propose', { title: starter.title, body: starter.body, category: starter.category });
    if (res) setAdded(`Added “${starter.title}” to your agreements.`);
  }
  return (
    <>
      <ul className="starter-list">
        {starterAgreements.map((starter) => (
          <li key={starter.title} className="starter">
            <div>
              <p className="starter-category">{categoryLabels[starter.category]}</p>
              <p className="starter-title">{starter.title}</p>
              <p className="small muted">{starter.body}</p>
              {taken.has(starter.title) && <p className="small starter-taken">You have one with this title already.</p>}
            </div>
            <button
              type="button"
              className="button secondary small"
              aria-label={`Start from this: ${starter.title}`}
              disabled={!canAct || command.busy}
              onClick={() => void start(starter)}
            >
              Start from this
            </button>
          </li>
        ))}
      </ul>
      <ActionOutcome className="starter-status" said={added} error={command.error?.message} />
    </>
  );
}
