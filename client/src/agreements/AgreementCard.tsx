import { lazy, memo, Suspense, useEffect, useId, useRef, useState } from 'react';
import type * as Y from 'yjs';
import {
  agreementFragments,
  categoryLabels,
  removeAgreement,
  setAgreementText,
  setCategory,
  setReviewOn,
  type AgreementView,
} from '../../../shared/agreements';
import type { Commitment, EndedCommitment } from '../../../shared/protocol/agreements';
import type { SeatId } from '../../../shared/protocol/rooms';
import { CategorySelect } from '../ui/CategorySelect';
import { agreedLine, endedTogether, newWordsText, statusText, waitingFor, who, withdrawalText, youBoth, type Reader } from './agreementWords';
import { CollabEditor, type EditorUser } from './CollabEditor';
import { formatAgreedDay, formatIsoDay } from './people';
import type { SocketIOProvider } from './socketIOProvider';
import { TextLines } from './TextLines';
import { useAction } from '../realtime/useAction';
import { FormError } from '../ui/FormError';

// The word-by-word comparison (jsdiff) shows only once a commitment's words change: it loads then.
const WordChanges = lazy(() => import('./WordChanges').then((m) => ({ default: m.WordChanges })));

// Check-ins load in their own chunk, once a card of an agreement both hold shows.
const CommitmentCheckIn = lazy(() => import('../checkIns/CommitmentCheckIn'));

interface AgreementCardProps {
  view: AgreementView;
  doc: Y.Doc;
  provider: SocketIOProvider;
  reader: Reader & { you: SeatId };
  user: EditorUser;
  /** commands on the record need the server: false while offline or before the records came */
  canAct: boolean;
}

/**
 * One agreement. What both partners agreed is shown as it was agreed, read only; the draft
 * beside it is written together, live, and becomes the agreement only once both accept its words.
 */
