import { diffWords } from 'diff';
import { useMemo } from 'react';
import { categoryLabels } from '../../../shared/agreements';
import type { Commitment } from '../../../shared/protocol/agreements';

/**
 * Past this many edits a comparison stops and the new words are read whole instead: the cost of
 * a word diff grows with the square of the edits, and a rewrite reads better whole anyway.
 */
const MAX_EDITS = 400;

/** What the proposed words change in what both agreed, word by word. */
export function WordChanges({ commitment, draft }: { commitment: Commitment; draft: { title: string; body: string; category: Commitment['category'] } }) {
  const title = useMemo(() => diffWords(commitment.title, draft.title, { maxEditLength: MAX_EDITS }), [commitment.title, draft.title]);
  const body = useMemo(() => diffWords(commitment.body, draft.body, { maxEditLength: MAX_EDITS }), [commitment.body, draft.body]);
  const titleChanged = commitment.title.trim() !== draft.title.trim();
  const bodyChanged = commitment.body.trim() !== draft.body.trim();
  return (
    <div className="word-changes">
      <p className="small muted">What changes, word by word:</p>
      {titleChanged && <Changes label="Title" parts={title} after={draft.title} />}
      {/* the words are what changes most often: a label only tells them apart from a changed title */}
      {bodyChanged && <Changes label={titleChanged ? 'What we agree' : null} parts={body} after={draft.body} />}
      {commitment.category !== draft.category && (
        <p className="small">
          Category: <del>{categoryLabels[commitment.category]}</del> <span aria-hidden="true">→</span>
          <span className="visually-hidden">now</span> <ins>{categoryLabels[draft.category]}</ins>
        </p>
      )}
    </div>
  );
}

type Parts = ReturnType<typeof diffWords> | undefined;

function Changes({ label, parts, after }: { label: string | null; parts: Parts; after: string }) {
  return (
    <p className="word-changes-text">
      {label && <span className="word-changes-label">{label}: </span>}
      <Marked parts={parts} after={after} />
    </p>
  );
}

/** Insertions and removals marked in text and colour, and named for a screen reader ("added:", "removed:"). */
function Marked({ parts, after }: { parts: Parts; after: string }) {
  if (parts === undefined) return <>{after}</>;
  return (
    <>
      {parts.map((part, i) =>
        part.added ? (
          <ins key={i}>
            <span className="visually-hidden">added: </span>
            {part.value}
          </ins>
        ) : part.removed ? (
          <del key={i}>
            <span className="visually-hidden">removed: </span>
            {part.value}
          </del>
        ) : (
          <span key={i}>{part.value}</span>
        ),
      )}
    </>
  );
}

/** Two wordings compared word by word (a version's words against today's), inline. */
export function WordDiff({ before, after }: { before: string; after: string }) {
  const parts = useMemo(() => diffWords(before, after, { maxEditLength: MAX_EDITS }), [before, after]);
  return (
    <span className="word-changes-text">
      <Marked parts={parts} after={after} />
    </span>
  );
}
