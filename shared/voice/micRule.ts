import type { SeatId } from '../protocol/identity';
import type { SessionState } from '../session/types';

/**
 * The floor shapes the microphone: what a seat's own microphone does at this moment of the
 * session. Pure, so the client applies it to its local track (`track.enabled`) and the voice
 * bar says who is audible from the same answer.
 *
 * - [MR1] No exercise running (no session, a proposal, the end): both partners open.
 * - [MR2] Speaker-listener step: the speaker holds the floor and stays open through it; the
 *   listener is muted while the speaker speaks, checks, or passes, and open when it is their
 *   turn to say back, validate or empathise. A finished step is open talk again.
 * - [MR3] Open, appreciation and agreement steps are conversation: both open.
 * - [MR4] A break step of the pack is time apart: both muted.
 * - [MR5] A time-out mutes both partners until the session resumes (both back).
 * - [MR6] "Hold to speak" opens a partner muted by the floor at any moment ("I need a moment"),
 *   but not a time-out, which is a promise of quiet.
 * - [MR7] The counsellor's microphone follows their own mute only.
 * - [MR8] One's own mute always wins: nobody is opened against their will.
 * - [MR9] A time-out is quiet on the receiving side too: while the session is paused every device
 *   plays no partner's audio, whatever that partner's device sends (an old app, a script), so
 *   the quiet of MR5 does not rest on the sender alone. The counsellor is still heard (MR7).
 */
export type Mic = 'open' | 'muted';

/** Why the microphone is what it is: the voice bar's words come from it. */
export type MicReason = 'conversation' | 'yourFloor' | 'sayBack' | 'listening' | 'holding' | 'timeOut' | 'breakStep' | 'selfMuted' | 'counsellor';

export interface MicDecision {
  mic: Mic;
  reason: MicReason;
}

export interface MicInput {
  /** the session as this seat's snapshot has it */
  session: SessionState;
  seat: SeatId;
  /** the person pressed their own mute */
  selfMuted: boolean;
  /** the person holds "hold to speak" down right now */
  holding: boolean;
}

const open = (reason: MicReason): MicDecision => ({ mic: 'open', reason });
const muted = (reason: MicReason): MicDecision => ({ mic: 'muted', reason });

/** Sub-phases of a speaker-listener turn in which the listener speaks. */
const LISTENER_SPEAKS = new Set(['reflect', 'validate', 'empathise']);

/** What the floor alone says of a seat's microphone, before its own mute and "hold to speak". */
export function floorMic(session: SessionState, seat: SeatId): MicDecision {
  if (seat === 'counsellor') return open('counsellor');
  switch (session.phase) {
    case 'idle':
    case 'proposed':
    case 'ended':
      return open('conversation');
    case 'paused':
      return muted('timeOut');
    case 'active': {
      const step = session.step;
      switch (step.kind) {
        case 'open':
        case 'appreciation':
        case 'agreement':
          return open('conversation');
        case 'break':
          return muted('breakStep');
        case 'speaker-listener':
          if (step.sub === 'complete') return open('conversation');
          if (step.speaker === seat) return open('yourFloor');
          return LISTENER_SPEAKS.has(step.sub) ? open('sayBack') : muted('listening');
        default:
          return exhaustive(step);
      }
    }
    default:
      return exhaustive(session);
  }
}

/** The microphone of `seat` now: the floor, then "hold to speak", then the person's own mute. */
export function micFor({ session, seat, selfMuted, holding }: MicInput): MicDecision {
  if (selfMuted) return muted('selfMuted');
  const floor = floorMic(session, seat);
  if (floor.mic === 'muted' && holding && floor.reason !== 'timeOut') return open('holding');
  return floor;
}

/** Whether this device plays what `from` sends, at this moment of the session (MR9). */
export function playbackMuted(session: SessionState, from: SeatId): boolean {
  return session.phase === 'paused' && from !== 'counsellor';
}

function exhaustive(value: never): never {
  throw new Error(`unexpected session shape ${JSON.stringify(value)}`);
}
