import type { CounsellorRoomSummary } from '../../../shared/protocol/counsellors';
import type { Presence } from '../../../shared/protocol/rooms';

export const presenceWords: Record<Presence, string> = { here: 'here', away: 'stepped away', gone: 'not here' };

/** One calm line about where the room's guided session is. */
export function sessionLine(session: CounsellorRoomSummary['session'], now = Date.now()): string {
  const pack = session.packTitle ?? 'a session';
  switch (session.phase) {
    case 'idle':
      return 'No session running';
    case 'proposed':
      return `${pack}: waiting for both to accept`;
    case 'active':
      return `${pack} · step ${session.stepNumber} of ${session.stepCount}${session.stepTitle ? `: ${session.stepTitle}` : ''}`;
    case 'paused': {
      const minutes = session.pausedUntil ? Math.max(0, Math.ceil((session.pausedUntil - now) / 60_000)) : null;
      return `${pack} · paused for a time-out${minutes !== null ? ` (about ${minutes} min left)` : ''}`;
    }
    case 'ended':
      return `${pack}: finished`;
  }
}

export function timeOf(at: number): string {
  return new Date(at).toLocaleString([], { weekday: 'short', hour: 'numeric', minute: '2-digit' });
}
