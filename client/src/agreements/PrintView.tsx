import { createPortal } from 'react-dom';
import { AGREEMENT_CATEGORIES, categoryLabels, type AgreementView } from '../../../shared/agreements';
import type { RoomView } from '../../../shared/protocol/rooms';
import { agreedLine, endedTogether, newWordsText, statusText, waitingFor, waitingText, type Reader } from './agreementWords';
import { formatAgreedDay, formatDay, formatIsoDay } from './people';
import { TextLines } from './TextLines';

/**
 * Only shown on paper (see agreements.css): what both agreed, with names and dates, the drafts
 * marked as proposals, and each agreement's earlier commitments. A direct child of <body>, so
 * print CSS can drop everything else.
 */
export function PrintView({ agreements, room }: { agreements: readonly AgreementView[]; room: RoomView }) {
  // On paper nobody is "you": both names are written out.
  const reader: Reader = { room, you: null };
  return createPortal(
    <div className="agreements-print" aria-hidden="true">
      <h1>Our agreements</h1>
      <p>Printed on {formatDay(Date.now())}.</p>
      {agreements.length === 0 && <p>No agreements yet.</p>}
      {AGREEMENT_CATEGORIES.map((category) => {
        const inCategory = agreements.filter((a) => (a.commitment?.category ?? a.category) === category);
        if (inCategory.length === 0) return null;
        return (
          <section key={category}>
            <h2>{categoryLabels[category]}</h2>
            {inCategory.map((a) => {
              const words = a.commitment ?? a;
              const review = a.reviewOn ? ` · look again on ${formatIsoDay(a.reviewOn)}` : '';
              const pending = waitingFor(a);
              const ended = endedTogether(a);
              return (
                <article key={a.id} className={`print-agreement${a.commitment ? '' : ' print-draft'}`}>
                  <h3>
                    {words.title || 'Untitled agreement'}
                    {!a.commitment && <span className="print-draft-mark">{ended ? ' (ended)' : ' (proposal)'}</span>}
                  </h3>
                  <TextLines text={words.body} />
                  <p className="print-meta">
                    {a.commitment
                      ? agreedLine(a.commitment, room)
                      : ended
                        ? statusText(a, reader)
                        : `Proposed, not agreed yet${pending ? ` (${waitingText(reader, pending)})` : ''}`}
                    {a.proposedBy && a.proposedAt !== null ? ` · proposed by ${a.proposedBy.name} on ${formatAgreedDay(a.proposedAt)}` : ''}
                    {review}
                  </p>
                  {a.commitment && a.changedSinceAgreed && (
                    <div className="print-change">
                      <p className="print-meta">A proposed change, not agreed yet. The new words:</p>
                      <p>
                        <strong>{a.title || 'Untitled agreement'}</strong>
                      </p>
                      <TextLines text={a.body} />
                      <p className="print-meta">{newWordsText(a, reader)}</p>
                    </div>
                  )}
                  {a.history.length > 0 && (
                    <div className="print-history">
                      <p className="print-meta">Earlier agreements on this:</p>
                      <ul>
                        {a.history.map((h) => (
                          <li key={`${h.id}-${h.endedAt}`}>
                            <strong>{h.title || 'Untitled agreement'}</strong>
                            {h.body.trim() ? `: ${h.body.trim()}` : ''} ({agreedLine(h, room)};{' '}
                            {h.endedBy === 'replaced' ? 'replaced by new words' : 'ended by both'} on {formatAgreedDay(h.endedAt)})
                          </li>
                        ))}
                      </ul>
                    </div>
                  )}
                </article>
              );
            })}
          </section>
        );
      })}
    </div>,
    document.body,
  );
}

