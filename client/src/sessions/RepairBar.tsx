import { useEffect } from 'react';
import type { PartnerSeat } from '../../../shared/protocol/identity';
import { REPAIR_PHRASE_IDS, RepairPhrase, type Command } from '../../../shared/session/types';
import type { RepairCard } from './useSession';
import type { SeatId } from '../../../shared/protocol/identity';

/** Words either partner can send while the conversation runs, folded until wanted; they never change whose turn it is. */
export function RepairBar({ act, busy }: { act(c: Command): Promise<boolean>; busy: boolean }) {
  return (
    <details className="fold repair-bar">
      <summary id="repair-label">Say it gently: words for a hard moment</summary>
      <ul className="chips" aria-labelledby="repair-label">
        {REPAIR_PHRASE_IDS.map((id) => (
          <li key={id}>
            <button type="button" className="chip repair-chip" disabled={busy} onClick={() => act({ type: 'repair', phrase: id })}>
              {RepairPhrase[id]}
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}

export function RepairCards({ cards, names, you, onDismiss }: { cards: RepairCard[]; names: Record<PartnerSeat, string>; you: SeatId; onDismiss(id: number): void }) {
  useEffect(() => {
    if (!cards.length) return;
    const timer = setTimeout(() => onDismiss(cards[0]!.id), 15_000);
    return () => clearTimeout(timer);
  }, [cards, onDismiss]);
  return (
    <div className="repair-cards" aria-live="polite">
      {cards.map((c) => (
        <div key={c.id} className="repair-card">
          <p>
            <span className="repair-by">{c.seat === you ? 'You' : names[c.seat]}:</span> “{c.text}”
          </p>
          <button type="button" className="button secondary small" onClick={() => onDismiss(c.id)} aria-label="Dismiss this card">
            OK
          </button>
        </div>
      ))}
    </div>
  );
}
