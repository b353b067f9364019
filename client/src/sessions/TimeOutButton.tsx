import { useRef } from 'react';
import type { Command, SessionState } from '../../../shared/session/types';

export const DEFAULT_BREAK_MINUTES = 20;
/** A break can be made longer while it runs; coming back early is "I'm back". */
export const LONGER_CHOICES = [30, 45, 60] as const;

/** "20:40" on this device, for the partner's screen. */
export function untilLabel(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/**
 * Always on screen during a session, for either partner. One tap starts a 20-minute break,
 * no reason asked and nothing to choose in the hard moment; the caller can then make it longer
 * or come back early from the break screen.
 */
export function TimeOutButton({ state, act }: { state: SessionState; act(c: Command): Promise<boolean>; offset: number }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const paused = state.phase === 'paused';
  const take = async (minutes: number) => {
    dialog.current?.close();
    await act({ type: 'pause', minutes, untilLabel: untilLabel(minutes) });
  };
  return (
    <>
      <button
        type="button"
        className="timeout-button"
        onClick={() => (paused ? dialog.current?.showModal() : void take(DEFAULT_BREAK_MINUTES))}
        aria-haspopup={paused ? 'dialog' : undefined}
      >
        <span aria-hidden="true" className="timeout-icon">
          ❚❚
        </span>
        {paused ? 'Need longer?' : 'Time-out'}
      </button>
      <dialog ref={dialog} className="dialog timeout-dialog" aria-labelledby="timeout-title">
        <h2 id="timeout-title">Take a little longer</h2>
        <p className="muted">No reason needed. Your partner will only see when you will be back.</p>
        <p id="timeout-choose">I will be back in:</p>
        <div className="break-choices" role="group" aria-labelledby="timeout-choose">
          {LONGER_CHOICES.map((m, i) => (
            <button key={m} type="button" className={`button${i === 0 ? '' : ' secondary'}`} autoFocus={i === 0} onClick={() => take(m)}>
              {m} min
            </button>
          ))}
        </div>
        <button type="button" className="button secondary small dialog-cancel" onClick={() => dialog.current?.close()}>
          Never mind
        </button>
      </dialog>
    </>
  );
}
