import { useRef, useState, type ReactElement } from 'react';
import type { Pack, Step } from '../../../shared/content/packSchema';
import type { TranscriptEntry } from '../../../shared/protocol/sessions';
import { progress } from '../../../shared/session/floorView';
import type { ActiveState, Command, CommandType, Seat } from '../../../shared/session/types';
import { FloorBanner, floorWords } from './FloorBanner';
import { KeepRecordChoice, TranscriptList } from './Transcript';
import type { ScreenProps } from './types';
import { useServerNow } from './useNow';
import { capitalise, clockDuration, minutesWords } from './words';

type ComposerKind = 'speak' | 'reflect' | 'validate' | 'empathise' | 'addEntry' | 'proposeAgreement';

const composerLabels: Record<ComposerKind, string> = {
  speak: 'What you want to say',
  reflect: 'What you heard',
  validate: 'Why it makes sense',
  empathise: 'How they might feel',
  addEntry: 'What you would like to add',
  proposeAgreement: 'What you propose to agree on',
};
const sendLabels: Record<ComposerKind, string> = {
  speak: 'Send',
  reflect: 'Send what I heard',
  validate: 'Send',
  empathise: 'Send',
  addEntry: 'Add',
  proposeAgreement: 'Propose',
};

/** Which typed move this person can make now, if any. */
function composerFor(active: ActiveState, allowed: CommandType[]): ComposerKind | null {
  const step = active.step;
  const write = active.mode === 'write';
  if (step.kind === 'speaker-listener' && write) {
    for (const kind of ['speak', 'reflect', 'validate', 'empathise'] as const) if (allowed.includes(kind)) return kind;
    return null;
  }
  if ((step.kind === 'open' || step.kind === 'appreciation') && allowed.includes('addEntry') && write) return 'addEntry';
  if (step.kind === 'agreement' && allowed.includes('proposeAgreement')) return 'proposeAgreement';
  return null;
}

/** Sentence starters that fit this person's move right now. */
function startersFor(step: Step, active: ActiveState, you: string, composer: ComposerKind | null): string[] {
  if (step.kind === 'break') return [];
  if (step.kind === 'speaker-listener') {
    if (active.step.kind !== 'speaker-listener') return [];
    const sub = active.step.sub;
    const speaker = active.step.speaker === you;
    if (speaker && sub === 'speak') return step.starters.speaker;
    if (!speaker && sub === 'reflect') return [...step.starters.listener.mirror, ...step.starters.listener.askMore];
    if (!speaker && sub === 'validate') return step.starters.listener.validate;
    if (!speaker && sub === 'empathise') return step.starters.listener.empathise;
    if (!speaker && sub === 'speak') return step.starters.listener.askMore;
    return [];
  }
  if (!step.starters) return [];
  if (composer === 'addEntry' || composer === 'proposeAgreement') return step.starters.speaker;
  return step.starters.listener ?? [];
}

