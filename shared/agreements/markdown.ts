import { PARTNER_SEATS, type PartnerSeat, type SeatId } from '../protocol/identity';
import { AGREEMENT_CATEGORIES, categoryLabels } from './categories';
import { dayOf } from './model';
import type { AgreementView } from './records';

export interface MarkdownOptions {
  roomTitle?: string;
  now: number;
  /** IANA zone for the dates shown; the local zone if absent */
  timeZone?: string;
  /** the partners' display names, for who agreed and who proposed */
  names: Record<PartnerSeat, string> & { counsellor?: string };
}

/**
 * The agreements as Markdown, grouped by category. A commitment shows the words both partners
 * agreed, their names and the dates; a draft is marked as a proposal (or as ended, once both
 * ended it), a change proposed to a commitment is shown beside it as a proposal, and each
 * agreement's earlier commitments follow it, oldest first. Notes and hashes stay in the room.
 *
 * Everything people wrote (titles, bodies, names) goes through `inline`: whatever Markdown or
 * HTML it contains comes out as the same text, never as markup, and a link in it stays a link
 * only if it is http(s) or mailto.
 */
export function toMarkdown(agreements: readonly AgreementView[], options: MarkdownOptions): string {
  const today = dayOf(options.now, options.timeZone);
  const day = (at: number) => dayOf(at, options.timeZone);
  const name = (seat: SeatId) => inline(options.names[seat] ?? (seat === 'counsellor' ? 'The counsellor' : `Partner ${seat}`));
  const title = options.roomTitle?.trim() ? `Our agreements: ${inline(oneLine(options.roomTitle))}` : 'Our agreements';
  const lines: string[] = [`# ${title}`, '', `Exported on ${today}.`];

  if (agreements.length === 0) {
    lines.push('', 'No agreements yet.');
    return lines.join('\n') + '\n';
  }
  for (const category of AGREEMENT_CATEGORIES) {
    const inCategory = agreements.filter((a) => (a.commitment?.category ?? a.category) === category);
    if (inCategory.length === 0) continue;
    lines.push('', `## ${categoryLabels[category]}`);
    for (const agreement of inCategory) {
      const { commitment } = agreement;
      const words = commitment ?? agreement;
      lines.push('', `### ${heading(words.title)}`, ...paragraphs(words.body), '');
      if (commitment) {
        lines.push(
          `- Status: Agreed by ${name('A')} and ${name('B')} on ${day(commitment.agreedAt)}` +
            ` (${name('A')} on ${day(commitment.acceptedAt.A)}, ${name('B')} on ${day(commitment.acceptedAt.B)})`,
        );
      } else {
        const last = agreement.history.at(-1);
        lines.push(
          last?.endedBy === 'withdrawn' && agreement.state === 'draft'
            ? `- Status: Ended by ${name('A')} and ${name('B')} on ${day(last.endedAt)}, not in force${waiting(agreement, name)}`
            : `- Status: Proposal, not agreed yet${waiting(agreement, name)}`,
        );
      }
      if (agreement.proposedBy && agreement.proposedAt !== null) {
        lines.push(`- Proposed by ${inline(oneLine(agreement.proposedBy.name))} on ${day(agreement.proposedAt)}`);
      }
      if (agreement.reviewOn !== null) {
        lines.push(`- Look at it again on ${agreement.reviewOn}${agreement.reviewOn <= today ? ' (due)' : ''}`);
      }
      if (agreement.reviewRequest) {
        lines.push(`- ${name(agreement.reviewRequest.seat)} asked to talk about it again on ${day(agreement.reviewRequest.at)}`);
      }
      for (const seat of PARTNER_SEATS) {
        if (agreement.withdrawalRequested[seat]) lines.push(`- ${name(seat)} asked to end this agreement`);
      }
      if (commitment && agreement.changedSinceAgreed) {
        lines.push('', '#### Proposed change (a proposal, not agreed yet)', '');
        if (oneLine(agreement.title) !== oneLine(commitment.title)) lines.push(`New title: ${heading(agreement.title)}`, '');
        if (agreement.category !== commitment.category) lines.push(`New category: ${categoryLabels[agreement.category]}`, '');
        lines.push(...paragraphs(agreement.body).slice(1));
        const accepted = waiting(agreement, name);
        if (accepted) lines.push('', `- New words${accepted}`);
      }
      if (agreement.history.length > 0) {
        lines.push('', '#### Earlier agreements on this', '');
        for (const ended of agreement.history) {
          const how = ended.endedBy === 'replaced' ? 'replaced by new words' : 'ended by both';
          const body = inline(oneLine(ended.body));
          lines.push(
            `- ${heading(ended.title)}${body ? `: ${body}` : ''} (agreed by ${name('A')} and ${name('B')} on ${day(ended.agreedAt)}, ${how} on ${day(ended.endedAt)})`,
          );
        }
      }
    }
  }
  return lines.join('\n') + '\n';
}

