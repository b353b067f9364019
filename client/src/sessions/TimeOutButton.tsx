import { useEffect } from 'react';
import { createPortal } from 'react-dom';
import type { Command } from '../../../shared/session/types';

export const DEFAULT_BREAK_MINUTES = 20;
/** A break can be made longer while it runs; coming back early is "I'm back". */
export const LONGER_CHOICES = [30, 45, 60] as const;

/**
 * The keyboard shortcut for a time-out, wherever the focus is. Alt+P ("pause") is free in
 * Chrome, Firefox, Edge and Safari and in NVDA, JAWS and VoiceOver, which use Insert, Caps Lock
 * or Control+Option; Alt+T opens Firefox's Tools menu and Escape leaves NVDA's focus mode.
 */
export const TIME_OUT_SHORTCUT = { label: 'Alt+P', code: 'KeyP' } as const;

export function isTimeOutShortcut(e: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'code'>): boolean {
  return e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.code === TIME_OUT_SHORTCUT.code;
}

/** "20:40" on this device, for the partner's screen. */
export function untilLabel(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}

/**
 * One tap starts a 20-minute break, no reason asked and nothing to choose in the hard moment;
 * the caller can then make it longer or come back early from the break screen. It shows in the
 * room's time-out bar (`slot`, at the top of the room's main region, whichever tab is open), so
 * it is there on every tab and takes its own space instead of covering what is below it.
 */
export function TimeOutButton({ act, busy, slot }: { act(c: Command): Promise<boolean>; busy: boolean; slot: HTMLElement | null }) {
  const take = () => void act({ type: 'pause', minutes: DEFAULT_BREAK_MINUTES, untilLabel: untilLabel(DEFAULT_BREAK_MINUTES) });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isTimeOutShortcut(e) || e.repeat) return;
      e.preventDefault();
      take();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  const button = (
    <>
      <button type="button" className="timeout-button" disabled={busy} onClick={take} aria-label="Time-out" aria-keyshortcuts={TIME_OUT_SHORTCUT.label} aria-describedby="timeout-hint">
        <span aria-hidden="true" className="timeout-icon">
          ❚❚
        </span>
        Time-out
        <kbd className="timeout-key" aria-hidden="true">
          {TIME_OUT_SHORTCUT.label}
        </kbd>
      </button>
      <span id="timeout-hint" className="visually-hidden">
        A break of {DEFAULT_BREAK_MINUTES} minutes for the whole room, no reason needed. Shortcut: {TIME_OUT_SHORTCUT.label}, from anywhere in the room.
      </span>
    </>
  );
  return slot ? createPortal(button, slot) : button;
}
