import { useEffect, useRef } from 'react';
import type { PausedState } from '../../../shared/session/types';
import { breakLines, breakReader, callerName } from './breakWords';
import { LONGER_CHOICES, untilLabel } from './TimeOutButton';
import { focusWhenLost } from './focusWhenLost';
import type { ScreenProps } from './types';
import { useServerNow } from './useNow';
import { clockDuration, timeOfDay } from './words';

/** A break called this recently is news to this screen: it vibrates once (a reload into a break does not). */
const FRESH_BREAK_MS = 15_000;

/**
 * The calm screen of a time-out, in words for its reader (breakWords.ts): the caller is told to
 * take their time and can come back or take longer; the other partner is told whose break it is
 * and that nothing is needed from them; the counsellor, who is on a break and what they may do.
 */
export function BreakScreen({ paused, you, names, floor, act, busy, offset, counsellor = null }: ScreenProps & { paused: PausedState; counsellor?: string | null }) {
  const now = useServerNow(offset);
  const heading = useRef<HTMLHeadingElement>(null);
  const longer = useRef<HTMLDialogElement>(null);
  const { pause } = paused;
  const reader = breakReader(pause.by, you);
  const left = pause.until - now;
  const lines = breakLines(reader, left > 0 ? 'running' : 'over', { caller: callerName(pause.by, names, counsellor), until: timeOfDay(pause.until, offset) });
  // The break replaces whatever was on screen: bring it into view and put the focus on it; the
  // one who did not call it feels it too, where the device allows.
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
    heading.current?.closest('.break-screen')?.scrollIntoView({ block: 'start' });
    const cancel = focusWhenLost(
      () => heading.current,
      (el) => el.closest('.break-screen')?.scrollIntoView({ block: 'start' }),
    );
    if (reader !== 'caller' && reader !== 'counsellorCaller' && Date.now() + offset - pause.at < FRESH_BREAK_MS) {
      try {
        navigator.vibrate?.(200);
      } catch {
        // A browser may refuse to vibrate (no user gesture yet): the screen change is enough.
      }
    }
    return cancel;
    // Once per break, not on every tick.
  }, [pause.at]);

  const youAreBack = (you === 'A' || you === 'B') && pause.back[you];
  // "I'm back" goes away once tapped while the other is not back yet: the focus stays on the screen.
  useEffect(() => {
    return youAreBack ? focusWhenLost(() => heading.current) : undefined;
  }, [youAreBack]);
  const other = you === 'A' ? 'B' : you === 'B' ? 'A' : null;
  const can = (action: 'back' | 'longer' | 'resume') =>
    lines.actions.includes(action) && (action === 'longer' ? floor.allowed.includes('pause') : floor.allowed.includes(action)) && !(action === 'back' && youAreBack);
  const takeLonger = async (minutes: number) => {
    longer.current?.close();
    await act({ type: 'pause', minutes, untilLabel: untilLabel(minutes) });
  };

  return (
    <div className="session-screen break-screen">
      <div className="breath" aria-hidden="true" />
      <h3 aria-live="polite" ref={heading} tabIndex={-1}>
        {lines.heading}
      </h3>
      <p className="countdown tabular" role="timer" aria-label={left > 0 ? `${clockDuration(left)} left` : 'The break time is over'}>
        {left > 0 ? clockDuration(left) : 'Time is up'}
      </p>
      <p className="break-body">{lines.body}</p>
      {reader === 'calledByCounsellor' && other && (
        <p className="small" role="status">
          {youAreBack ? `You are back. Waiting for ${names[other]}.` : pause.back[other] ? `${names[other]} is back.` : ''}
        </p>
      )}
      <div className="actions">
        {can('back') && (
          <button type="button" className="button" disabled={busy} onClick={() => act({ type: 'back' })}>
            I’m back
          </button>
        )}
        {can('longer') && (
          <button type="button" className="button secondary" aria-haspopup="dialog" onClick={() => longer.current?.showModal()}>
            I need longer
          </button>
        )}
        {can('resume') && (
          <button type="button" className="button secondary" disabled={busy} onClick={() => act({ type: 'resume' })}>
            Resume the session
          </button>
        )}
      </div>
      <dialog ref={longer} className="dialog timeout-dialog" aria-labelledby="timeout-title">
        <h2 id="timeout-title">Take a little longer</h2>
        <p className="muted">No reason needed. {other ? `${names[other]} sees the new time, nothing else.` : ''}</p>
        <p id="timeout-choose">I will be back in:</p>
        <div className="break-choices" role="group" aria-labelledby="timeout-choose">
          {LONGER_CHOICES.map((m, i) => (
            <button key={m} type="button" className={`button${i === 0 ? '' : ' secondary'}`} autoFocus={i === 0} onClick={() => takeLonger(m)}>
              {m} min
            </button>
          ))}
        </div>
        <button type="button" className="button secondary small dialog-cancel" onClick={() => longer.current?.close()}>
          Never mind
        </button>
      </dialog>
    </div>
  );
}
