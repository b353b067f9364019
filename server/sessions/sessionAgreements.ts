import { isAgreementCategory, type AgreementCategory } from '../../shared/agreements';
import type { Pack } from '../../shared/content/packSchema';
import type { SeatId } from '../../shared/protocol/rooms';
import type { Proposal } from '../../shared/session/types';
import type { AgreementRecordsService } from '../agreements/agreementRecordsService';

const TITLE_MAX = 120;

/** Pack categories that the agreements model names differently. */
const categoryAliases: Record<string, AgreementCategory> = { chores: 'household' };

function categoryFor(pack: Pack | undefined, stepId: string): AgreementCategory {
  const step = pack?.steps.find((s) => s.id === stepId);
  const wanted = step?.kind === 'agreement' ? step.category : undefined;
  if (wanted === undefined) return 'other';
  if (isAgreementCategory(wanted)) return wanted;
  return categoryAliases[wanted] ?? 'other';
}

/** A short proposal becomes the title; a long one gets its first words as title and itself as body. */
function titleAndBody(text: string): { title: string; body: string } {
  const clean = text.trim();
  if (clean.length <= TITLE_MAX) return { title: clean, body: '' };
  const cut = clean.slice(0, TITLE_MAX - 1);
  const atWord = cut.lastIndexOf(' ') > 40 ? cut.slice(0, cut.lastIndexOf(' ')) : cut;
  return { title: `${atWord}…`, body: clean };
}

/** The agreement a session proposal becomes: the same id every time, so it is never added twice. */
export function agreementIdFor(sessionId: string, proposalId: string): string {
  return `session-${sessionId}-${proposalId}`;
}

export interface AddProposalsInput {
  records: AgreementRecordsService;
  roomId: string;
  sessionId: string;
  proposals: Proposal[];
  pack: Pack | undefined;
  names: Partial<Record<SeatId, string>>;
}

/**
 * Writes the chosen proposals into the room's agreements document on the server, through the
 * agreements record (checked, applied and broadcast to every holder and node like any other
 * change; resolved once stored), which records who proposed each and when.
 */
export async function addProposalsToAgreements(input: AddProposalsInput): Promise<{ added: string[]; alreadyThere: string[] }> {
  const { records, roomId, sessionId, proposals, pack, names } = input;
  const proposalOf = new Map(proposals.map((p) => [agreementIdFor(sessionId, p.id), p.id]));
  const drafts = proposals.map((proposal) => {
    const seat: SeatId = proposal.by;
    return {
      id: agreementIdFor(sessionId, proposal.id),
      ...titleAndBody(proposal.text),
      category: categoryFor(pack, proposal.stepId),
      by: { seat, name: names[seat] ?? (seat === 'counsellor' ? 'Counsellor' : `Partner ${seat}`) },
    };
  });
  const { added, alreadyThere } = await records.addDrafts(roomId, 'session-proposals', drafts);
  const toProposal = (id: string) => proposalOf.get(id) ?? id;
  return { added: added.map(toProposal), alreadyThere: alreadyThere.map(toProposal) };
}
