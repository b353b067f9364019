import { memo, useId } from 'react';
import { CategorySelect } from '../ui/CategorySelect';
import type * as Y from 'yjs';
import {
  accept,
  agreementFragments,
  clearRevisit,
  removeAgreement,
  requestRevisit,
  setCategory,
  setReviewOn,
  withdrawAcceptance,
  type AgreementView,
} from '../../../shared/agreements';
import type { RoomView, SeatId } from '../../../shared/protocol/rooms';
import { CollabEditor, type EditorUser } from './CollabEditor';
import { formatDay, formatIsoDay, nameOf } from './people';
import type { SocketIOProvider } from './socketIOProvider';

interface AgreementCardProps {
  view: AgreementView;
  doc: Y.Doc;
  provider: SocketIOProvider;
  room: RoomView;
  you: SeatId;
  user: EditorUser;
}

export function statusText(view: AgreementView, room: RoomView): string {
  switch (view.state) {
    case 'agreed':
      return view.agreedAt !== null ? `Agreed by both on ${formatDay(view.agreedAt)}` : 'Agreed by both';
    case 'agreed-by-A':
      return `${nameOf(room, 'A')} agreed · waiting for ${nameOf(room, 'B')}`;
    case 'agreed-by-B':
      return `${nameOf(room, 'B')} agreed · waiting for ${nameOf(room, 'A')}`;
    case 'changed-since-agreed':
      return 'Changed since you agreed';
    case 'draft':
      return 'Proposed, not agreed yet';
  }
}

/** One agreement: its words (edited together, live), its category, dates and both partners' say. */
export const AgreementCard = memo(function AgreementCard({ view, doc, provider, room, you, user }: AgreementCardProps) {
  const base = useId();
  const fragments = agreementFragments(doc, view.id);
  if (!fragments) return null;
  const isPartner = you === 'A' || you === 'B';
  const agreedByYou = isPartner && view.acceptedCurrent[you];
  const now = () => Date.now();
  const titleText = view.title.trim() || 'this agreement';

  return (
    <article className={`card agreement agreement-${view.state}`} aria-labelledby={`${base}-status`}>
      <div className="agreement-top">
        <p id={`${base}-status`} className={`status-badge status-${view.state}`}>
          <span className="visually-hidden">{titleText}: </span>
          {statusText(view, room)}
        </p>
        <label className="agreement-category">
          <span className="visually-hidden">Category of {titleText}</span>
          <CategorySelect value={view.category} onChange={(c) => setCategory(doc, view.id, c)} />
        </label>
      </div>

      <CollabEditor fragment={fragments.title} provider={provider} user={user} label="Agreement title" placeholder="A short name for it" singleLine className="agreement-title" />
      <CollabEditor fragment={fragments.body} provider={provider} user={user} label={`What we agree: ${titleText}`} placeholder="What we agree, in our own words" className="agreement-body" />

      {view.state === 'changed-since-agreed' && (
        <p className="agreement-changed" role="status">
          Changed since you both agreed: agree again?
        </p>
      )}
      {view.revisitRequested && (
        <p className="agreement-revisit">
          {nameOf(room, view.revisitRequestedBy)} asked to talk about this one again.
        </p>
      )}
      {view.revisitDue && !view.revisitRequested && <p className="agreement-revisit">It is time to look at this one again.</p>}

      <ul className="agreement-facts">
        <li>
          Proposed by {view.proposedBy?.name ?? 'one of you'} on {formatDay(view.createdAt)}
        </li>
        {(['A', 'B'] as const).map((seat) => {
          const given = view.acceptances[seat];
          const current = view.acceptedCurrent[seat];
          return (
            <li key={seat}>
              {given && current
                ? `${nameOf(room, seat)} agreed on ${formatDay(given.at)}`
                : given
                  ? `${nameOf(room, seat)} agreed to an earlier wording`
                  : `${nameOf(room, seat)} has not agreed yet`}
            </li>
          );
        })}
      </ul>

      <div className="agreement-review field">
        <label htmlFor={`${base}-review`}>Look at it again on</label>
        <input
          id={`${base}-review`}
          type="date"
          value={view.reviewOn ?? ''}
          onChange={(e) => setReviewOn(doc, view.id, e.target.value === '' ? null : e.target.value)}
        />
        {view.reviewOn && <span className="visually-hidden">{formatIsoDay(view.reviewOn)}</span>}
      </div>

      <div className="actions">
        {isPartner && !agreedByYou && (
          <button type="button" className="button" onClick={() => accept(doc, view.id, you, now())}>
            {view.state === 'changed-since-agreed' ? 'Agree again' : 'I agree to this'}
          </button>
        )}
        {isPartner && agreedByYou && (
          <button type="button" className="button secondary small" onClick={() => withdrawAcceptance(doc, view.id, you)}>
            Take back my agreement
          </button>
        )}
        {view.revisitRequested ? (
          <button type="button" className="button secondary small" onClick={() => clearRevisit(doc, view.id)}>
            We have talked about it
          </button>
        ) : (
          <button type="button" className="button secondary small" onClick={() => requestRevisit(doc, view.id, you, now())}>
            Ask to revisit
          </button>
        )}
        <button
          type="button"
          className="button secondary small quiet-danger"
          aria-label={`Remove ${titleText}`}
          onClick={() => {
            if (window.confirm(`Remove "${titleText}" for both of you? A saved version keeps it.`)) removeAgreement(doc, view.id);
          }}
        >
          Remove
        </button>
      </div>
      {!isPartner && <p className="hint">Agreeing is for the two partners; you can edit and suggest.</p>}
    </article>
  );
});
