import type { PartnerSeat } from '../../../shared/protocol/identity';
import { lazy, Suspense, useEffect, useLayoutEffect, useRef, useState, type ReactElement } from 'react';
import type { Pack, Step } from '../../../shared/content/packSchema';
import type { TranscriptEntry } from '../../../shared/protocol/sessions';
import { timeLeavingOutBreaks } from '../../../shared/session/breakTime';
import { progress } from '../../../shared/session/floorView';
import { otherSeat, type ActiveState, type Command, type CommandType } from '../../../shared/session/types';
import { useSocketEvent } from '../realtime/useSocketEvent';
import { DueReviews } from '../room/DueReviews';
import { EndSessionConfirm } from './EndSessionConfirm';
import { focusWhenLost } from './focusWhenLost';
import { FloorBanner } from './FloorBanner';
import { MoveNotice } from './MoveNotice';
import { advanceLabel } from './moveWords';
import { KeepRecordChoice, TranscriptList } from './Transcript';
import type { ScreenProps } from './types';
import { useServerNow } from './useNow';
import { capitalise, clockDuration, minutesWords } from './words';
import { acknowledgement, yourTurn } from './yourTurn';

// Only a step that looks back on the week's check-ins loads them.
const CheckInsOfTheWeek = lazy(() => import('../checkIns/CheckInsOfTheWeek'));

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

/** Sentence starters, only for the person whose words come next. */
function startersFor(step: Step, active: ActiveState, you: string, yourTurnNow: boolean, composer: ComposerKind | null): string[] {
  if (step.kind === 'break') return [];
  if (step.kind === 'speaker-listener') {
    if (active.step.kind !== 'speaker-listener' || !yourTurnNow) return [];
    const sub = active.step.sub;
    const speaker = active.step.speaker === you;
    if (speaker && sub === 'speak') return step.starters.speaker;
    if (!speaker && sub === 'reflect') return [...step.starters.listener.mirror, ...step.starters.listener.askMore];
    if (!speaker && sub === 'validate') return step.starters.listener.validate;
    if (!speaker && sub === 'empathise') return step.starters.listener.empathise;
    return [];
  }
  if (!step.starters) return [];
  if (composer === 'proposeAgreement' || yourTurnNow) return step.starters.speaker;
  return [];
}

/** What changes the reader's task: a new step, sub-phase, speaker, round, turn or request to move on. */
function momentOf(active: ActiveState): string {
  const step = active.step;
  const parts: unknown[] = [active.stepIndex, step.kind, active.nextAskedBy];
  if (step.kind === 'speaker-listener') parts.push(step.sub, step.speaker, step.round);
  if (step.kind === 'open' || step.kind === 'appreciation') parts.push(step.turn, step.ready.A, step.ready.B);
  if (step.kind === 'agreement') parts.push(step.ready.A, step.ready.B);
  return parts.join('|');
}

