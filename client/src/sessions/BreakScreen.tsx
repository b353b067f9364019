import { useEffect, useRef } from 'react';
import type { PausedState } from '../../../shared/session/types';
import type { ScreenProps } from './types';
import { useServerNow } from './useNow';
import { clockDuration, timeOfDay } from './words';

/** The calm countdown: the caller sees their own break; the other sees only when it ends. */
export function BreakScreen({ paused, you, names, floor, act, busy, offset }: ScreenProps & { paused: PausedState }) {
  const now = useServerNow(offset);
  const heading = useRef<HTMLHeadingElement>(null);
  // The break replaces whatever was on screen: bring it into view and put the focus on it.
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
    heading.current?.closest('.break-screen')?.scrollIntoView({ block: 'start' });
  }, []);
  const { pause } = paused;
  const left = pause.until - now;
  const until = timeOfDay(pause.until, offset);
  const yours = pause.by !== null && pause.by === you;
  const partner = you === 'A' ? 'B' : you === 'B' ? 'A' : null;
  const youAreBack = (you === 'A' || you === 'B') && pause.back[you];
  const partnerBack = partner !== null && pause.back[partner];

  return (
    <div className="session-screen break-screen">
      <div className="breath" aria-hidden="true" />
      <h3 aria-live="polite" ref={heading} tabIndex={-1}>{yours ? `You are taking a break until ${until}` : `Taking a break until ${until}`}</h3>
      <p className="countdown tabular" role="timer" aria-label={left > 0 ? `${clockDuration(left)} left` : 'The break time is over'}>
        {left > 0 ? clockDuration(left) : 'Time is up'}
      </p>
      <p className="muted">
        {yours
          ? 'Take the time you need. Breathe slowly; drink some water; step outside if you can.'
          : 'Nothing is needed from you now. Take this time for yourself too.'}
      </p>
      <p className="muted small">The session carries on, exactly where it was, once you are both back.</p>
      {partner && (
        <p className="small" role="status">
          {youAreBack ? 'You are back.' : ''} {partnerBack ? `${names[partner]} is back.` : ''}
        </p>
      )}
      <div className="actions">
        {floor.allowed.includes('back') && (
          <button type="button" className="button" disabled={busy} onClick={() => act({ type: 'back' })}>
            I’m back
          </button>
        )}
        {floor.allowed.includes('resume') && (
          <button type="button" className="button secondary" disabled={busy} onClick={() => act({ type: 'resume' })}>
            Resume the session
          </button>
        )}
      </div>
    </div>
  );
}
