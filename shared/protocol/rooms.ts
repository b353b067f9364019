import { z } from 'zod';
import { PARTNER_SEATS, SEAT_IDS, type PartnerSeat, type SeatId } from './identity';
import { groundRulesAcceptedSchema } from './refusals';

export { PARTNER_SEATS, SEAT_IDS, type PartnerSeat, type SeatId } from './identity';

export const PAIRING_CODE_LENGTH = 6;
/** At most this many sockets (tabs, devices) may hold one seat at once; the next `room:join` is refused. */
export const SOCKETS_PER_SEAT = 5;
/** How long after someone joins with a code the others may say "This is not my partner". */
export const REFUSE_JOIN_WINDOW_MS = 10 * 60 * 1000;
/** History lines kept per room, newest kept. */
export const ROOM_HISTORY_KEPT = 50;

/**
 * A few words a person types and others see, such as a name: trimmed, at most 40 characters,
 * none a screen cannot show. `what` names it in the refusals ("Please write a name.").
 */
export function shortTextSchema(what: string) {
  return z
    .string()
    .trim()
    .min(1, `Please write a ${what}.`)
    .max(40, `Please keep the ${what} under 40 characters.`)
    .refine((s) => !/\p{Cc}/u.test(s), `The ${what} has characters we cannot show.`);
}

/** A first name is all we ask for. */
export const displayNameSchema = shortTextSchema('name');

/** base64url, 128 bits or more */
export const roomIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'Not a room id.');
export const inviteTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'Not an invite.');
export const deviceTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43,86}$/, 'Not a device token.');
export const pairingCodeSchema = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'A pairing code is six digits.'));

// ---- HTTP: POST /api/rooms ----
export const createRoomRequestSchema = z.strictObject({
  displayName: displayNameSchema,
  acceptedGroundRules: groundRulesAcceptedSchema,
});
export type CreateRoomRequest = z.infer<typeof createRoomRequestSchema>;

export interface InviteOffer {
  seat: SeatId;
  /** the secret part of the invite link; the link is `${origin}/invite#${token}` */
  token: string;
  expiresAt: number;
}

export interface CodeOffer {
  seat: SeatId;
  code: string;
  expiresAt: number;
}

export interface SeatCredentials {
  roomId: string;
  seat: SeatId;
  deviceToken: string;
  /** the seat's name: the one typed, or, for a seat moved to this device, the name it already had */
  displayName: string;
}

export interface CreateRoomResponse extends SeatCredentials {
  invite: InviteOffer;
  code: CodeOffer;
}

// ---- Socket events: pairing (no seat needed) ----
export const inviteInspectSchema = z.strictObject({ invite: inviteTokenSchema });
export const inviteClaimSchema = z.strictObject({
  invite: inviteTokenSchema,
  displayName: displayNameSchema,
  acceptedGroundRules: groundRulesAcceptedSchema,
});
export const codeClaimSchema = z.strictObject({
  code: pairingCodeSchema,
  displayName: displayNameSchema,
  acceptedGroundRules: groundRulesAcceptedSchema,
});

export interface InviteInfo {
  seat: SeatId;
  mode: RoomMode;
  /** The first name of whoever is waiting, so the invitee knows whose room this is. */
  invitedBy: string | null;
  hasCounsellor: boolean;
  /**
   * The name the seat already has when the invite moves a seat to a new device: the seat keeps
   * it, and the name typed when claiming is ignored. null for a seat nobody has had yet.
   */
  seatName: string | null;
}

// ---- Socket events: in a room ----
export const roomJoinSchema = z.strictObject({ roomId: roomIdSchema, deviceToken: deviceTokenSchema });
export const presenceSetSchema = z.strictObject({ presence: z.enum(['here', 'away']) });
export const reinviteSchema = z.strictObject({ seat: z.enum(SEAT_IDS) });
/** "This is not my partner": only a partner seat can have joined with a code. */
export const refuseJoinSchema = z.strictObject({ seat: z.enum(PARTNER_SEATS) });
/** Only a partner seat has a pairing code: the counsellor's seat is held by the counsellor's key. */
export const newCodeSchema = z.strictObject({ seat: z.enum(PARTNER_SEATS) });
export const deleteRoomSchema = z.strictObject({ confirmRoomId: roomIdSchema });
export const emptySchema = z.strictObject({}).optional();

export type RoomMode = 'couple' | 'moderated';
export type Presence = 'here' | 'away' | 'gone';

/**
 * One line of a room's history: who, what, when; never anything anyone wrote. Kinds:
 * `joined` (first claim of a seat), `moveStarted` (a move to a new device was asked for; `by`
 * signed the seat's device out unless `by` is the seat itself), `moved` (a new device took the
 * seat, which kept its name), `refused` (`by` said the one who joined with the code is not
 * their partner; that device was signed out).
 */
export interface RoomHistoryEntry {
  kind: 'joined' | 'moveStarted' | 'moved' | 'refused';
  seat: SeatId;
  /** the seat's name at that moment */
  name: string | null;
  /** the seat that did it; null when the seat's own (new) device did, by claiming */
  by: SeatId | null;
  via: 'invite' | 'code' | null;
  at: number;
}

export interface SeatView {
  seat: SeatId;
  displayName: string | null;
  claimed: boolean;
  presence: Presence;
  /**
   * Only on the room:state sent because the seat's last device dropped: how long, in ms, the
   * server had heard nothing from that device before it was found gone (0 for a closed or
   * reloaded tab; about the ping timeout or more for a lost network). A device that tells of
   * departures calmly counts its grace from then.
   */
  silentForMs?: number;
}

/** The same for everyone in the room, so it can be broadcast to the room as one message. */
export interface RoomView {
  roomId: string;
  mode: RoomMode;
  seats: SeatView[];
  /** Outstanding invites for seats nobody has claimed yet (the secret link itself is never re-sent). */
  pendingInvites: Array<{ seat: SeatId; expiresAt: number }>;
  /**
   * Live pairing codes of seats nobody holds, for whoever may hand them out: in a couple's room
   * every partner gets them; in a moderated room only the counsellor does (partners get none).
   */
  codes: CodeOffer[];
  /** The room's history, oldest first (at most ROOM_HISTORY_KEPT entries). */
  history: RoomHistoryEntry[];
  /** Joins by code that may still be refused ("This is not my partner"), and until when. */
  refusable: Array<{ seat: PartnerSeat; name: string; until: number }>;
  /** When the room expires if nobody comes back. */
  expiresAt: number;
}

/** Who deleted a room (`room:deleted`): their seat, and their display name if they had one. */
export interface RoomDeleter {
  seat: SeatId;
  name: string | null;
}

export interface RoomServerEvents {
  'room:state': (room: RoomView) => void;
  /**
   * This device was signed out: its seat moved to another device (TOKEN_REVOKED), its join by
   * code was refused (JOIN_REFUSED), or the room is gone. The client forgets the seat.
   */
  'seat:revoked': (reason: { code: 'TOKEN_REVOKED' | 'JOIN_REFUSED' | 'ROOM_DELETED'; message: string }) => void;
  /**
   * The room is gone, deleted by someone in it or expired: the client forgets it. `by` names who
   * deleted it (seat and display name as the room had them), so the partner who did not is told
   * plainly; null when the room expired or the deletion is learnt of afterwards.
   */
  'room:deleted': (info: { roomId: string; code: 'ROOM_DELETED'; message: string; by: RoomDeleter | null }) => void;
}
