import type { ActiveState, SessionEvent, Sub } from '../../../shared/session/types';
import type { PartnerSeat } from '../../../shared/protocol/identity';
import type { SeatId } from '../../../shared/protocol/identity';

/** The top of a live session: what the reader does now, in words written for them. */
export interface TurnLine {
  title: string;
  line: string;
  /** The reader has a move to make now: the title starts "Your turn". */
  mine: boolean;
}

/** Who the reader is in a speaker-listener turn. */
export type FloorRole = 'speaker' | 'listener' | 'counsellor';
type TurnSub = Exclude<Sub, 'complete'>;
/** S: the speaker's name, L: the listener's; `last`: the speaker's last round, so "pass" finishes the turn. */
type Say = (S: string, L: string, last: boolean) => [title: string, line: string];

const yours = (title: string, line: string): TurnLine => ({ title: `Your turn: ${title}`, line, mine: true });
const theirs = (title: string, line: string): TurnLine => ({ title, line, mine: false });

/**
 * Speaker-listener sub-phase × role → the line. Each cell is written for its reader: the
 * speaker never reads the listener's task, the listener never reads "you have the floor".
 */
export const floorLines: Record<TurnSub, Record<FloorRole, Say>> = {
  speak: {
    speaker: () => ['you have the floor', 'Speak about yourself: what you felt and what you need. Take your time.'],
    listener: (S) => [`Listen. ${S} has the floor.`, `Listen without answering yet. When ${S} is done, you say back what you heard.`],
    counsellor: (S, L) => [`${S} has the floor`, `${S} is speaking; ${L} is listening.`],
  },
  reflect: {
    speaker: (_S, L) => [`${L} is saying back what they heard: is it right?`, 'Listen for whether they got it. Then you say “That’s it” or “Not quite”.'],
    listener: (S) => [`say back what ${S} said`, `What ${S} meant, nothing added. Your answer can wait.`],
    counsellor: (S, L) => [`${L} is saying back what ${S} said`, `Then ${S} says whether it is right.`],
  },
  check: {
    speaker: (_S, L) => [`did ${L} get it?`, 'Say “That’s it”, or “Not quite” to hear it again or to say more.'],
    listener: (S) => [`${S} is checking what you said back`, `Wait a moment: ${S} says whether you got it.`],
    counsellor: (S, L) => [`${S} is checking what ${L} heard`, `${S} says “That’s it” or “Not quite”.`],
  },
  validate: {
    speaker: (_S, L) => [`${L} may say why it makes sense`, 'Listen. This part is optional.'],
    listener: (S) => ['say why it makes sense', `From where ${S} stands, if you can. This part is optional.`],
    counsellor: (S, L) => [`${L} may say why it makes sense`, `${L} may validate what ${S} said.`],
  },
  empathise: {
    speaker: (_S, L) => [`${L} may guess how you feel`, 'Listen. This part is optional.'],
    listener: (S) => [`guess gently how ${S} feels`, 'If you like. This part is optional.'],
    counsellor: (S, L) => [`${L} may guess how ${S} feels`, 'This part is optional.'],
  },
  pass: {
    speaker: (_S, L, last) =>
      last ? ['wrap up', 'You were heard. Finish your turn when you are ready.'] : ['pass the floor', `You were heard. Pass the floor to ${L} when you are ready.`],
    listener: (S, _L, last) => [last ? `${S} is finishing their turn` : 'Next, the floor is yours', last ? `${S} finishes their turn when ready.` : `${S} passes the floor to you when ready.`],
    counsellor: (S, L, last) => [`${S} feels heard`, last ? `${S} can finish their turn.` : `${S} can pass the floor to ${L}.`],
  },
};

/** Which cells of `floorLines` are a move of the reader's own. */
const readerMoves: Record<TurnSub, FloorRole | null> = {
  speak: 'speaker',
  reflect: 'listener',
  check: 'speaker',
  validate: 'listener',
  empathise: 'listener',
  pass: 'speaker',
};

export function roleOf(speaker: PartnerSeat, you: SeatId): FloorRole {
  return you === 'counsellor' ? 'counsellor' : you === speaker ? 'speaker' : 'listener';
}

const partnerOf = (you: SeatId): PartnerSeat | null => (you === 'A' ? 'B' : you === 'B' ? 'A' : null);

