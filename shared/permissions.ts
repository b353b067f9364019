import type { ClientEventName, Role } from './protocol/events';
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
  'room:delete': { none: false, partner: true, counsellor: true },
  // which document a seat may open is decided per document: shared/protocol/documents.ts
  'doc:message': { none: false, partner: true, counsellor: true },
  // guided sessions: the turn machine decides whose move it is (docs/turn-rules.md)
  'session:command': { none: false, partner: true, counsellor: true },
  'session:sync': { none: false, partner: true, counsellor: true },
  'session:packs': { none: false, partner: true, counsellor: true },
  'session:addAgreements': { none: false, partner: true, counsellor: true },
} as const satisfies Record<ClientEventName, Record<Role, boolean>>;

export type Refusal = typeof ErrorCode.NOT_IN_ROOM | typeof ErrorCode.FORBIDDEN;

/** null when allowed; otherwise the named refusal. */
export function authorize(event: ClientEventName, role: Role): Refusal | null {
  if (permissionMatrix[event][role]) return null;
  return role === 'none' ? ErrorCode.NOT_IN_ROOM : ErrorCode.FORBIDDEN;
}
