import { createPortal } from 'react-dom';
import { AGREEMENT_CATEGORIES, categoryLabels, type AgreementView } from '../../../shared/agreements';
import type { RoomView } from '../../../shared/protocol/rooms';
import { statusText } from './AgreementCard';
import { formatDay, formatIsoDay } from './people';

/**
 * Only shown on paper (see agreements.css): the agreements, grouped, with their status.
 * A direct child of <body>, so print CSS can drop everything else from the layout.
 */
export function PrintView({ agreements, room }: { agreements: AgreementView[]; room: RoomView }) {
  return createPortal(
    <div className="agreements-print" aria-hidden="true">
      <h1>Our agreements</h1>
      <p>Printed on {formatDay(Date.now())}.</p>
      {agreements.length === 0 && <p>No agreements yet.</p>}
      {AGREEMENT_CATEGORIES.map((category) => {
        const inCategory = agreements.filter((a) => a.category === category);
        if (inCategory.length === 0) return null;
        return (
          <section key={category}>
            <h2>{categoryLabels[category]}</h2>
            {inCategory.map((a) => (
              <article key={a.id} className="print-agreement">
                <h3>{a.title || 'Untitled agreement'}</h3>
                {a.body
                  .split('\n')
                  .filter((line) => line.trim())
                  .map((line, i) => (
                    <p key={i}>{line}</p>
                  ))}
                <p className="print-meta">
                  {statusText(a, room)} · proposed {formatDay(a.createdAt)}
                  {a.reviewOn ? ` · look again on ${formatIsoDay(a.reviewOn)}` : ''}
                </p>
              </article>
            ))}
          </section>
        );
      })}
    </div>,
    document.body,
  );
}
