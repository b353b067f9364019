import { useEffect, useId, useRef, useState } from 'react';
import type { Pack } from '../../../shared/content/packSchema';
import { describeFloor } from '../../../shared/session/floorView';
import { SessionMode } from '../../../shared/session/types';
import { HowTurnsWork } from './HowTurnsWork';
import type { ScreenProps } from './types';

const modeWords = {
  aloud: { title: 'Speak aloud', hint: 'The app keeps the floor, the prompts and gentle timers. Nothing you say is recorded.' },
  write: {
    title: 'Write',
    hint: 'Each turn is typed and shown to you both. It is kept only if you both choose to keep it; otherwise it is gone when the session ends.',
  },
} as const;

/** The library of guided sessions, and proposing one to the other partner. */
export function PackLibrary({ packs, state, you, names, floor, act, busy, onBack }: ScreenProps & { packs: Pack[]; onBack?: () => void }) {
  const [chosen, setChosen] = useState<Pack | null>(null);
  const [mode, setMode] = useState<SessionMode>(SessionMode.Aloud);
  const modeName = useId();
  const summaryId = useId();
  const other = you === 'A' ? names.B : you === 'B' ? names.A : 'the couple';
  // Whether proposing is allowed depends on the pack, so ask the machine with the chosen one.
  const allowedWithPack = chosen ? describeFloor(state, you, chosen).allowed : floor.allowed;
  const canPropose = allowedWithPack.includes('propose') || allowedWithPack.includes('choosePack');
  const declined = state.phase === 'idle' ? state.declined : undefined;
  // The button pressed goes away in both directions, so focus follows: to the chosen pack's
  // heading, and back to that pack's card on "All sessions".
  const chosenHeading = useRef<HTMLHeadingElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const lastChosen = useRef<string | null>(null);
  useEffect(() => {
    if (chosen) chosenHeading.current?.focus();
    else if (lastChosen.current) list.current?.querySelector<HTMLButtonElement>(`[data-pack="${lastChosen.current}"]`)?.focus();
    lastChosen.current = chosen?.id ?? null;
  }, [chosen]);

  if (chosen) {
    return (
      <div className="session-screen">
        <button type="button" className="button secondary small" onClick={() => setChosen(null)}>
          ← All sessions
        </button>
        <h3 className="pack-heading" ref={chosenHeading} tabIndex={-1}>
          {chosen.title}
        </h3>
        <p className="muted">
          About {chosen.suggestedMinutes} minutes · {chosen.steps.length} steps
        </p>
        <p>{chosen.summary}</p>
        <ol className="pack-steps">
          {chosen.steps.map((s) => (
            <li key={s.id}>
              <strong>{/[.?!]$/.test(s.title) ? s.title : `${s.title}.`}</strong> <span className="muted">{s.intro}</span>
            </li>
          ))}
        </ol>
        <fieldset className="mode-choice">
          <legend>How would you like to talk?</legend>
          {(Object.keys(modeWords) as SessionMode[]).map((m) => (
            <label key={m} className={`mode-option${mode === m ? ' chosen' : ''}`}>
              <input type="radio" name={modeName} value={m} checked={mode === m} onChange={() => setMode(m)} />
              <span>
                <strong>{modeWords[m].title}</strong>
                <span className="small muted">{modeWords[m].hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div className="actions">
          <button
            type="button"
            className="button"
            disabled={busy || !canPropose}
            onClick={async () => {
              const command = you === 'counsellor' ? { type: 'choosePack' as const, packId: chosen.id, mode } : { type: 'propose' as const, packId: chosen.id, mode };
              if (await act(command)) setChosen(null);
            }}
          >
            {you === 'counsellor' ? 'Offer this session' : `Ask ${other} to join`}
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className="session-screen">
      {declined && (
        <p className="notice notice-info" role="status">
          {declined.by === you ? 'You said “not now”.' : `${names[declined.by]} said “not now”.`}
          {declined.suggestedTime ? ` Suggested time: ${declined.suggestedTime}.` : ''} Whenever you are both ready, pick a session
          below.
        </p>
      )}
      <p className="muted">
        A guided session takes you through a conversation in steps, one speaker at a time. Choose one; {other} will be asked
        whether now is a good moment.
      </p>
      {onBack && (
        <button type="button" className="button secondary small" onClick={onBack}>
          ← Back to the summary
        </button>
      )}
      {/* Open before the first session (the room has none behind it yet); folded after one. */}
      <HowTurnsWork open={state.phase === 'idle'} counsellor={you === 'counsellor'} />
      <ul className="pack-list" ref={list}>
        {packs.map((p) => (
          <li key={p.id}>
            <button
              type="button"
              className="pack-card"
              data-pack={p.id}
              onClick={() => setChosen(p)}
              aria-label={`${p.title}, about ${p.suggestedMinutes} minutes`}
              aria-describedby={`${summaryId}-${p.id}`}
            >
              <span className="pack-title">{p.title}</span>
              <span className="pack-minutes">{p.suggestedMinutes} min</span>
              <span className="pack-summary" id={`${summaryId}-${p.id}`}>
                {p.summary}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
