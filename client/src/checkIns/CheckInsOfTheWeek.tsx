import type { PeriodView } from '../../../shared/checkIns/view';
import { markWords, periodLabel } from '../../../shared/checkIns/wording';
import type { PartnerSeat, SeatId } from '../../../shared/protocol/identity';
import { useCheckIns } from './checkInStore';
import './checkIns.css';

/**
 * A guided session's step that looks back on the week (a pack's `showsCheckIns`): per agreement
 * with a rhythm, how its latest check-in went, as each partner's device may see it. Nothing
 * shows while no agreement has a rhythm.
 */
export default function CheckInsOfTheWeek({ you, names }: { you: SeatId; names: Record<PartnerSeat, string> }) {
  const isPartner = you === 'A' || you === 'B';
  const view = useCheckIns(null, isPartner);
  const withRhythm = view?.commitments.filter((c) => c.rhythm && c.rhythm.kind !== 'none') ?? [];
  if (!isPartner || withRhythm.length === 0) return null;
  const partner: PartnerSeat = you === 'A' ? 'B' : 'A';
  const line = (p: PeriodView, kind: 'daily' | 'weekly' | 'none') => {
    if (!p.revealed) {
      const mine = p.answers[you] ? 'You have checked in' : 'You have not checked in yet';
      const theirs = p.answers[partner] ? `${names[partner]} has` : `${names[partner]} not yet`;
      return `${mine}; ${theirs}. Your answers show side by side once you both have.`;
    }
    const word = (seat: PartnerSeat) => {
      const a = p.answers[seat];
      return a && a.seen ? markWords(a.mark, kind) : 'no check-in';
    };
    return `You: ${word(you)}. ${names[partner]}: ${word(partner)}.`;
  };
  return (
    <section className="checkins-of-week" aria-label="Check-ins of the week">
      <p>
        <strong>Check-ins of the week</strong>
      </p>
      <ul className="said-list">
        {withRhythm.map((c) => {
          const kind = c.rhythm!.kind;
          const latest = c.periods.filter((p) => p.revealed || p.open).at(-1);
          return (
            <li key={c.commitmentId}>
              <strong>{c.title}</strong>
              {latest ? ` · ${periodLabel(kind, latest.lastDay)}: ${line(latest, kind)}` : ''}
              {c.celebration ? ` ${c.celebration}` : ''}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