/** Who has accepted the words as they are now, for a draft (empty when nobody has). */
function waiting(agreement: AgreementView, name: (seat: SeatId) => string): string {
  const hash = agreement.hash;
  const a = agreement.acceptance.A?.hash === hash;
  const b = agreement.acceptance.B?.hash === hash;
  if (a && !b) return ` (${name('A')} agreed; waiting for ${name('B')})`;
  if (b && !a) return ` (${name('B')} agreed; waiting for ${name('A')})`;
  return '';
}

function heading(title: string): string {
  return inline(oneLine(title)) || 'Untitled agreement';
}

/** One paragraph per line of the body (Markdown would otherwise run the lines together), each after a blank line. */
function paragraphs(body: string): string[] {
  const out: string[] = [];
  for (const line of body.split('\n')) {
    const text = oneLine(line);
    if (text) out.push('', escapeLineStart(inline(text)));
  }
  return out;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Text people wrote, made safe for Markdown (CommonMark and GFM).

/** The schemes a link in the export may have; any other link comes out as its text only. */
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * What may start a link in someone's text: `[label](destination "title")`, `<scheme:…>`, or a
 * bare http(s)/mailto address. A destination may hold one level of balanced parentheses, as
 * in CommonMark. The alternatives inside each repetition start with different characters, so
 * matching never backtracks more than linearly.
 */
const LINK = new RegExp(
  [
    String.raw`\[([^\[\]\n]*)\]\(\s*(?:<([^<>\n]*)>|((?:[^\s()<>]|\([^\s()<>]*\))*))(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)`,
    String.raw`<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*)>`,
    String.raw`\b((?:https?:\/\/|mailto:)[^\s<>]+)`,
  ].join('|'),
  'g',
);

/**
 * One line of someone's text as Markdown that shows exactly that text: HTML is escaped as
 * entities (so `<script>` is shown, never run), Markdown's own signs are backslash-escaped, and
 * links are rebuilt from parsed URLs, keeping only http(s) and mailto.
 */
export function inline(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    const start = match.index;
    const [whole, label, pointyDestination, destination, autolink, bare] = match;
    let url: string | undefined;
    let shown: string;
    let end = start + whole.length;
    if (bare !== undefined) {
      // Sentence punctuation after a bare address is not part of it.
      const trimmed = bare.replace(/[.,;:!?'")\]]+$/, '');
      end = start + trimmed.length;
      url = trimmed;
      shown = trimmed;
    } else if (autolink !== undefined) {
      url = autolink;
      shown = autolink;
    } else {
      url = pointyDestination ?? destination ?? '';
      shown = label ?? '';
    }
    const href = safeHref(url);
    out += escapeText(text.slice(last, start), href !== null);
    out += href === null ? escapeText(shown, false) : `[${escapeText(shown, false) || escapeText(href, false)}](<${escapeDestination(href)}>)`;
    last = end;
  }
  out += escapeText(text.slice(last), false);
  return out;
}

/** The URL as a browser would read it, if its scheme is one we keep; otherwise null. */
export function safeHref(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (!SAFE_PROTOCOLS.has(url.protocol)) return null;
  return url.href;
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * `&`, `<` and `>` become entities: no raw HTML, no autolink, no entity of someone's making,
 * no block quote. Every other sign Markdown gives a meaning to inside a line is backslash-escaped
 * (CommonMark: any escaped ASCII punctuation is that character, nothing more).
 * `!` only matters before `[`: escaped there, or at the end when a link follows.
 */
function escapeText(text: string, linkFollows: boolean): string {
  let out = text.replace(/[&<>]/g, (c) => HTML_ENTITIES[c] ?? c).replace(/[\\`*_[\]~|#]|!(?=\[)/g, '\\$&');
  if (linkFollows && out.endsWith('!')) out = `${out.slice(0, -1)}\\!`;
  return out;
}

/**
 * What starts a block when it begins a paragraph's line: a list item (`-`, `+`, `1.`, `1)`) or a
 * setext underline (`=`). (`#`, `>`, `*`, `_`, backticks, `~` and `<` are escaped everywhere.)
 */
function escapeLineStart(line: string): string {
  return line.replace(/^([-+=])/, '\\$1').replace(/^(\d{1,9})([.)])/, '$1\\$2');
}

/** A link destination inside `<…>`: backslash-escapes keep `<`, `>`, `\` and `&` as themselves. */
function escapeDestination(href: string): string {
  return href.replace(/[\\<>&]/g, '\\$&');
}
