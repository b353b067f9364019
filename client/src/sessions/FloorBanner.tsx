import type { ActiveState, Seat } from '../../../shared/session/types';
import type { Viewer } from './words';

interface Words {
  title: string;
  line: string;
  mine: boolean;
}

/** Who holds the floor, said so that nobody can miss it; read out when it changes. */
export function floorWords(active: ActiveState, you: Viewer, names: Record<Seat, string>): Words {
  const step = active.step;
  switch (step.kind) {
    case 'speaker-listener': {
      const speaker = step.speaker;
      const listener: Seat = speaker === 'A' ? 'B' : 'A';
      const isSpeaker = you === speaker;
      const isListener = you === listener;
      if (step.sub === 'complete') {
        return { title: 'You have both been heard', line: 'Move on to the next step when you are ready.', mine: false };
      }
      const title = isSpeaker ? 'You have the floor' : isListener ? `Listen: ${names[speaker]} has the floor` : `${names[speaker]} has the floor`;
      const L = names[listener];
      const S = names[speaker];
      const lines: Record<Exclude<typeof step.sub, 'complete'>, [string, string, string]> = {
        speak: [
          'Speak about yourself: what you felt and what you need. Take your time.',
          'Listen without answering yet. You will say back what you heard.',
          `${S} is speaking; ${L} is listening.`,
        ],
        reflect: [
          `${L} is saying back what they heard. Listen for whether they got it.`,
          'Your turn to say back what you heard, in their words as much as you can.',
          `${L} is saying back what they heard.`,
        ],
        check: [
          `Did ${L} get it? Say “That’s it”, or “Not quite”.`,
          `${S} is checking whether you got it.`,
          `${S} is checking the reflection.`,
        ],
        validate: [
          `${L} may say why what you said makes sense.`,
          'If you can, say why it makes sense from where they stand. This is optional.',
          `${L} may validate.`,
        ],
        empathise: [
          `${L} may guess, gently, at how you feel.`,
          'If you like, guess gently at how they feel. This is optional.',
          `${L} may empathise.`,
        ],
        pass: [
          'You were heard. Pass the floor when you are ready.',
          `${S} will pass the floor when ready.`,
          `${S} can pass the floor.`,
        ],
      };
      const [forSpeaker, forListener, forOthers] = lines[step.sub];
      return { title, line: isSpeaker ? forSpeaker : isListener ? forListener : forOthers, mine: isSpeaker };
    }
    case 'open':
    case 'appreciation': {
      const done = step.ready.A && step.ready.B;
      if (done) return { title: 'This step is done', line: 'Move on when you are ready.', mine: false };
      const mine = step.turn === you;
      return {
        title: mine ? 'Your turn' : `${names[step.turn]}’s turn`,
        line: mine ? 'Add something, or say you are ready.' : `Listen to what ${names[step.turn]} adds.`,
        mine,
      };
    }
    case 'agreement':
      return { title: 'Propose, together', line: 'Either of you can propose something to agree on. Say you are ready when you are done.', mine: false };
    case 'break':
      return { title: 'A breather', line: 'A short pause is part of this session. Move on when you are both ready.', mine: false };
  }
}

export function FloorBanner({ words }: { words: Words }) {
  return (
    <div className={`floor-banner${words.mine ? ' mine' : ''}`} aria-live="polite" aria-atomic="true">
      <p className="floor-title">{words.title}</p>
      <p className="floor-line">{words.line}</p>
    </div>
  );
}
