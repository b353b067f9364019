import * as Y from 'yjs';
import { AGREEMENT_CATEGORIES, categoryLabels } from './categories';
import { dayOf, statusLabels } from './model';
import { snapshotAgreements, type AgreementSnapshot } from './versions';

export interface MarkdownOptions {
  roomTitle?: string;
  now: number;
  /** IANA zone for the dates shown; the local zone if absent */
  timeZone?: string;
}

/**
 * The agreements as Markdown, grouped by category: words, status, dates. Nothing else leaves
 * the room this way: no names, no notes, no hashes.
 */
export function toMarkdown(source: Y.Doc | readonly AgreementSnapshot[], options: MarkdownOptions): string {
  const today = dayOf(options.now, options.timeZone);
  const agreements = source instanceof Y.Doc ? snapshotAgreements(source, today) : source;
  const day = (at: number) => dayOf(at, options.timeZone);
  const title = options.roomTitle?.trim() ? `Our agreements: ${oneLine(options.roomTitle)}` : 'Our agreements';
  const lines: string[] = [`# ${title}`, '', `Exported on ${today}.`];

  if (agreements.length === 0) {
    lines.push('', 'No agreements yet.');
    return lines.join('\n') + '\n';
  }
  for (const category of AGREEMENT_CATEGORIES) {
    const inCategory = agreements.filter((a) => a.category === category);
    if (inCategory.length === 0) continue;
    lines.push('', `## ${categoryLabels[category]}`);
    for (const agreement of inCategory) {
      lines.push('', `### ${oneLine(agreement.title) || 'Untitled agreement'}`);
      const body = agreement.body.split('\n').filter((line) => line.trim().length > 0);
      // one paragraph per line: Markdown would otherwise run the lines together
      for (const line of body) lines.push('', escapeBlock(line));
      lines.push('');
      const status = statusLabels[agreement.status];
      lines.push(`- Status: ${status}${agreement.agreedAt !== null ? ` (${day(agreement.agreedAt)})` : ''}`);
      lines.push(`- Proposed: ${day(agreement.createdAt)}`);
      if (agreement.reviewOn !== null) {
        lines.push(`- Review on: ${agreement.reviewOn}${agreement.reviewOn <= today ? ' (due)' : ''}`);
      }
      if (agreement.revisitRequested) lines.push('- Someone asked to talk about this one again');
    }
  }
  return lines.join('\n') + '\n';
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Keeps a line of someone's text from turning into a heading, list or quote. */
function escapeBlock(line: string): string {
  return /^\s*(#|>|[-*+]\s|\d+[.)]\s|```|---)/.test(line) ? `\\${line.trimStart()}` : line;
}
