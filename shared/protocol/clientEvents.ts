import type { z } from 'zod';
import type { DueReview } from '../agreements/reviews';
import type { CheckInView, CounsellorCommitmentMarks } from '../checkIns/view';
import type { Pack } from '../content/packSchema';
import {
  agreementProposeSchema,
  agreementRefSchema,
  emptyRecordsSchema,
  versionGetSchema,
  versionSaveSchema,
  type AcceptanceRecord,
  type AgreementRecordsView,
  type Commitment,
  type VersionRecord,
  type VersionSummary,
} from './agreements';
import {
  checkInAnswerSchema,
  checkInCounsellorMarksSchema,
  checkInGetSchema,
  checkInNoteSchema,
  checkInSetRhythmSchema,
  checkInShareSchema,
} from './checkIns';
import {
  counsellorCreateRoomSchema,
  counsellorLinesSchema,
  counsellorProposeAgreementSchema,
  counsellorRecoverSchema,
  counsellorRegisterSchema,
  counsellorRoomsSchema,
  counsellorSignInSchema,
  counsellorSuggestPackSchema,
  privateLineSendSchema,
  suggestionGetSchema,
  type CounsellorCredentials,
  type CounsellorIdentity,
  type CounsellorRoomSummary,
  type CreatedModeratedRoom,
  type PackSuggestion,
  type PrivateLine,
} from './counsellors';
import { docMessageSchema } from './documents';
import type { AckCallback } from './errors';
import type { SeatId } from './identity';
import {
  codeClaimSchema,
  deleteRoomSchema,
  emptySchema,
  inviteClaimSchema,
  inviteInspectSchema,
  newCodeSchema,
  presenceSetSchema,
  refuseJoinSchema,
  reinviteSchema,
  roomJoinSchema,
  type CodeOffer,
  type InviteInfo,
  type InviteOffer,
  type RoomView,
  type SeatCredentials,
} from './rooms';
import {
  sessionAddAgreementsSchema,
  sessionAfterwardsSchema,
  sessionMyAfterwardsSchema,
  sessionCommandSchema,
  sessionPacksSchema,
  sessionSyncSchema,
  type SessionAfterwards,
  type SessionTranscript,
  type SessionView,
} from './sessions';
import {
  pushMineSchema,
  pushPublicKeySchema,
  pushSubscribeSchema,
  pushUnsubscribeSchema,
  type PushSettingsView,
} from './reminders';
import {
  voiceDescriptionSchema,
  voiceIceSchema,
  voiceIceServersSchema,
  voiceStateSchema,
  type IceServers,
} from './voice';

/**
 * The answer an event's ack carries on success, besides `ok: true`. A marker for the compiler
 * only: the server checks each handler's return against it and the client's request is typed
 * from it; on the wire nothing of it is sent.
 */
export interface AckResult<T extends object> {
  readonly __result: T;
}

/** The entry's result type: `ack<{ code: CodeOffer }>()`; `ack()` for an answer of `{ ok: true }` alone. */
export function ack<T extends object = object>(): AckResult<T> {
  return RESULT as AckResult<T>;
}
const RESULT = Object.freeze({});

export interface ClientEventSpec {
  /** what the server parses the payload with before any handler runs */
  payload: z.ZodType;
  result: AckResult<object>;
  /** the sender may leave out the ack callback (presence, best effort) */
  ackOptional?: true;
}

/**
 * The one table of the client's events: for each, the schema its payload is parsed with and
 * what its ack answers. The feature files (rooms.ts, documents.ts, agreements.ts, sessions.ts,
 * counsellors.ts) declare the schemas and result types; this joins them. ClientToServerEvents
 * (./events.ts), the server's dispatcher and the client's requests are all typed from it, and
 * the permission matrix (shared/permissions.ts) must have a row for exactly these events.
 */
