import type { ClientEventName } from './protocol/clientEvents';
import type { Role } from './protocol/identity';
import { ErrorCode } from './protocol/errors';

/**
 * Who may send which event: the one permission matrix of the app. Every socket handler is
 * registered through it, so an event without a row cannot be handled at all.
 *
 * A seat of another room needs no column: a socket is bound to one room when it joins, and
 * every room event acts on that room only. Events that name a room (room:join, counsellor
 * events) check the seat against that room in the service.
 */
export const permissionMatrix = {
  'invite:inspect': { none: true, partner: true, counsellor: true },
  'invite:claim': { none: true, partner: true, counsellor: true },
  'code:claim': { none: true, partner: true, counsellor: true },
  'room:join': { none: true, partner: true, counsellor: true },
  'room:leave': { none: false, partner: true, counsellor: true },
  'presence:set': { none: false, partner: true, counsellor: true },
  'room:reinvite': { none: false, partner: true, counsellor: true },
  'room:newCode': { none: false, partner: true, counsellor: true },
  // "This is not my partner": the service checks who may move the seat (shared rules below it)
  'room:refuseJoin': { none: false, partner: true, counsellor: true },
  'room:delete': { none: false, partner: true, counsellor: true },
  // which document a seat may open is decided per document: shared/protocol/documents.ts
  'doc:message': { none: false, partner: true, counsellor: true },
  // agreements on the record: accepting and withdrawing are for partners (the service checks
  // the seat too); the rest is for anyone seated (shared/protocol/agreements.ts)
  'agreement:propose': { none: false, partner: true, counsellor: true },
  'agreement:accept': { none: false, partner: true, counsellor: false },
  'agreement:withdraw': { none: false, partner: true, counsellor: false },
  'agreement:requestReview': { none: false, partner: true, counsellor: true },
  'agreement:clearReview': { none: false, partner: true, counsellor: true },
  'version:save': { none: false, partner: true, counsellor: true },
  'version:get': { none: false, partner: true, counsellor: true },
  'agreements:records': { none: false, partner: true, counsellor: true },
  // check-ins are the partners' own, each for their seat; the counsellor reads the marks both
  // partners chose to share, through their workspace (the service checks consent and ownership)
  'checkIn:get': { none: false, partner: true, counsellor: false },
  'checkIn:setRhythm': { none: false, partner: true, counsellor: false },
  'checkIn:answer': { none: false, partner: true, counsellor: false },
  'checkIn:note': { none: false, partner: true, counsellor: false },
  'checkIn:shareWithCounsellor': { none: false, partner: true, counsellor: false },
  'checkIn:counsellorMarks': { none: false, partner: false, counsellor: true },
  // guided sessions: the turn machine decides whose move it is (docs/turn-rules.md)
  'session:command': { none: false, partner: true, counsellor: true },
  'session:sync': { none: false, partner: true, counsellor: true },
  'session:packs': { none: false, partner: true, counsellor: true },
  'session:addAgreements': { none: false, partner: true, counsellor: true },
  // a partner's answer at the end is their own: the counsellor has none to give or read
  'session:afterwards': { none: false, partner: true, counsellor: false },
  'session:myAfterwards': { none: false, partner: true, counsellor: false },
  // counsellors: a socket becomes a counsellor by signing in with its key (workspace) or by
  // taking the counsellor seat of a room it owns; events naming a room check ownership too
  'counsellor:register': { none: true, partner: false, counsellor: true },
  'counsellor:signIn': { none: true, partner: false, counsellor: true },
  'counsellor:recover': { none: true, partner: false, counsellor: true },
  'counsellor:rooms': { none: false, partner: false, counsellor: true },
  'counsellor:createRoom': { none: false, partner: false, counsellor: true },
  'counsellor:lines': { none: false, partner: false, counsellor: true },
  'counsellor:proposeAgreement': { none: false, partner: false, counsellor: true },
  'counsellor:suggestPack': { none: false, partner: false, counsellor: true },
  'counsellor:suggestion': { none: false, partner: true, counsellor: true },
  // a partner's private line goes to the counsellor only; the counsellor has no one to send it to
  'privateLine:send': { none: false, partner: true, counsellor: false },
  // voice: the handler checks the addressed seat is another seat of the sender's own room
  'voice:offer': { none: false, partner: true, counsellor: true },
  'voice:answer': { none: false, partner: true, counsellor: true },
  'voice:ice': { none: false, partner: true, counsellor: true },
  'voice:state': { none: false, partner: true, counsellor: true },
  'voice:iceServers': { none: false, partner: true, counsellor: true },
  // reminders are a partner's own, on their own device: the counsellor has none (a subscription
  // is kept for the socket's room, seat and device token, never for a seat named in a payload)
  'push:publicKey': { none: false, partner: true, counsellor: false },
  'push:subscribe': { none: false, partner: true, counsellor: false },
  'push:unsubscribe': { none: false, partner: true, counsellor: false },
  'push:mine': { none: false, partner: true, counsellor: false },
} as const satisfies Record<ClientEventName, Record<Role, boolean>>;

export type Refusal = typeof ErrorCode.NOT_IN_ROOM | typeof ErrorCode.FORBIDDEN;

/** Where a seat's refusal deserves its own words rather than FORBIDDEN's general ones. */
export const forbiddenMessages: Partial<Record<ClientEventName, string>> = {
  'agreement:accept': 'Only the two partners can accept an agreement, each for themselves. As counsellor you can propose words or ask them to talk it over again.',
  'agreement:withdraw': 'Only the two partners can withdraw from an agreement, each for themselves.',
  'checkIn:answer': 'Check-ins are the two partners\' own, each for themselves. As counsellor you see the marks they choose to share, in your workspace.',
  'checkIn:get': 'Check-ins are the two partners\' own. As counsellor you see the marks they choose to share, in your workspace.',
  'push:subscribe': 'Reminders between sessions are for the two partners, each on their own device.',
};

/** null when allowed; otherwise the named refusal. */
export function authorize(event: ClientEventName, role: Role): Refusal | null {
  if (permissionMatrix[event][role]) return null;
  return role === 'none' ? ErrorCode.NOT_IN_ROOM : ErrorCode.FORBIDDEN;
}