/** What the reader does now in a running session. */
export function yourTurn(active: ActiveState, you: SeatId, names: Record<PartnerSeat, string>): TurnLine {
  const step = active.step;
  const partner = partnerOf(you);
  switch (step.kind) {
    case 'speaker-listener': {
      if (step.sub === 'complete') return stepDone(active, you, names, 'You have both been heard', 'Both have been heard');
      const role = roleOf(step.speaker, you);
      const listener: PartnerSeat = step.speaker === 'A' ? 'B' : 'A';
      const [title, line] = floorLines[step.sub][role](names[step.speaker], names[listener], step.round === step.rounds);
      return readerMoves[step.sub] === role ? yours(title, line) : theirs(title, line);
    }
    case 'open':
    case 'appreciation': {
      if (step.ready.A && step.ready.B) return stepDone(active, you, names, 'This step is done', 'This step is done');
      const write = active.mode === 'write';
      if (you === 'counsellor') return theirs(`${names[step.turn]}’s turn`, `${names[step.turn]} adds something, or says they are ready.`);
      if (step.turn === you) {
        // Once the partner is ready, "ready" is also the ask to move on: the reader is told so.
        if (partner && step.ready[partner]) {
          const P = names[partner];
          return yours(
            'add something, or say you are ready',
            write
              ? `${P} is ready to move on. Write what you would like to add, or say you are ready too and ${P} is asked to move on with you.`
              : `${P} is ready to move on. Say yours aloud and press “I’ve said mine”, or say you are ready too and ${P} is asked to move on with you.`,
          );
        }
        return yours(
          'add something, or say you are ready',
          write ? 'Write what you would like to add, or say you are ready to move on.' : 'Say yours aloud, then press “I’ve said mine”. Or say you are ready.',
        );
      }
      return theirs(`Listen. It is ${names[step.turn]}’s turn.`, `${names[step.turn]} adds something, or says they are ready. Then it is yours.`);
    }
    case 'agreement': {
      if (step.ready.A && step.ready.B) return stepDone(active, you, names, 'This step is done', 'This step is done');
      if (you === 'counsellor') return theirs('They propose, together', `${names.A} or ${names.B} (or you) can propose something to agree on.`);
      if (step.ready[you]) return theirs(`You are ready: ${partner ? names[partner] : 'your partner'} may still propose`, 'You can still propose something while you wait.');
      if (partner && step.ready[partner]) {
        const P = names[partner];
        return yours('propose, together', `${P} is ready to move on. Propose something more, or say you are ready too and ${P} is asked to move on with you.`);
      }
      return yours('propose, together', 'Either of you can propose something to agree on. Say you are ready when you are done.');
    }
    case 'break':
      return you === 'counsellor'
        ? theirs('A breather', 'A short pause is part of this session. Move them on when they are ready.')
        : theirs('A breather', 'A short pause is part of this session. Move on when you are both ready.');
  }
}

/** A finished step: whoever asked to move on waits for the other, who is asked (TM-39). */
function stepDone(active: ActiveState, you: SeatId, names: Record<PartnerSeat, string>, forPartners: string, forCounsellor: string): TurnLine {
  const asked = active.nextAskedBy;
  if (you === 'counsellor') {
    return theirs(forCounsellor, asked ? `${names[asked]} would like to move to the next step.` : 'Move them on when they are ready.');
  }
  const partner = partnerOf(you)!;
  if (asked === you) return theirs(`Waiting for ${names[partner]}`, `You would like to move to the next step; ${names[partner]} is asked too.`);
  if (asked === partner) return yours(`move on with ${names[partner]}?`, `${names[partner]} would like to move to the next step. Move on together, or say “Not yet”.`);
  return theirs(forPartners, `Move on to the next step when you are ready; ${names[partner]} is asked too.`);
}

/**
 * A word for a partner's move that would otherwise only change the banner silently: "Not
 * quite", "That's it", a passed floor. Null for moves that need none.
 */
export function acknowledgement(event: SessionEvent, you: SeatId, names: Record<PartnerSeat, string>): string | null {
  switch (event.type) {
    case 'notQuite': {
      const S = names[event.seat];
      const L = names[event.seat === 'A' ? 'B' : 'A'];
      const role = roleOf(event.seat, you);
      if (event.backTo === 'reflect') {
        if (role === 'listener') return `${S} would like you to try again. Take your time.`;
        if (role === 'speaker') return `You asked ${L} to try again.`;
        return `${S} asked ${L} to try again.`;
      }
      if (role === 'listener') return `${S} would like to say more. Listen again.`;
      if (role === 'speaker') return `You chose to say more; ${L} is listening.`;
      return `${S} would like to say more.`;
    }
    case 'reflectionConfirmed': {
      const role = roleOf(event.speaker, you);
      if (role === 'listener') return `${names[event.speaker]} feels heard. Thank you for listening.`;
      if (role === 'speaker') return `You told ${names[event.listener]} they got it.`;
      return `${names[event.speaker]} feels heard.`;
    }
    case 'floorPassed':
      if (event.to === you) return `${names[event.from]} passed the floor to you.`;
      if (event.from === you) return `You passed the floor to ${names[event.to]}.`;
      return `${names[event.from]} passed the floor to ${names[event.to]}.`;
    default:
      return null;
  }
}
