import type { SeatId } from '../../../shared/protocol/identity';
import type { MicDecision } from '../../../shared/voice/micRule';
import type { RemotePeer } from './voiceCall';

/** The line that is always on the voice bar. */
export const NOTHING_RECORDED = 'Nothing is recorded: your voices go straight between your devices.';
/** Said before the browser asks for the microphone. */
export const WHY_MICROPHONE = 'Your browser will ask to use your microphone, so you can hear each other here. It is used only while voice is on.';
export const FALLBACK = 'If voice does not work, call each other and carry on here.';

/** Who a seat is to the reader: a partner's name, or the counsellor's. */
export type SeatNames = Record<SeatId, string>;

/** The reader's own microphone, in words: why it is open or off right now. */
export function yourMicLine(decision: MicDecision, floorHolder: string | null): string {
  switch (decision.reason) {
    case 'yourFloor':
      return 'Your microphone is on: you have the floor.';
    case 'sayBack':
      return 'Your microphone is on: say back what you heard.';
    case 'listening':
      return floorHolder
        ? `Your microphone is off while ${floorHolder} has the floor. It comes on when you say back what you heard.`
        : 'Your microphone is off while your partner has the floor.';
    case 'holding':
      return 'Your microphone is on while you hold the button.';
    case 'timeOut':
      return 'Both microphones are off for the time-out. Voice comes back when you are both back.';
    case 'breakStep':
      return 'Microphones are off for the break.';
    case 'selfMuted':
      return 'You muted your microphone. Nobody hears you until you unmute.';
    case 'conversation':
    case 'counsellor':
      return 'Your microphone is on.';
  }
}

/** One other device in the call, in words: who can be heard, and how the link is. */
export function remoteLine(remote: RemotePeer, names: SeatNames): string {
  const name = names[remote.seat];
  switch (remote.link) {
    case 'connecting':
      return `Connecting to ${name}…`;
    case 'reconnecting':
      return `${name}’s voice is not coming through: reconnecting.`;
    case 'lost':
      return `${name}’s voice is not coming through. ${FALLBACK}`;
    case 'connected':
      return remote.mic === 'open' ? `${name} can be heard.` : `${name}’s microphone is off.`;
  }
}

/** The invitation to join: one or more others asked to talk by voice. */
export function invitationLine(seats: SeatId[], names: SeatNames): string {
  const who = seats.map((s) => names[s]);
  const list = who.length <= 1 ? (who[0] ?? 'Your partner') : `${who.slice(0, -1).join(', ')} and ${who[who.length - 1]}`;
  return `${list} would like to talk by voice.`;
}