function newId(): string {
  return globalThis.crypto?.randomUUID?.().slice(0, 18) ?? `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

export function LiveSession(props: ScreenProps & { active: ActiveState; pack: Pack; transcript: { entries: TranscriptEntry[] } | null }) {
  const { active, pack, you, names, floor, act, busy, offset, transcript } = props;
  const now = useServerNow(offset);
  const [text, setText] = useState('');
  const [ending, setEnding] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  const step = pack.steps[active.stepIndex];
  if (!step) return null;
  const prog = progress(active, pack);
  const words = floorWords(active, you, names);
  const composer = composerFor(active, floor.allowed);
  const starters = startersFor(step, active, you, composer);
  const write = active.mode === 'write';
  const can = (t: CommandType) => floor.allowed.includes(t);
  const isLast = active.stepIndex === active.stepCount - 1;
  const sl = active.step.kind === 'speaker-listener' ? active.step : null;
  const isSpeaker = sl?.speaker === you;
  const prompt = 'prompts' in step ? (isSpeaker || (!sl && floor.yourTurn) ? step.prompts.speaker : sl ? step.prompts.listener : step.prompts.speaker) : null;
  const suggested = sl && 'timers' in step && step.timers ? (sl.sub === 'speak' ? step.timers.speak : sl.sub === 'reflect' ? step.timers.reflect : undefined) : undefined;
  const stepEntries = transcript?.entries.filter((e) => e.stepId === active.stepId) ?? [];

  const insert = (starter: string) => {
    const el = box.current;
    const base = starter.replace(/\s*…\s*$/, ' ');
    if (!el) return setText((t) => (t ? `${t} ${base}` : base));
    const start = el.selectionStart ?? text.length;
    const end = el.selectionEnd ?? text.length;
    const before = text.slice(0, start);
    const joined = `${before}${before && !before.endsWith(' ') ? ' ' : ''}${base}`;
    setText(`${joined}${text.slice(end)}`);
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(joined.length, joined.length);
    });
  };

  const submit = async () => {
    if (!composer || !text.trim()) return;
    const t = text.trim();
    const command: Command =
      composer === 'addEntry' || composer === 'proposeAgreement' ? { type: composer, id: newId(), text: t } : { type: composer, text: t };
    if (await act(command)) setText('');
  };

  const button = (label: string, command: Command, kind: 'primary' | 'secondary' = 'primary') => (
    <button key={`${command.type}-${label}`} type="button" className={`button${kind === 'secondary' ? ' secondary' : ''}`} disabled={busy} onClick={() => act(command)}>
      {label}
    </button>
  );
  const other = (seat: Seat | undefined) => (seat ? names[seat] : 'your partner');
  const listenerSeat: Seat | undefined = sl ? (sl.speaker === 'A' ? 'B' : 'A') : undefined;

  const actions: ReactElement[] = [];
  if (can('passToReflect')) actions.push(button(`I’m done: ${other(listenerSeat)}, say back what you heard`, { type: 'passToReflect' }));
  if (!write && can('reflect')) actions.push(button('I’ve said back what I heard', { type: 'reflect' }));
  if (can('confirm')) actions.push(button('That’s it', { type: 'confirm' }));
  if (can('notQuite')) {
    actions.push(button('Not quite: try again', { type: 'notQuite', backTo: 'reflect' }, 'secondary'));
    actions.push(button('Not quite: let me say more', { type: 'notQuite', backTo: 'speak' }, 'secondary'));
  }
  if (!write && can('validate')) actions.push(button('I said why it makes sense', { type: 'validate' }, 'secondary'));
  if (!write && can('empathise')) actions.push(button('I named how you might feel', { type: 'empathise' }, 'secondary'));
  if (can('passFloor')) actions.push(button(sl && sl.round < sl.rounds ? `Pass the floor to ${other(listenerSeat)}` : 'Finish my turn', { type: 'passFloor' }));
  if (!write && can('addEntry')) actions.push(button('I’ve said mine', { type: 'addEntry', id: newId(), text: 'Said aloud' }));
  if (can('ready')) actions.push(button('I’m ready to move on', { type: 'ready' }, composer ? 'secondary' : 'primary'));
  if (can('nextStep')) actions.push(button(isLast ? 'Finish the session' : 'Next step', { type: 'nextStep' }));
  if (you === 'counsellor') {
    if (can('grantFloor')) {
      actions.push(button(`Give ${names.A} the floor`, { type: 'grantFloor', seat: 'A' }, 'secondary'));
      actions.push(button(`Give ${names.B} the floor`, { type: 'grantFloor', seat: 'B' }, 'secondary'));
    }
    if (can('advance')) actions.push(button('Move one notch on', { type: 'advance' }, 'secondary'));
    if (can('skipStep')) actions.push(button('Skip this step', { type: 'skipStep' }, 'secondary'));
    if (can('repeatStep')) actions.push(button('Repeat this step', { type: 'repeatStep' }, 'secondary'));
  }

  return (
    <div className="session-screen live">
      <div className="session-progress">
        <p className="progress-step">
          <span className="visually-hidden">Progress: </span>Step {prog?.stepNumber ?? active.stepIndex + 1} of {active.stepCount}
          <span aria-hidden="true"> · </span>
          <strong>{step.title}</strong>
        </p>
        <div className="progress-bar" aria-hidden="true">
          <span style={{ width: `${((active.stepIndex + 1) / active.stepCount) * 100}%` }} />
        </div>
        <p className="progress-meta small muted">
          <span>
            Time in this step <span className="tabular">{clockDuration(now - active.stepStartedAt)}</span>
          </span>
          {prog?.nextSpeaker && <span>Next to speak: {prog.nextSpeaker === you ? 'you' : names[prog.nextSpeaker]}</span>}
          <span>{write ? 'Written session' : 'Speaking aloud'}</span>
        </p>
      </div>

      <FloorBanner words={words} />

      <p className="step-intro">{step.intro}</p>
      {prompt && (
        <p className="prompt">
          <span className="visually-hidden">Prompt for you: </span>
          {prompt}
        </p>
      )}
      {sl && sl.sub !== 'complete' && (
        <p className="small muted gentle-timer">
          {capitalise(sl.sub === 'speak' ? 'speaking' : sl.sub === 'reflect' ? 'saying back' : 'this part')} for{' '}
          <span className="tabular">{clockDuration(now - sl.subStartedAt)}</span>
          {suggested ? ` · about ${minutesWords(Math.round(suggested / 60))} suggested, no hurry` : ''}
        </p>
      )}

      {(step.kind === 'open' || step.kind === 'appreciation') && active.step.kind !== 'speaker-listener' && 'entries' in active.step && (
        <ul className="said-list" aria-label="Added in this step">
          {active.step.entries.map((e) => (
            <li key={e.id} className={`said said-${e.by === you ? 'mine' : 'theirs'}`}>
              <span className="said-by">{e.by === you ? 'You' : names[e.by]}</span> {e.text === 'Said aloud' && !write ? 'shared theirs aloud' : e.text}
            </li>
          ))}
        </ul>
      )}
      {step.kind === 'agreement' && (
        <ul className="said-list" aria-label="Proposed so far">
          {active.record.proposals
            .filter((p) => p.stepId === active.stepId)
            .map((p) => (
              <li key={p.id} className="said said-proposal">
                <span className="said-by">{p.by === you ? 'You' : p.by === 'counsellor' ? 'Counsellor' : names[p.by]}</span> {p.text}
              </li>
            ))}
        </ul>
      )}
      {write && sl && stepEntries.length > 0 && <TranscriptList entries={stepEntries} you={you} names={names} label="Written in this step" />}

      {starters.length > 0 && (
        <div className="starters">
          <p className="small muted" id="starters-label">
            {composer ? 'Sentence starters (tap to use):' : 'Sentence starters:'}
          </p>
          <ul className="chips" aria-labelledby="starters-label">
            {starters.map((s) => (
              <li key={s}>
                {composer ? (
                  <button type="button" className="chip" onClick={() => insert(s)}>
                    {s}
                  </button>
                ) : (
                  <span className="chip static">{s}</span>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}

      {composer && (
        <form
          className="composer"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <label htmlFor="session-text">{composerLabels[composer]}</label>
          <textarea
            id="session-text"
            ref={box}
            rows={3}
            maxLength={4000}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
            }}
          />
          <button type="submit" className="button" disabled={busy || !text.trim()}>
            {sendLabels[composer]}
          </button>
        </form>
      )}

      {actions.length > 0 && <div className="actions session-actions">{actions}</div>}
      {actions.length === 0 && !composer && (
        <p className="muted small" role="status">
          Nothing to do for you just now: listen, and breathe.
        </p>
      )}

      {write && <KeepRecordChoice active={active} you={you} names={names} act={act} busy={busy} allowed={can('keepRecord')} />}
      {write && transcript && transcript.entries.length > 0 && (
        <details className="whole-transcript">
          <summary>Everything written so far ({transcript.entries.length})</summary>
          <TranscriptList entries={transcript.entries} you={you} names={names} label="Written in this session" />
        </details>
      )}

      <div className="end-session">
        {ending ? (
          <p>
            End the session for both of you now?{' '}
            <button type="button" className="button small danger" disabled={busy} onClick={() => act({ type: 'endSession' })}>
              Yes, end it
            </button>{' '}
            <button type="button" className="button small secondary" onClick={() => setEnding(false)}>
              Keep going
            </button>
          </p>
        ) : (
          can('endSession') && (
            <button type="button" className="button small secondary" onClick={() => setEnding(true)}>
              End the session
            </button>
          )
        )}
      </div>
    </div>
  );
}
