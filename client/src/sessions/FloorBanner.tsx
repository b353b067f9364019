import type { Ref } from 'react';
import type { TurnLine } from './yourTurn';

/**
 * The top of a live session: what the reader does now, and a word for the move that brought
 * it. A polite live region, so a change is read out even when the focus moves elsewhere.
 */
export function FloorBanner({ words, ack, ref }: { words: TurnLine; ack: string | null; ref?: Ref<HTMLDivElement> }) {
  return (
    <div ref={ref} tabIndex={-1} className={`floor-banner${words.mine ? ' mine' : ''}`} aria-live="polite" aria-atomic="true">
      {ack && <p className="floor-ack">{ack}</p>}
      <p className="floor-title">{words.title}</p>
      <p className="floor-line">{words.line}</p>
    </div>
  );
}
