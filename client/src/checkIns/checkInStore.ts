import { useEffect, useSyncExternalStore } from 'react';
import type { CheckInView } from '../../../shared/checkIns/view';
import { listen, request } from '../realtime/connection';

/**
 * The room's check-ins as this seat may see them, kept once per tab for every part of the
 * screen that shows them (each agreement's card, the way so far, a session's step). The server
 * says only that they changed (`checkIn:changed`); the view is asked for again then, and after
 * every reconnect, at most one ask at a time.
 */
let current: { roomId: string; view: CheckInView } | null = null;
const subscribers = new Set<() => void>();
let users = 0;
let stopListening: (() => void) | null = null;
let asking = false;
let askAgain = false;
let roomOfAsk = '';

function emit(): void {
  for (const notify of subscribers) notify();
}

function ask(): void {
  if (asking) {
    askAgain = true;
    return;
  }
  asking = true;
  const roomId = roomOfAsk;
  request('checkIn:get', {})
    .then((res) => setCheckIns(roomId, res.checkIns), () => undefined)
    .finally(() => {
      asking = false;
      if (askAgain) {
        askAgain = false;
        ask();
      }
    });
}

/** A command's ack carries the new view: it is everyone's on this screen at once. */
export function setCheckIns(roomId: string, view: CheckInView): void {
  current = { roomId, view };
  emit();
}

function subscribe(notify: () => void): () => void {
  subscribers.add(notify);
  return () => subscribers.delete(notify);
}

/**
 * The view for this room once it came; null before (or while `enabled` is false the first time).
 * `roomId` null: the socket's room, whichever it is (a session's screen knows no room id).
 */
export function useCheckIns(roomId: string | null, enabled: boolean): CheckInView | null {
  useEffect(() => {
    if (!enabled) return;
    if (roomId !== null) roomOfAsk = roomId;
    users++;
    stopListening ??= listen({ 'checkIn:changed': ask, connect: ask });
    ask();
    return () => {
      users--;
      if (users === 0) {
        stopListening?.();
        stopListening = null;
      }
    };
  }, [roomId, enabled]);
  const seen = useSyncExternalStore(subscribe, () => current);
  return seen && (roomId === null || seen.roomId === roomId) ? seen.view : null;
}