export const AgreementCard = memo(function AgreementCard({ view, doc, provider, reader, user, canAct }: AgreementCardProps) {
  const base = useId();
  const command = useAction();
  // a change is proposed to one commitment: once new words are agreed, the draft closes again
  const [proposingTo, setProposingTo] = useState<string | null>(null);
  const you = reader.you;
  const isPartner = you === 'A' || you === 'B';
  const { commitment } = view;
  const proposing = commitment !== null && proposingTo === commitment.id;
  // The button pressed goes away with the change of view: the focus follows to what replaced it.
  const draftHeading = useRef<HTMLHeadingElement>(null);
  const proposeButton = useRef<HTMLButtonElement>(null);
  const focusNext = useRef<'draft' | 'propose' | null>(null);
  useEffect(() => {
    if (focusNext.current === 'draft') draftHeading.current?.focus();
    if (focusNext.current === 'propose') proposeButton.current?.focus();
    focusNext.current = null;
  }, [proposing]);
  // A command's button often goes once the record changes (agreeing turns into "take back"):
  // if the focus went with it, it moves to the card's status, which says what happened.
  const status = useRef<HTMLParagraphElement>(null);
  const sentFrom = useRef<AgreementView | null>(null);
  useEffect(() => {
    if (sentFrom.current === null || sentFrom.current === view) return;
    sentFrom.current = null;
    if (!document.activeElement || document.activeElement === document.body) status.current?.focus();
  }, [view]);
  function act(event: 'agreement:accept' | 'agreement:withdraw' | 'agreement:requestReview' | 'agreement:clearReview') {
    sentFrom.current = view;
    // What this device typed a moment ago is part of what it agrees to: it goes first.
    provider.sendPendingNow();
    void command.request(event, { agreementId: view.id });
  }
  const titleText = (commitment?.title ?? view.title).trim() || 'this agreement';
  const fragments = view.inDocument ? agreementFragments(doc, view.id) : null;
  const showDraft = fragments !== null && (commitment === null || view.changedSinceAgreed || proposing);
  const disabled = !canAct || command.busy;
  const yourAcceptance = isPartner ? view.acceptance[you] : null;
  const agreedToNow = isPartner && view.acceptedCurrent[you];
  const pending = waitingFor(view);
  const withdrawal = withdrawalText(view, reader);
  const lastEnded = view.history.at(-1);
  // ended by both: the words are shown as no longer in force, not as a fresh proposal
  const ended = endedTogether(view) !== null;

  return (
    <article className={`card agreement agreement-${ended ? 'ended' : view.state}`} aria-labelledby={`${base}-status`}>
      <div className="agreement-top">
        <p id={`${base}-status`} ref={status} tabIndex={-1} className={`status-badge status-${ended ? 'ended' : view.state}`}>
          <span className="visually-hidden">{titleText}: </span>
          <span role="status">{statusText(view, reader)}</span>
        </p>
        {commitment && <span className="agreement-category-label">{categoryLabels[commitment.category]}</span>}
      </div>

      {commitment && <CommitmentWords commitment={commitment} reader={reader} showAgreed={view.state !== 'agreed'} />}

      {commitment && view.changedSinceAgreed && (
        <p className="agreement-changed">
          What {youBoth(reader)} agreed stays in force until {reader.you === 'counsellor' ? 'they' : 'you'} both agree to the new words.
        </p>
      )}
      {commitment && view.changedSinceAgreed && view.inDocument && (
        <Suspense fallback={null}>
          <WordChanges commitment={commitment} draft={view} />
        </Suspense>
      )}
      {commitment && !view.inDocument && <p className="hint">The draft was removed; what {youBoth(reader)} agreed stays.</p>}
      {commitment && (you === 'A' || you === 'B') && (
        <Suspense fallback={null}>
          <CommitmentCheckIn room={reader.room} you={you} commitmentId={commitment.id} canAct={canAct} />
        </Suspense>
      )}

      {showDraft && fragments && (
        <section className="agreement-draft" aria-labelledby={`${base}-draft`}>
          <div className="agreement-draft-head">
            <h3 id={`${base}-draft`} ref={draftHeading} tabIndex={-1} className={commitment ? 'draft-heading' : 'visually-hidden'}>
              {commitment ? 'Proposed new words' : `Draft: ${titleText}`}
            </h3>
            <label className="agreement-category">
              <span className="visually-hidden">Category of {titleText}</span>
              <CategorySelect value={view.category} onChange={(c) => setCategory(doc, view.id, c)} />
            </label>
          </div>
          <CollabEditor fragment={fragments.title} provider={provider} user={user} label="Agreement title" placeholder="A short name for it" singleLine className="agreement-title" />
          <CollabEditor
            fragment={fragments.body}
            provider={provider}
            user={user}
            label={`What we agree: ${titleText}`}
            placeholder="What we agree, in our own words"
            className="agreement-body"
          />
          {commitment && <p className="small" role="status">{view.changedSinceAgreed ? newWordsText(view, reader) : 'Nothing changed yet.'}</p>}
        </section>
      )}

      {view.reviewRequest && (
        <p className="agreement-revisit">
          {who(reader, view.reviewRequest.seat, true)} asked to talk about this one again on {formatAgreedDay(view.reviewRequest.at)}.
        </p>
      )}
      {view.reviewDue && !view.reviewRequest && <p className="agreement-revisit">It is time to look at this one again.</p>}
      {withdrawal && <p className="agreement-withdrawal">{withdrawal}</p>}

      <ul className="agreement-facts">
        {view.fromSession && (
          <li className="agreement-from">
            From {isPartner ? 'our' : 'the'} session on {formatAgreedDay(view.fromSession.startedAt)}
          </li>
        )}
        {view.proposedBy && view.proposedAt !== null && (
          <li>
            {/* the record keeps who first proposed it, not who proposes a change to it */}
            {commitment || lastEnded ? 'First proposed' : 'Proposed'} by {view.proposedBy.seat === you ? 'you' : view.proposedBy.name} on{' '}
            {formatAgreedDay(view.proposedAt)}
          </li>
        )}
        {!commitment &&
          yourAcceptance &&
          !agreedToNow && <li>You agreed to an earlier wording; the words have changed since.</li>}
        {!commitment &&
          pending === null &&
          (['A', 'B'] as const)
            .filter((seat) => seat !== you && view.acceptance[seat] && view.acceptance[seat]?.hash !== view.hash)
            .map((seat) => <li key={seat}>{who(reader, seat, true)} agreed to an earlier wording.</li>)}
        {lastEnded && (
          <li>
            {lastEnded.endedBy === 'withdrawn'
              ? `${capitalised(youBoth(reader))} ended an earlier agreement on this on ${formatAgreedDay(lastEnded.endedAt)}.`
              : `Earlier words were agreed on ${formatAgreedDay(lastEnded.agreedAt)} and replaced on ${formatAgreedDay(lastEnded.endedAt)}.`}
          </li>
        )}
      </ul>
      {view.history.length > 0 && <AgreementHistory history={view.history} reader={reader} />}

      {fragments && (
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
      )}

      <div className="actions">
        {isPartner && showDraft && !agreedToNow && (
          <button type="button" className="button" disabled={disabled} onClick={() => act('agreement:accept')}>
            {commitment ? 'I agree to the new words' : ended ? 'Agree to it again' : 'I agree to this'}
          </button>
        )}
        {isPartner && commitment && view.withdrawalRequested[you] && !view.changedSinceAgreed && (
          <button type="button" className="button secondary small" disabled={disabled} onClick={() => act('agreement:accept')}>
            Keep it after all
          </button>
        )}
        {commitment && fragments && !showDraft && (
          <button
            type="button"
            ref={proposeButton}
            className="button secondary small"
            onClick={() => {
              focusNext.current = 'draft';
              setProposingTo(commitment.id);
            }}
          >
            Propose a change
          </button>
        )}
        {commitment && proposing && !view.changedSinceAgreed && (
          <button
            type="button"
            className="button secondary small"
            onClick={() => {
              focusNext.current = 'propose';
              setProposingTo(null);
            }}
          >
            Close without a change
          </button>
        )}
        {commitment && fragments && view.changedSinceAgreed && (
          <button type="button" className="button secondary small" onClick={() => restoreAgreedWords(doc, commitment, () => setProposingTo(null))}>
            Go back to the agreed words
          </button>
        )}
        {view.reviewRequest ? (
          <button type="button" className="button secondary small" disabled={disabled} onClick={() => act('agreement:clearReview')}>
            We have talked about it
          </button>
        ) : (
          <button type="button" className="button secondary small" disabled={disabled} onClick={() => act('agreement:requestReview')}>
            Ask to talk about it again
          </button>
        )}
        {!commitment && fragments && (
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
        )}
      </div>
      {/* Undoing sits apart, after the words and as a quiet link, never where "I agree to this" was:
          a second tap on the same spot does not take the agreement back. */}
      {isPartner && ((yourAcceptance && (!commitment || agreedToNow)) || (commitment && !yourAcceptance && !view.withdrawalRequested[you])) && (
        <p className="agreement-undo">
          {yourAcceptance && (!commitment || agreedToNow) ? (
            <button type="button" className="link-button small" disabled={disabled} onClick={() => act('agreement:withdraw')}>
              Take back my agreement
            </button>
          ) : (
            <button type="button" className="link-button small" disabled={disabled} onClick={() => act('agreement:withdraw')}>
              {view.withdrawalRequested[you === 'A' ? 'B' : 'A'] ? 'End it for both of us' : 'Ask to end this agreement'}
            </button>
          )}
        </p>
      )}
      <FormError message={command.error?.message} />
      {!isPartner && <p className="hint">Agreeing is for the two partners; you can edit and suggest.</p>}
    </article>
  );
});

