/**
 * What a proposal written in a session becomes in "Our agreements": a short title to find it by
 * and the whole sentence as its words, both for the couple to change together.
 *
 * The title is the proposal's first clause (up to the first full stop, question or exclamation
 * mark, semicolon, colon, comma or dash), made to start with a capital and end without a
 * full stop (a question keeps its question mark). A first clause of fewer than three words
 * ("Okay, …") takes the next one with it; one longer than TITLE_CHARS is cut at the last whole
 * word inside it, with an ellipsis.
 * The body is the proposal itself, white space tidied, line breaks kept.
 */
export const TITLE_CHARS = 60;
const MIN_TITLE_WORDS = 3;
/** where a clause ends: punctuation followed by a space or the end, or a dash between spaces */
const CLAUSE_END = /[.!?;:,…](?=\s|$)|\s[-–—]\s/g;
/** what a title does not end with (a question keeps its question mark) */
const TRAILING = /[\s.;:,…\-–—]+$/u;

export interface ProposedAgreement {
  title: string;
  body: string;
}

export function agreementFromProposal(text: string): ProposedAgreement {
  const body = text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line.length > 0)
    .join('\n');
  const firstLine = body.split('\n')[0] ?? '';
  return { title: titleOf(firstLine), body };
}

function titleOf(line: string): string {
  let end = line.length;
  for (const match of line.matchAll(CLAUSE_END)) {
    end = match.index + (match[0] === '?' || match[0] === '!' ? 1 : 0);
    const clause = line.slice(0, end);
    if (wordCount(clause) >= MIN_TITLE_WORDS) break;
    end = line.length;
  }
  let title = line.slice(0, end).replace(TRAILING, '');
  if (title.length > TITLE_CHARS) {
    const cut = title.slice(0, TITLE_CHARS - 1);
    const lastSpace = cut.lastIndexOf(' ');
    title = `${(lastSpace > TITLE_CHARS / 2 ? cut.slice(0, lastSpace) : cut).replace(TRAILING, '')}…`;
  }
  return title.charAt(0).toLocaleUpperCase() + title.slice(1);
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /\p{L}|\p{N}/u.test(w)).length;
}
