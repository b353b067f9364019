import { useRef } from 'react';
import type { Command, SessionState } from '../../../shared/session/types';

export const BREAK_CHOICES = [10, 20, 30, 60] as const;

/** "20:40" on this device, for the partner's screen. */
export function untilLabel(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/**
 * Always on screen during a session, for either partner, one tap away. No reason is asked:
 * the dialog only asks how long, with 20 minutes ready under the finger.
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
      <button type="button" className="timeout-button" onClick={() => dialog.current?.showModal()} aria-haspopup="dialog">
        <span aria-hidden="true" className="timeout-icon">
          ❚❚
        </span>
        {paused ? 'Need longer?' : 'Time-out'}
      </button>
      <dialog ref={dialog} className="dialog timeout-dialog" aria-labelledby="timeout-title">
        <h2 id="timeout-title">{paused ? 'Take a little longer' : 'Take a break'}</h2>
        <p className="muted">No reason needed. Your partner will only see when you will be back.</p>
        <p id="timeout-choose">I will be back in:</p>
        <div className="break-choices" role="group" aria-labelledby="timeout-choose">
          {BREAK_CHOICES.map((m) => (
            <button key={m} type="button" className={`button${m === 20 ? '' : ' secondary'}`} autoFocus={m === 20} onClick={() => take(m)}>
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