export const clientEvents = {
  // ---- pairing (no seat needed) ----
  'invite:inspect': { payload: inviteInspectSchema, result: ack<{ invite: InviteInfo }>() },
  'invite:claim': { payload: inviteClaimSchema, result: ack<SeatCredentials>() },
  'code:claim': { payload: codeClaimSchema, result: ack<SeatCredentials>() },
  // ---- in a room ----
  'room:join': { payload: roomJoinSchema, result: ack<{ room: RoomView; you: SeatId }>() },
  'room:leave': { payload: emptySchema, result: ack() },
  'presence:set': { payload: presenceSetSchema, result: ack() },
  'room:reinvite': { payload: reinviteSchema, result: ack<{ invite: InviteOffer; code: CodeOffer }>() },
  'room:newCode': { payload: newCodeSchema, result: ack<{ code: CodeOffer }>() },
  'room:refuseJoin': { payload: refuseJoinSchema, result: ack<{ invite: InviteOffer; code: CodeOffer }>() },
  'room:delete': { payload: deleteRoomSchema, result: ack() },
  /**
   * Acknowledged once handled: for an update or sync step 2, only after it is durable in the
   * store. Replies (sync step 2 and our step 1 after a step 1) arrive as `doc:message` first.
   * Presence (awareness) is best effort and may be sent without asking for an ack: an ack is
   * a frame of its own, and presence is resent with the next cursor move anyway. With
   * `lazyAck`, a successful ack may come up to the server's ack window later (half a second
   * by default), together with the acks after it; a refusal always comes at once.
   */
  'doc:message': { payload: docMessageSchema, result: ack(), ackOptional: true },
  // ---- agreements on the record ----
  /** Proposes a new draft: the server adds it to the document and records who proposed it and when. */
  'agreement:propose': { payload: agreementProposeSchema, result: ack<{ agreementId: string }>() },
  /** Partners only: accepts the draft's words as the server's copy holds them now. */
  'agreement:accept': { payload: agreementRefSchema, result: ack<{ acceptance: AcceptanceRecord; commitment: Commitment | null }>() },
  /**
   * Partners only: takes back one's own acceptance of a draft; for an agreement in force, asks
   * to withdraw the commitment, which ends once both partners have asked.
   */
  'agreement:withdraw': { payload: agreementRefSchema, result: ack<{ ended: boolean }>() },
  /** Anyone seated: asks to talk about an agreement again (settled when both accept after it). */
  'agreement:requestReview': { payload: agreementRefSchema, result: ack() },
  'agreement:clearReview': { payload: agreementRefSchema, result: ack() },
  /** Anyone seated: the server snapshots its own copy of the drafts and commitments under a name. */
  'version:save': { payload: versionSaveSchema, result: ack<{ version: VersionSummary }>() },
  /** Anyone seated: one saved version's snapshot, by its id in the record's `versions`. */
  'version:get': { payload: versionGetSchema, result: ack<{ version: VersionRecord }>() },
  /**
   * The records, sent again as `agreements:records`, and in the ack, with the agreements whose
   * review day has come by the server's clock (`due`, soonest first).
   */
  'agreements:records': { payload: emptyRecordsSchema, result: ack<{ records: AgreementRecordsView; due: DueReview[] }>() },
  // ---- check-ins between sessions (partners, each for their own seat) ----
  /** The room's check-ins as the asking partner's seat may see them (CI-06, CI-07). */
  'checkIn:get': { payload: checkInGetSchema, result: ack<{ checkIns: CheckInView }>() },
  'checkIn:setRhythm': { payload: checkInSetRhythmSchema, result: ack<{ checkIns: CheckInView }>() },
  /** One's own answer for an open period of a commitment's rhythm. */
  'checkIn:answer': { payload: checkInAnswerSchema, result: ack<{ checkIns: CheckInView }>() },
  /** A small step noted, for both partners to see. */
  'checkIn:note': { payload: checkInNoteSchema, result: ack<{ checkIns: CheckInView }>() },
  /** One partner's consent (or its withdrawal) to show a commitment's marks to the counsellor. */
  'checkIn:shareWithCounsellor': { payload: checkInShareSchema, result: ack<{ checkIns: CheckInView }>() },
  /** The counsellor of a room they own: the marks, never the words, of the commitments both partners share. */
  'checkIn:counsellorMarks': { payload: checkInCounsellorMarksSchema, result: ack<{ commitments: CounsellorCommitmentMarks[] }>() },
  // ---- guided sessions ----
  'session:command': { payload: sessionCommandSchema, result: ack<{ version: number }>() },
  'session:sync': { payload: sessionSyncSchema, result: ack<{ session: SessionView; transcript: SessionTranscript | null }>() },
  'session:packs': { payload: sessionPacksSchema, result: ack<{ packs: Pack[] }>() },
  'session:addAgreements': { payload: sessionAddAgreementsSchema, result: ack<{ added: string[]; alreadyThere: string[] }>() },
  /** A partner, after the end: how they feel and what they take with them, kept for them alone. */
  'session:afterwards': { payload: sessionAfterwardsSchema, result: ack<{ afterwards: SessionAfterwards }>() },
  /** A partner: their own answer for the last session, if they gave one. */
  'session:myAfterwards': { payload: sessionMyAfterwardsSchema, result: ack<{ afterwards: SessionAfterwards | null }>() },
  // ---- counsellors ----
  'counsellor:register': { payload: counsellorRegisterSchema, result: ack<CounsellorCredentials>() },
  'counsellor:signIn': { payload: counsellorSignInSchema, result: ack<{ counsellor: CounsellorIdentity; rooms: CounsellorRoomSummary[] }>() },
  /** A new key for this device; the old key stops working and the old recovery code is used up. */
  'counsellor:recover': { payload: counsellorRecoverSchema, result: ack<CounsellorCredentials>() },
  'counsellor:rooms': { payload: counsellorRoomsSchema, result: ack<{ rooms: CounsellorRoomSummary[] }>() },
  'counsellor:createRoom': { payload: counsellorCreateRoomSchema, result: ack<CreatedModeratedRoom>() },
  'counsellor:lines': { payload: counsellorLinesSchema, result: ack<{ lines: PrivateLine[] }>() },
  'counsellor:proposeAgreement': { payload: counsellorProposeAgreementSchema, result: ack<{ agreementId: string }>() },
  'counsellor:suggestPack': { payload: counsellorSuggestPackSchema, result: ack<{ suggestion: PackSuggestion | null }>() },
  /** Anyone seated: the counsellor's current suggestion for this room. */
  'counsellor:suggestion': { payload: suggestionGetSchema, result: ack<{ suggestion: PackSuggestion | null }>() },
  /** A partner, to the counsellor only. */
  'privateLine:send': { payload: privateLineSendSchema, result: ack<{ at: number }>() },
  // ---- voice: signalling relayed to one seat of the same room; media never reaches the server ----
  'voice:offer': { payload: voiceDescriptionSchema, result: ack() },
  'voice:answer': { payload: voiceDescriptionSchema, result: ack() },
  'voice:ice': { payload: voiceIceSchema, result: ack() },
  /** Who is in the call and whether their microphone is open: to the room, or to one seat. */
  'voice:state': { payload: voiceStateSchema, result: ack() },
  /** STUN and TURN servers for RTCPeerConnection, TURN with credentials minted now for this seat. */
  'voice:iceServers': { payload: voiceIceServersSchema, result: ack<IceServers>() },
  // ---- reminders on this device (Web Push; docs/protocol.md "Reminders") ----
  /** The server's VAPID public key (base64url), for PushManager.subscribe's applicationServerKey. */
  'push:publicKey': { payload: pushPublicKeySchema, result: ack<{ publicKey: string }>() },
  /** A partner: this device's push subscription and choices, replacing any it had. */
  'push:subscribe': { payload: pushSubscribeSchema, result: ack<{ subscription: PushSettingsView }>() },
  /** A partner: no more reminders on this device; `removed` is false when it had none. */
  'push:unsubscribe': { payload: pushUnsubscribeSchema, result: ack<{ removed: boolean }>() },
  /** A partner: what this device is reminded of, or null. */
  'push:mine': { payload: pushMineSchema, result: ack<{ subscription: PushSettingsView | null }>() },
} as const satisfies Record<string, ClientEventSpec>;

type ClientEventTable = typeof clientEvents;
export type ClientEventName = keyof ClientEventTable;

/** What a client sends with event `E` (the schema's input). */
export type PayloadOf<E extends ClientEventName> = z.input<ClientEventTable[E]['payload']>;
/** What a handler of `E` receives: the payload as its schema parsed it. */
export type ParsedPayloadOf<E extends ClientEventName> = z.output<ClientEventTable[E]['payload']>;
/** What the ack of `E` carries on success, besides `ok: true`. */
export type ResultOf<E extends ClientEventName> = ClientEventTable[E]['result'] extends AckResult<infer T> ? T : never;

type ListenerOf<E extends ClientEventName> = ClientEventTable[E] extends { ackOptional: true }
  ? (payload: PayloadOf<E>, ack?: AckCallback<ResultOf<E>>) => void
  : (payload: PayloadOf<E>, ack: AckCallback<ResultOf<E>>) => void;

/** The table in the shape Socket.IO's generics take: one listener signature per event. */
export type ClientEventListeners = { [E in ClientEventName]: ListenerOf<E> };