/**
 * The words as both agreed them: read only and calm. Both names and the day are in the status
 * above while the draft matches; once it differs, they are said here, with the words they agreed.
 */
function CommitmentWords({ commitment, reader, showAgreed }: { commitment: Commitment; reader: Reader; showAgreed: boolean }) {
  return (
    <section className="commitment" aria-label={`What ${youBoth(reader)} agreed: ${commitment.title || 'Untitled agreement'}`}>
      <h3 className="commitment-title">{commitment.title || 'Untitled agreement'}</h3>
      <TextLines className="commitment-body" text={commitment.body} />
      {showAgreed && <p className="commitment-meta">{agreedLine(commitment, reader.room)}</p>}
    </section>
  );
}

/**
 * Every earlier commitment of this agreement, newest first, with the words as they were agreed:
 * anyone in the room can open it.
 */
function AgreementHistory({ history, reader }: { history: readonly EndedCommitment[]; reader: Reader }) {
  const newestFirst = [...history].reverse();
  return (
    <details className="agreement-history">
      <summary>Earlier words ({history.length})</summary>
      <ol>
        {newestFirst.map((ended) => (
          <li key={`${ended.id}-${ended.endedAt}`}>
            <p className="agreement-history-title">{ended.title || 'Untitled agreement'}</p>
            <TextLines className="agreement-history-body" text={ended.body} />
            <p className="small muted">
              {agreedLine(ended, reader.room)};{' '}
              {ended.endedBy === 'replaced' ? 'replaced by new words' : `ended by ${youBoth(reader)}`} on {formatAgreedDay(ended.endedAt)}
            </p>
          </li>
        ))}
      </ol>
    </details>
  );
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Puts the agreed words back into the draft, so nothing is left to agree again. */
function restoreAgreedWords(doc: Y.Doc, commitment: Commitment, done: () => void): void {
  doc.transact(() => {
    setAgreementText(doc, commitment.agreementId, 'title', commitment.title);
    setAgreementText(doc, commitment.agreementId, 'body', commitment.body);
    setCategory(doc, commitment.agreementId, commitment.category);
  });
  done();
}
