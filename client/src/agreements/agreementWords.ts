import type { AgreementView } from '../../../shared/agreements';
import type { Commitment, EndedCommitment } from '../../../shared/protocol/agreements';
import type { PartnerSeat, RoomView, SeatId } from '../../../shared/protocol/rooms';
import { formatAgreedDay, nameOf } from './people';

/**
 * The words a card, the printed page and the versions say about an agreement, for the person
 * reading: "you" for themselves, the other by name. A counsellor (or paper) gets both names.
 */
export interface Reader {
  room: RoomView;
  /** null on paper: nobody is "you" there */
  you: SeatId | null;
}

/** "you" for the reader, the name for anyone else; capitalised at the start of a sentence. */
export function who(reader: Reader, seat: SeatId, start = false): string {
  if (seat === reader.you) return start ? 'You' : 'you';
  return nameOf(reader.room, seat);
}

export function otherPartner(seat: PartnerSeat): PartnerSeat {
  return seat === 'A' ? 'B' : 'A';
}

/** "Sam and Alex": partner A first, always by name, since a commitment is both of theirs. */
export function bothNames(room: RoomView): string {
  return `${nameOf(room, 'A')} and ${nameOf(room, 'B')}`;
}

/** "you both" for a partner, "Sam and Alex" for anyone else. */
export function youBoth(reader: Reader): string {
  return reader.you === 'A' || reader.you === 'B' ? 'you both' : bothNames(reader.room);
}

export function agreedLine(commitment: Commitment, room: RoomView): string {
  return `Agreed by ${bothNames(room)} on ${formatAgreedDay(commitment.agreedAt)}`;
}

/** The partner whose acceptance of the words as they are now is still needed, if exactly one has given theirs. */
export function waitingFor(view: AgreementView): { agreed: PartnerSeat; needed: PartnerSeat } | null {
  const current = (seat: PartnerSeat) => view.acceptance[seat]?.hash === view.hash;
  if (current('A') && !current('B')) return { agreed: 'A', needed: 'B' };
  if (current('B') && !current('A')) return { agreed: 'B', needed: 'A' };
  return null;
}

/**
 * "You agreed · Alex has not yet" / "Sam agreed · agree too when you are ready" / "Sam agreed ·
 * Alex has not yet": the one still to agree is never told they are awaited, only that it is theirs.
 */
export function waitingText(reader: Reader, pending: { agreed: PartnerSeat; needed: PartnerSeat }, what = ''): string {
  const rest = pending.needed === reader.you ? 'agree too when you are ready' : `${who(reader, pending.needed)} has not yet`;
  return `${who(reader, pending.agreed, true)} agreed${what} · ${rest}`;
}

/** The last commitment of this agreement, if it was ended by both and nothing is in force or agreed since. */
export function endedTogether(view: AgreementView): EndedCommitment | null {
  const last = view.history.at(-1);
  return view.state === 'draft' && last?.endedBy === 'withdrawn' ? last : null;
}

/** The one line that says where an agreement stands. */
export function statusText(view: AgreementView, reader: Reader): string {
  const pending = waitingFor(view);
  switch (view.state) {
    case 'agreed':
      return view.commitment ? agreedLine(view.commitment, reader.room) : 'Agreed by both';
    case 'changed-since-agreed':
      // the partner who agreed to new words is the one proposing them
      if (pending && pending.agreed === reader.you) return `You propose a change · ${who(reader, pending.needed)} has not agreed yet`;
      if (pending) return `${who(reader, pending.agreed, true)} proposes a change`;
      return `Changed since ${youBoth(reader)} agreed`;
    case 'agreed-by-A':
    case 'agreed-by-B':
      return pending ? waitingText(reader, pending) : 'Proposed, not agreed yet';
    case 'draft': {
      const ended = endedTogether(view);
      return ended ? `Ended by ${youBoth(reader)} on ${formatAgreedDay(ended.endedAt)} · not in force` : 'Proposed, not agreed yet';
    }
  }
}

/** For a commitment whose draft has changed: who has accepted the new words, if anyone. */
export function newWordsText(view: AgreementView, reader: Reader): string {
  const pending = waitingFor(view);
  if (pending) return waitingText(reader, pending, ' to the new words');
  if (reader.you === 'A' || reader.you === 'B') return 'Neither of you has agreed to the new words yet.';
  return `Neither ${nameOf(reader.room, 'A')} nor ${nameOf(reader.room, 'B')} has agreed to the new words yet.`;
}

/** What a partner reading the card has still to do, if anything, about a withdrawal. */
export function withdrawalText(view: AgreementView, reader: Reader): string | null {
  const asked = (['A', 'B'] as const).filter((seat) => view.withdrawalRequested[seat]);
  const [first] = asked;
  if (first === undefined) return null;
  const other = otherPartner(first);
  if (first === reader.you) return `You asked to end this agreement. It ends once ${who(reader, other)} asks too.`;
  if (other === reader.you) return `${who(reader, first, true)} asked to end this agreement. If you ask too, it ends for both of you.`;
  return `${who(reader, first, true)} asked to end this agreement. It ends once ${who(reader, other)} asks too.`;
}