function newId(): string {
  return globalThis.crypto?.randomUUID?.().slice(0, 18) ?? `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

export function LiveSession(
  props: ScreenProps & { active: ActiveState; pack: Pack; transcript: { entries: TranscriptEntry[] } | null; counsellor?: string | null },
) {
  const { active, pack, you, names, floor, act, busy, offset, transcript } = props;
  const now = useServerNow(offset);
  const [text, setText] = useState('');
  const [ending, setEnding] = useState(false);
  const [ack, setAck] = useState<{ version: number; text: string } | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const banner = useRef<HTMLDivElement>(null);
  const move = useRef<HTMLDivElement>(null);
  const caret = useRef<number | null>(null);
  const moment = momentOf(active);
  const words = yourTurn(active, you, names);
  // The control to bring forward: the reader's own move, or moving on from a finished step.
  const hasMove = words.mine || floor.allowed.includes('nextStep');

  useSocketEvent('session:events', (message) => {
    for (const event of message.events) {
      const said = acknowledgement(event, you, names);
      if (said) setAck({ version: message.version, text: said });
    }
  });

  // A starter chip puts the caret after its words as soon as they are in the box, before any
  // key typed next can land.
  useLayoutEffect(() => {
    const at = caret.current;
    const el = box.current;
    if (at === null || !el) return;
    caret.current = null;
    el.focus();
    el.setSelectionRange(at, at);
  }, [text]);

  // On every change of the reader's task, its line and its control come into view and the
  // focus moves to the control, unless the reader is busy elsewhere (the agreements beside it).
  // A control still disabled by the command in flight gets the focus once it is enabled.
  const waitingToFocus = useRef(false);
  const counsellorShown = useRef(false);
  useLayoutEffect(() => {
    const section = banner.current?.closest('section') ?? null;
    const focused = document.activeElement;
    // The counsellor watches from a desk of their own; the banner's live region tells them, and
    // the session's start comes into view there without taking the focus from their notes.
    if (you === 'counsellor') {
      if (!counsellorShown.current && active.stepIndex === 0) banner.current?.parentElement?.scrollIntoView({ block: 'start' });
      counsellorShown.current = true;
      return;
    }
    if (focused && focused !== document.body && !section?.contains(focused)) return;
    const control = hasMove ? move.current?.querySelector<HTMLElement>('textarea, button') : null;
    // The step's name above the banner stays in view too, unless that would push the control out.
    banner.current?.parentElement?.scrollIntoView({ block: 'start' });
    if (control && control.getBoundingClientRect().bottom > window.innerHeight) banner.current?.scrollIntoView({ block: 'start' });
    waitingToFocus.current = control instanceof HTMLButtonElement && control.disabled;
    (control && !waitingToFocus.current ? control : banner.current)?.focus({ preventScroll: true });
    // Only a change of task moves the focus, not every render.
  }, [moment]);
  // The control tapped can go with the screen it was on (a time-out ending, "I'm back"): the
  // focus comes to the reader's control or the banner rather than to the page.
  useEffect(() => {
    if (you === 'counsellor') return;
    return focusWhenLost(() => (hasMove ? move.current?.querySelector<HTMLElement>('textarea, button:not([disabled])') : null) ?? banner.current);
  }, [moment]);
  const endButton = useRef<HTMLButtonElement>(null);
  const wasEnding = useRef(false);
  useEffect(() => {
    // "Keep going" closes the question: the focus goes back to "End the session".
    if (wasEnding.current && !ending) endButton.current?.focus();
    wasEnding.current = ending;
  }, [ending]);
  useLayoutEffect(() => {
    if (busy || !waitingToFocus.current) return;
    waitingToFocus.current = false;
    if (document.activeElement !== banner.current && document.activeElement !== document.body) return;
    move.current?.querySelector<HTMLElement>('textarea, button:not([disabled])')?.focus({ preventScroll: true });
  }, [busy]);

  const step = pack.steps[active.stepIndex];
  if (!step) return null;
  const prog = progress(active, pack);
  const composer = composerFor(active, floor.allowed);
  const starters = startersFor(step, active, you, floor.yourTurn, composer);
  const write = active.mode === 'write';
  const can = (t: CommandType) => floor.allowed.includes(t);
  const isLast = active.stepIndex === active.stepCount - 1;
  const sl = active.step.kind === 'speaker-listener' ? active.step : null;
  const isSpeaker = sl?.speaker === you;
  const prompts = 'prompts' in step ? step.prompts : null;
  // The prompt is for the one whose words come next: the speaker's as they speak, the listener's as they say back.
  const prompt = !prompts
    ? null
    : sl
      ? isSpeaker && sl.sub === 'speak'
        ? prompts.speaker
        : !isSpeaker && you !== 'counsellor' && sl.sub === 'reflect'
          ? prompts.listener
          : null
      : floor.yourTurn
        ? prompts.speaker
        : null;
  // In writing, what the reader answers sits right above their box or buttons.
  const quoted =
    !write || !sl || you === 'counsellor'
      ? null
      : !isSpeaker && sl.said.length > 0 && (sl.sub === 'reflect' || sl.sub === 'validate' || sl.sub === 'empathise')
        ? { by: names[sl.speaker], verb: 'said', text: sl.said.join('\n') }
        : isSpeaker && sl.sub === 'check' && sl.reflection
          ? { by: names[otherSeat(sl.speaker)], verb: 'heard', text: sl.reflection }
          : null;
  const suggested = sl && 'timers' in step && step.timers ? (sl.sub === 'speak' ? step.timers.speak : sl.sub === 'reflect' ? step.timers.reflect : undefined) : undefined;
  const stepEntries = transcript?.entries.filter((e) => e.stepId === active.stepId) ?? [];
  const ahead = pack.steps.slice(active.stepIndex + 1);
  const ackText = ack && ack.version === active.version ? ack.text : null;

  const insert = (starter: string) => {
    const el = box.current;
    const base = starter.replace(/\s*…\s*$/, ' ');
    if (!el) return setText((t) => (t ? `${t} ${base}` : base));
    const start = el.selectionStart ?? text.length;
    const end = el.selectionEnd ?? text.length;
    const before = text.slice(0, start);
    const joined = `${before}${before && !before.endsWith(' ') ? ' ' : ''}${base}`;
    caret.current = joined.length;
    setText(`${joined}${text.slice(end)}`);
  };

  const submit = async () => {
    if (!composer || !text.trim()) return;
    const t = text.trim();
    const command: Command =
      composer === 'addEntry' || composer === 'proposeAgreement' ? { type: composer, id: newId(), text: t } : { type: composer, text: t };
    if (await act(command)) setText('');
  };

  const button = (label: string, command: Command, kind: 'primary' | 'secondary' = 'primary', run: () => unknown = () => act(command)) => (
    <button key={`${command.type}-${label}`} type="button" className={`button${kind === 'secondary' ? ' secondary' : ''}`} disabled={busy} onClick={run}>
      {label}
    </button>
  );
  const other = (seat: PartnerSeat | undefined) => (seat ? names[seat] : 'your partner');
  const listenerSeat: PartnerSeat | undefined = sl ? (sl.speaker === 'A' ? 'B' : 'A') : undefined;
  // Who holds the floor now: the speaker of a turn, or whose turn it is to add in an open step.
  const floorHolder: PartnerSeat | undefined = sl ? sl.speaker : active.step.kind === 'open' || active.step.kind === 'appreciation' ? active.step.turn : undefined;
  const askedByPartner = active.nextAskedBy !== undefined && active.nextAskedBy !== you && you !== 'counsellor';

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
  // In a step both are ready to leave, moving on comes first; one more word said aloud stays possible, after it.
  const bothReady = 'ready' in active.step && active.step.ready.A && active.step.ready.B;
  if (!write && can('addEntry') && !bothReady) actions.push(button('I’ve said mine', { type: 'addEntry', id: newId(), text: 'Said aloud' }));
  // With the partner ready already, this "ready" completes the step and is the ask to move on
  // in the same press; the partner still answers it (TM-39), so nobody presses "Next step" after it.
  const partnerReady = you !== 'counsellor' && 'ready' in active.step && active.step.ready[otherSeat(you)];
  const readyAndAsk = async () => {
    if ((await act({ type: 'ready' })) && partnerReady) await act({ type: 'nextStep' });
  };
  if (can('ready')) actions.push(button('I’m ready to move on', { type: 'ready' }, composer || (!write && can('addEntry')) || (floorHolder !== undefined && floorHolder !== you) ? 'secondary' : 'primary', readyAndAsk));
  if (can('nextStep')) {
    const label = askedByPartner ? (isLast ? 'Yes, finish together' : 'Yes, move on together') : isLast ? 'Finish the session' : 'Next step';
    actions.push(button(label, { type: 'nextStep' }));
  }
  if (can('holdStep')) actions.push(button(active.nextAskedBy === you ? 'Take back my request' : 'Not yet', { type: 'holdStep' }, 'secondary'));
  if (!write && can('addEntry') && bothReady) actions.push(button('I’ve said one more thing', { type: 'addEntry', id: newId(), text: 'Said aloud' }, 'secondary'));
  if (you === 'counsellor') {
    if (can('grantFloor')) {
      // Only the partner who does not hold the floor can be given it.
      for (const seat of ['A', 'B'] as const) if (seat !== floorHolder) actions.push(button(`Give ${names[seat]} the floor`, { type: 'grantFloor', seat }, 'secondary'));
    }
    if (can('advance')) actions.push(button(advanceLabel(active.step, { ...names, counsellor: 'you' }), { type: 'advance' }, 'secondary'));
    if (can('skipStep')) actions.push(button('Skip this step', { type: 'skipStep' }, 'secondary'));
    if (can('repeatStep')) actions.push(button('Repeat this step', { type: 'repeatStep' }, 'secondary'));
  }

  const starterChips = starters.length > 0 && (
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
  );

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
      </div>

      <FloorBanner ref={banner} words={words} ack={ackText} />
      {/* Right under the reader's own line: who moved the session, and how (TM-42). */}
      <MoveNotice state={active} you={you} names={{ ...names, counsellor: props.counsellor ?? 'Your counsellor' }} pack={pack} />

      <div className="your-move" ref={move}>
        {quoted && (
          <blockquote className="quoted">
            <span className="said-by">
              {quoted.by} {quoted.verb}
            </span>
            {quoted.text}
          </blockquote>
        )}
        {prompt && (
          <p className="prompt">
            <span className="visually-hidden">Prompt for you: </span>
            {prompt}
          </p>
        )}
        {composer ? (
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
            {starterChips}
            <button type="submit" className="button" disabled={busy || !text.trim()}>
              {sendLabels[composer]}
            </button>
          </form>
        ) : (
          starterChips
        )}
        {actions.length > 0 && <div className="actions session-actions">{actions}</div>}
      </div>

      {sl && sl.sub !== 'complete' && (
        <p className="small muted gentle-timer">
          {capitalise(sl.sub === 'speak' ? 'speaking' : sl.sub === 'reflect' ? 'saying back' : 'this part')} for{' '}
          <span className="tabular">{clockDuration(timeLeavingOutBreaks(sl.subStartedAt, now, active.breaks))}</span>
          {suggested ? ` · about ${minutesWords(Math.round(suggested / 60))} suggested, no hurry` : ''}
        </p>
      )}

      {(step.kind === 'open' || step.kind === 'appreciation') && active.step.kind !== 'speaker-listener' && 'entries' in active.step && active.step.entries.length > 0 && (
        <details className="fold" open>
          <summary>Added in this step ({active.step.entries.length})</summary>
          <ul className="said-list" aria-label="Added in this step">
            {active.step.entries.map((e) => (
              <li key={e.id} className={`said said-${e.by === you ? 'mine' : 'theirs'}`}>
                <span className="said-by">{e.by === you ? 'You' : names[e.by]}</span> {e.text === 'Said aloud' && !write ? (e.by === you ? 'shared yours aloud' : 'shared theirs') : e.text}
              </li>
            ))}
          </ul>
        </details>
      )}
      {step.kind === 'agreement' && step.showsCheckIns && (
        <Suspense fallback={null}>
          <CheckInsOfTheWeek you={you} names={names} />
        </Suspense>
      )}
      {step.kind === 'agreement' && step.showsDueReviews && <DueReviews connected />}
      {step.kind === 'agreement' && (
        <details className="fold" open>
          <summary>Proposed so far</summary>
          <ul className="said-list" aria-label="Proposed so far">
            {active.record.proposals
              .filter((p) => p.stepId === active.stepId)
              .map((p) => (
                <li key={p.id} className="said said-proposal">
                  <span className="said-by">{p.by === you ? 'You' : p.by === 'counsellor' ? 'Counsellor' : names[p.by]}</span> {p.text}
                </li>
              ))}
          </ul>
        </details>
      )}
      {write && sl && stepEntries.length > 0 && (
        <details className="fold" open>
          <summary>Written in this step ({stepEntries.length})</summary>
          <TranscriptList entries={stepEntries} you={you} names={names} label="Written in this step" />
        </details>
      )}

      <details className="fold about-step">
        <summary>About this step{ahead.length > 0 ? ' and what comes next' : ''}</summary>
        <p className="step-intro">{step.intro}</p>
        {prompts && you !== 'counsellor' && !prompt && <p className="prompt">{isSpeaker || (!sl && floor.yourTurn) ? prompts.speaker : prompts.listener}</p>}
        {prompts && you === 'counsellor' && (
          <>
            <p className="prompt">For the speaker: {prompts.speaker}</p>
            <p className="prompt">For the listener: {prompts.listener}</p>
          </>
        )}
        <p className="progress-meta small muted">
          <span>
            Time in this step <span className="tabular">{clockDuration(timeLeavingOutBreaks(active.stepStartedAt, now, active.breaks))}</span>
          </span>
          {prog?.nextSpeaker && <span>Speaking next, after this turn: {prog.nextSpeaker === you ? 'you' : names[prog.nextSpeaker]}</span>}
          <span>{write ? 'Written session' : 'Speaking aloud'}</span>
        </p>
        {ahead.length > 0 && (
          <ol className="steps-ahead" start={active.stepIndex + 2} aria-label="Steps ahead">
            {ahead.map((s) => (
              <li key={s.id}>{s.title}</li>
            ))}
          </ol>
        )}
      </details>

      {write && <KeepRecordChoice active={active} you={you} names={names} act={act} busy={busy} allowed={can('keepRecord')} />}
      {write && transcript && transcript.entries.length > 0 && (
        <details className="fold whole-transcript">
          <summary>Everything written so far ({transcript.entries.length})</summary>
          <TranscriptList entries={transcript.entries} you={you} names={names} label="Written in this session" />
        </details>
      )}

      <div className="end-session">
        {ending ? (
          <EndSessionConfirm
            act={act}
            busy={busy}
            onKeepGoing={() => setEnding(false)}
            {...(you === 'counsellor' ? { question: `End the session for ${names.A} and ${names.B} now?` } : {})}
          />
        ) : (
          can('endSession') && (
            <button ref={endButton} type="button" className="button small secondary" onClick={() => setEnding(true)}>
              End the session
            </button>
          )
        )}
      </div>
    </div>
  );
}
