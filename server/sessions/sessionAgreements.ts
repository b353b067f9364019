import { addAgreement, findAgreement, isAgreementCategory, type AgreementCategory } from '../../shared/agreements';
import type { Pack } from '../../shared/content/packSchema';
import type { SeatId } from '../../shared/protocol/rooms';
import type { Proposal } from '../../shared/session/types';
import type { RoomDocuments } from '../documents/roomDocuments';

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
  documents: RoomDocuments;
  roomId: string;
  sessionId: string;
  proposals: Proposal[];
  pack: Pack | undefined;
  names: Partial<Record<SeatId, string>>;
  now: number;
}

/**
 * Writes the chosen proposals into the room's agreements document on the server, as the
 * shared agreements model does on a device, through RoomDocuments (checked, applied and
 * broadcast to every holder and node like any other change; resolved once stored).
 */
export async function addProposalsToAgreements(input: AddProposalsInput): Promise<{ added: string[]; alreadyThere: string[] }> {
  const { documents, roomId, sessionId, proposals, pack, names, now } = input;
  const added: string[] = [];
  const alreadyThere: string[] = [];
  const handle = await documents.open(roomId, 'agreements');
  try {
    if (proposals.every((p) => findAgreement(handle.doc, agreementIdFor(sessionId, p.id)))) {
      return { added, alreadyThere: proposals.map((p) => p.id) };
    }
    await documents.applyServerChange(roomId, 'agreements', 'session-proposals', (doc) => {
      for (const proposal of proposals) {
        const id = agreementIdFor(sessionId, proposal.id);
        if (findAgreement(doc, id)) {
          alreadyThere.push(proposal.id);
          continue;
        }
        const seat: SeatId = proposal.by;
        addAgreement(doc, {
          id,
          ...titleAndBody(proposal.text),
          category: categoryFor(pack, proposal.stepId),
          proposedBy: { seat, name: names[seat] ?? (seat === 'counsellor' ? 'Counsellor' : `Partner ${seat}`) },
          now,
        });
        added.push(proposal.id);
      }
    });
  } finally {
    await handle.release();
  }
  return { added, alreadyThere };
}
