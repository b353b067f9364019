import { agreementFromProposal, isAgreementCategory, type AgreementCategory } from '../../shared/agreements';
import type { Pack } from '../../shared/content/packSchema';
import type { SeatId } from '../../shared/protocol/rooms';
import type { Proposal } from '../../shared/session/types';
import type { AgreementRecordsService } from '../agreements/agreementRecordsService';

/** Pack categories that the agreements model names differently. */
const categoryAliases: Record<string, AgreementCategory> = { chores: 'household' };

function categoryFor(pack: Pack | undefined, stepId: string): AgreementCategory {
  const step = pack?.steps.find((s) => s.id === stepId);
  const wanted = step?.kind === 'agreement' ? step.category : undefined;
  if (wanted === undefined) return 'other';
  if (isAgreementCategory(wanted)) return wanted;
  return categoryAliases[wanted] ?? 'other';
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
  /** when the session started, for "from our session on …" (the day they are added, if not given) */
  sessionStartedAt?: number;
}

/**
 * Writes the chosen proposals into the room's agreements document on the server, through the
 * agreements record (checked, applied and broadcast to every holder and node like any other
 * change; resolved once stored), which records who proposed each and when.
 */
export async function addProposalsToAgreements(input: AddProposalsInput): Promise<{ added: string[]; alreadyThere: string[] }> {
  const { records, roomId, sessionId, proposals, pack, names, sessionStartedAt } = input;
  const proposalOf = new Map(proposals.map((p) => [agreementIdFor(sessionId, p.id), p.id]));
  const drafts = proposals.map((proposal) => {
    const seat: SeatId = proposal.by;
    return {
      id: agreementIdFor(sessionId, proposal.id),
      // a short title and the whole sentence as the words, for the couple to change together
      ...agreementFromProposal(proposal.text),
      category: categoryFor(pack, proposal.stepId),
      by: { seat, name: names[seat] ?? (seat === 'counsellor' ? 'Counsellor' : `Partner ${seat}`) },
      fromSession: sessionStartedAt === undefined ? {} : { startedAt: sessionStartedAt },
    };
  });
  const { added, alreadyThere } = await records.addDrafts(roomId, 'session-proposals', drafts);
  const toProposal = (id: string) => proposalOf.get(id) ?? id;
  return { added: added.map(toProposal), alreadyThere: alreadyThere.map(toProposal) };
}
