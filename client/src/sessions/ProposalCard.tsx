import { useEffect, useRef, useState } from 'react';
import type { Pack } from '../../../shared/content/packSchema';
import type { ProposedState } from '../../../shared/session/types';
import { focusWhenLost } from './focusWhenLost';
import type { ScreenProps } from './types';

const modeLabel = { aloud: 'speaking aloud', write: 'in writing' } as const;

/** A proposed session: the other partner accepts or answers "not now" with a time. */
export function ProposalCard({ proposal, pack, you, names, floor, act, busy }: ScreenProps & { proposal: ProposedState; pack: Pack | undefined }) {
  const [declining, setDeclining] = useState(false);
  const [when, setWhen] = useState('');
  const by = proposal.proposedBy === 'counsellor' ? 'Your counsellor' : proposal.proposedBy === you ? 'You' : names[proposal.proposedBy];
  const title = pack?.title ?? 'a guided session';
  const can = (t: string) => floor.allowed.includes(t as never);
  const heading = useRef<HTMLHeadingElement>(null);
  // "Ask … to join" goes away with the tap: the focus comes here rather than to the page.
  useEffect(() => focusWhenLost(() => heading.current), []);
  const waitingFor = (['A', 'B'] as const).filter((s) => !proposal.accepted[s]).map((s) => (s === you ? 'you' : names[s]));

  return (
    <div className="session-screen proposal" aria-live="polite">
      <h3 ref={heading} tabIndex={-1}>
        {by} {by === 'You' ? 'asked' : 'would like'} to begin “{title}”
      </h3>
      <p className="muted">
        {pack ? `About ${pack.suggestedMinutes} minutes, ${pack.steps.length} steps, ` : ''}
        {modeLabel[proposal.mode]}.
      </p>
      {pack && <p>{pack.summary}</p>}
      {can('accept') ? (
        declining ? (
          <form
            className="stack"
            onSubmit={async (e) => {
              e.preventDefault();
              const trimmed = when.trim();
              await act(trimmed ? { type: 'decline', suggestedTime: trimmed } : { type: 'decline' });
            }}
          >
            <div className="field">
              <label htmlFor="suggest-time">When would suit you? (optional)</label>
              <input id="suggest-time" value={when} maxLength={100} placeholder="For example: Sunday after dinner" onChange={(e) => setWhen(e.target.value)} />
            </div>
            <div className="actions">
              <button type="submit" className="button" disabled={busy}>
                Send “not now”
              </button>
              <button type="button" className="button secondary" onClick={() => setDeclining(false)}>
                Back
              </button>
            </div>
          </form>
        ) : (
          <div className="actions">
            <button type="button" className="button" disabled={busy} onClick={() => act({ type: 'accept' })}>
              Yes, let’s begin
            </button>
            <button type="button" className="button secondary" onClick={() => setDeclining(true)}>
              Not now
            </button>
          </div>
        )
      ) : (
        <p role="status">Waiting for {waitingFor.join(' and ')} to say yes.</p>
      )}
      {can('cancelProposal') && (
        <button type="button" className="button secondary small" disabled={busy} onClick={() => act({ type: 'cancelProposal' })}>
          Withdraw the request
        </button>
      )}
    </div>
  );
}
