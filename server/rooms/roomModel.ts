/**
 * Seats, invites and pairing codes as pure functions over a RoomRecord. The room service
 * adds I/O and compare-and-set around them; everything here is tested without a server.
 */
import { ErrorCode } from '../../shared/protocol/errors';
import {
  REFUSE_JOIN_WINDOW_MS,
  ROOM_HISTORY_KEPT,
  type CodeOffer,
  type Presence,
  type RoomHistoryEntry,
  type RoomView,
  type SeatView,
} from '../../shared/protocol/rooms';
import { PARTNER_SEATS, SEAT_IDS, type SeatId } from '../../shared/protocol/identity';
import type { RoomMode } from '../../shared/protocol/rooms';
import type { PairingCodeRecord, RoomRecord, SeatRecord } from '../storage/types';

export const MAX_WRONG_CODE_TRIES = 5;
/** Old token hashes kept per seat, only to tell a signed-out device why. */
const REVOKED_HASHES_KEPT = 5;

export interface RoomTimings {
  inviteTtlMs: number;
  codeTtlMs: number;
  roomTtlMs: number;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message?: string };
const refuse = <T>(code: ErrorCode, message?: string): Outcome<T> => (message ? { ok: false, code, message } : { ok: false, code });

/** Words for the refusals of seat moves, said to the person who asked. */
export const seatMoveRefusals = {
  counsellorSeat: "The counsellor's seat moves with the counsellor's key, not with an invite or a code.",
  moderated: 'In a room with a counsellor, only the counsellor can move your partner’s seat to a new device. You can move your own seat from the room menu.',
  refuseOwn: 'You cannot refuse your own seat. To leave, use “Leave for now” or delete the room.',
} as const;

/**
 * Who may move a seat to a new device (a new invite or code for it), and so hand out its codes:
 * the seat's own device ("move to a new phone"); in a moderated room the counsellor; in a
 * couple's room the other partner. Nobody moves the counsellor's seat this way.
 */
export function maySeatBeMovedBy(room: RoomRecord, by: SeatId, seat: SeatId): Outcome<void> {
  if (seat === 'counsellor') return refuse(ErrorCode.FORBIDDEN, seatMoveRefusals.counsellorSeat);
  if (by === seat) return { ok: true, value: undefined };
  if (room.mode === 'moderated' && by !== 'counsellor') return refuse(ErrorCode.FORBIDDEN, seatMoveRefusals.moderated);
  return { ok: true, value: undefined };
}

export function partnerSeats(mode: RoomMode): SeatId[] {
  return mode === 'moderated' ? [...SEAT_IDS] : [...PARTNER_SEATS];
}

export function newRoomRecord(input: {
  id: string;
  mode: RoomMode;
  now: number;
  counsellorId?: string | null;
}): RoomRecord {
  return {
    id: input.id,
    mode: input.mode,
    version: 1,
    createdAt: input.now,
    lastActiveAt: input.now,
    counsellorId: input.counsellorId ?? null,
    seats: {},
    invites: [],
    codes: [],
  };
}

/** The next version of a room: every change goes through here so versions always grow by one. */
function next(room: RoomRecord, change: Partial<RoomRecord>): RoomRecord {
  return { ...room, ...change, version: room.version + 1 };
}

export function occupySeat(
  room: RoomRecord,
  seat: SeatId,
  displayName: string,
  tokenHash: string,
  now: number,
): RoomRecord {
  const previous = room.seats[seat];
  // A seat moved to a new device keeps its name: the claimer cannot change who the seat is.
  // A device still holding it (a move its own device asked for) is signed out by this claim.
  const revoked = previous?.tokenHash ? [previous.tokenHash, ...previous.revokedTokenHashes] : (previous?.revokedTokenHashes ?? []);
  const record: SeatRecord = {
    displayName: previous?.displayName ?? displayName,
    tokenHash,
    claimedAt: now,
    groundRulesAcceptedAt: now,
    revokedTokenHashes: revoked.slice(0, REVOKED_HASHES_KEPT),
  };
  return next(room, {
    seats: { ...room.seats, [seat]: record },
    invites: room.invites.map((i) => (i.seat === seat && i.claimedAt === null ? { ...i, claimedAt: now } : i)),
    codes: liveCodes(room.codes, now).map((c) => (c.seat === seat && c.claimedAt === null ? { ...c, claimedAt: now } : c)),
    lastActiveAt: now,
  });
}

/**
 * A device claims a seat with an invite or a code: the seat is occupied, and the room's
 * history says whether it was the seat's first device or a move. Returns the device token hash
 * the claim displaced (a move the seat's own device asked for), to be signed out.
 */
export function claimSeat(
  room: RoomRecord,
  seat: SeatId,
  displayName: string,
  tokenHash: string,
  via: 'invite' | 'code',
  now: number,
): { room: RoomRecord; displaced: string | null } {
  const previous = room.seats[seat];
  const occupied = occupySeat(room, seat, displayName, tokenHash, now);
  const entry: RoomHistoryEntry = {
    kind: previous ? 'moved' : 'joined',
    seat,
    name: occupied.seats[seat]!.displayName,
    by: null,
    via,
    at: now,
  };
  return { room: withHistory(occupied, entry), displaced: previous?.tokenHash ?? null };
}

export function withHistory(room: RoomRecord, entry: RoomHistoryEntry): RoomRecord {
  return { ...room, history: [...(room.history ?? []), entry].slice(-ROOM_HISTORY_KEPT) };
}

/**
 * Opens a seat for a (new) device: a fresh invite and a fresh code, any older open invite for
 * the seat revoked, and, if someone held the seat, their device token revoked.
 */
export function openSeat(
  room: RoomRecord,
  seat: SeatId,
  invite: { hash: string },
  code: string,
  now: number,
  timings: RoomTimings,
  options: { keepDevice?: boolean } = {},
): RoomRecord {
  const held = room.seats[seat];
  const seats = { ...room.seats };
  // keepDevice: the seat's own device asked to move; it stays in until the new one claims.
  const move = Boolean(options.keepDevice && held?.tokenHash);
  if (held?.tokenHash && !move) {
    seats[seat] = {
      ...held,
      tokenHash: null,
      claimedAt: null,
      revokedTokenHashes: [held.tokenHash, ...held.revokedTokenHashes].slice(0, REVOKED_HASHES_KEPT),
    };
  }
  const invites = room.invites.map((i) =>
    i.seat === seat && i.claimedAt === null && i.revokedAt === null ? { ...i, revokedAt: now } : i,
  );
  invites.push({
    hash: invite.hash,
    seat,
    createdAt: now,
    expiresAt: now + timings.inviteTtlMs,
    claimedAt: null,
    revokedAt: null,
    ...(move ? { move: true } : {}),
  });
  return next(room, {
    seats,
    invites: pruneInvites(invites, now, timings),
    codes: withFreshCode(room.codes, seat, code, now, timings, move),
    lastActiveAt: now,
  });
}

export function replaceCode(room: RoomRecord, seat: SeatId, code: string, now: number, timings: RoomTimings, move = false): RoomRecord {
  return next(room, { codes: withFreshCode(room.codes, seat, code, now, timings, move) });
}

function liveCodes(codes: PairingCodeRecord[], now: number): PairingCodeRecord[] {
  return codes.filter((c) => c.expiresAt > now);
}

/** Replaces the seat's unused code; used codes stay until they expire. */
function withFreshCode(codes: PairingCodeRecord[], seat: SeatId, code: string, now: number, timings: RoomTimings, move = false): PairingCodeRecord[] {
  return [
    ...liveCodes(codes, now).filter((c) => c.seat !== seat || c.claimedAt !== null),
    { code, seat, expiresAt: now + timings.codeTtlMs, wrongTries: 0, claimedAt: null, ...(move ? { move: true } : {}) },
  ];
}

/**
 * Used and revoked invites are kept until they would have expired anyway, so that a person
 * who opens an old link is told it was used rather than that it never existed.
 */
function pruneInvites(invites: RoomRecord['invites'], now: number, timings: RoomTimings): RoomRecord['invites'] {
  return invites.filter((i) => i.claimedAt === null || i.expiresAt > now - timings.inviteTtlMs);
}

export function isSeatTaken(room: RoomRecord, seat: SeatId): boolean {
  return Boolean(room.seats[seat]?.tokenHash);
}

export function checkInvite(room: RoomRecord, hash: string, now: number): Outcome<{ seat: SeatId }> {
  const invite = room.invites.find((i) => i.hash === hash);
  if (!invite) return refuse(ErrorCode.INVITE_NOT_FOUND);
  if (invite.claimedAt !== null) {
    // The words a third person needs: the room is complete, not that something broke.
    return refuse(isSeatTaken(room, invite.seat) ? ErrorCode.ROOM_FULL : ErrorCode.INVITE_USED);
  }
  if (invite.revokedAt !== null) return refuse(ErrorCode.INVITE_USED);
  if (invite.expiresAt <= now) return refuse(ErrorCode.INVITE_EXPIRED);
  if (isSeatTaken(room, invite.seat) && !invite.move) return refuse(ErrorCode.ROOM_FULL);
  return { ok: true, value: { seat: invite.seat } };
}

export function findLiveCode(room: RoomRecord, code: string, now: number): Outcome<PairingCodeRecord> {
  const record = room.codes.find((c) => c.code === code);
  if (!record) return refuse(ErrorCode.CODE_INVALID);
  if (record.claimedAt !== null) return refuse(ErrorCode.ROOM_FULL);
  if (record.expiresAt <= now || isDead(record)) return refuse(ErrorCode.CODE_EXPIRED);
  if (isSeatTaken(room, record.seat) && !record.move) return refuse(ErrorCode.ROOM_FULL);
  return { ok: true, value: record };
}

/**
 * A wrong try near a live code counts against it; at the fifth the code dies. A dead code stays
 * on the record until it is replaced or would have run out, so the person who then types it
 * right is told it is no longer valid (CODE_EXPIRED) rather than that it never existed.
 */
export function countWrongTry(room: RoomRecord, code: string): RoomRecord {
  const codes = room.codes.map((c) =>
    c.code === code && c.claimedAt === null && !isDead(c) ? { ...c, wrongTries: c.wrongTries + 1 } : c,
  );
  return next(room, { codes });
}

function isDead(code: PairingCodeRecord): boolean {
  return code.wrongTries >= MAX_WRONG_CODE_TRIES;
}

/**
 * The codes a slip of the finger away from `code`: one digit changed, or two neighbours
 * swapped. A wrong try is charged to a live code only when it is one of these, so a typo by
 * the right person counts, and one person's typo cannot kill an unrelated couple's code.
 */
export function nearbyCodes(code: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < code.length; i++) {
    for (let d = 0; d <= 9; d++) {
      const digit = String(d);
      if (digit !== code[i]) out.add(code.slice(0, i) + digit + code.slice(i + 1));
    }
    if (i + 1 < code.length && code[i] !== code[i + 1]) {
      out.add(code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2));
    }
  }
  return [...out];
}

export type TokenCheck =
  | { ok: true; seat: SeatId }
  | { ok: false; code: typeof ErrorCode.TOKEN_INVALID | typeof ErrorCode.TOKEN_REVOKED | typeof ErrorCode.JOIN_REFUSED };

export function seatForToken(room: RoomRecord, tokenHash: string): TokenCheck {
  for (const [seat, record] of Object.entries(room.seats) as Array<[SeatId, SeatRecord]>) {
    if (record.tokenHash === tokenHash) return { ok: true, seat };
  }
  for (const record of Object.values(room.seats)) {
    if (record?.revokedTokenHashes.includes(tokenHash)) return { ok: false, code: ErrorCode.TOKEN_REVOKED };
  }
  if (room.refusedTokenHashes?.includes(tokenHash)) return { ok: false, code: ErrorCode.JOIN_REFUSED };
  return { ok: false, code: ErrorCode.TOKEN_INVALID };
}

/** The join by code of `seat` that may still be refused at `now`, if there is one. */
export function refusableJoin(room: RoomRecord, seat: SeatId, now: number): RoomHistoryEntry | null {
  const last = (room.history ?? []).findLast((e) => e.seat === seat);
  if (!last || last.via !== 'code' || (last.kind !== 'joined' && last.kind !== 'moved')) return null;
  if (last.at + REFUSE_JOIN_WINDOW_MS <= now || !isSeatTaken(room, seat)) return null;
  return last;
}

/**
 * "This is not my partner": the device that just joined `seat` with a code is signed out and the
 * seat is open again, with a fresh invite and code. A seat that had a name before that join (a
 * moved seat) keeps it; a seat taken for the first time is forgotten, name and all. Only within
 * REFUSE_JOIN_WINDOW_MS of the join, never by the seat itself, and only by whoever may move the
 * seat (maySeatBeMovedBy); refused in that order. Returns the refused device's token hash.
 */
export function refuseJoin(
  room: RoomRecord,
  by: SeatId,
  seat: SeatId,
  invite: { hash: string },
  code: string,
  now: number,
  timings: RoomTimings,
): Outcome<{ room: RoomRecord; refused: string }> {
  if (by === seat) return refuse(ErrorCode.FORBIDDEN, seatMoveRefusals.refuseOwn);
  // Whether there is a join to refuse is no secret (every view lists them): said first.
  const join = refusableJoin(room, seat, now);
  if (!join) return refuse(ErrorCode.JOIN_NOT_REFUSABLE);
  const allowed = maySeatBeMovedBy(room, by, seat);
  if (!allowed.ok) return allowed;
  const held = room.seats[seat]!;
  const refused = held.tokenHash!;
  const seats = { ...room.seats };
  if (join.kind === 'moved') seats[seat] = { ...held, tokenHash: null, claimedAt: null };
  else delete seats[seat];
  const cleared: RoomRecord = { ...room, seats, refusedTokenHashes: [refused, ...(room.refusedTokenHashes ?? [])].slice(0, REVOKED_HASHES_KEPT) };
  const reopened = openSeat(cleared, seat, invite, code, now, timings);
  return { ok: true, value: { room: withHistory(reopened, { kind: 'refused', seat, name: held.displayName, by, via: null, at: now }), refused } };
}

export function isExpired(room: RoomRecord, now: number, timings: RoomTimings): boolean {
  return room.lastActiveAt + timings.roomTtlMs <= now;
}

/**
 * The room as an audience sees it. Only the codes differ: they go to whoever may hand them out
 * (maySeatBeMovedBy), so in a couple's room both partners see them (only the seat that is not
 * free is ever in the room), and in a moderated room only the counsellor does; a partner there
 * never sees the other seat's code, which would let them take that seat.
 */
/** For seats whose last device just dropped: how long its link had been silent before (server/realtime/linkSilence.ts). */
export type SeatSilence = Partial<Record<SeatId, number>>;

export function roomView(
  room: RoomRecord,
  presence: Partial<Record<SeatId, Presence>>,
  now: number,
  timings: RoomTimings,
  audience: 'partners' | 'counsellor',
  silence: SeatSilence = {},
): RoomView {
  const seatIds = partnerSeats(room.mode);
  const seats: SeatView[] = seatIds.map((seat) => {
    const record = room.seats[seat];
    const claimed = seat === 'counsellor' ? room.counsellorId !== null : Boolean(record?.tokenHash);
    const seen = presence[seat] ?? 'gone';
    const silentForMs = silence[seat];
    return {
      seat,
      displayName: record?.displayName ?? null,
      claimed,
      presence: seen,
      ...(seen === 'gone' && silentForMs !== undefined ? { silentForMs } : {}),
    };
  });
  const openCodes: CodeOffer[] = room.codes
    .filter((c) => c.expiresAt > now && c.claimedAt === null && !isDead(c) && !isSeatTaken(room, c.seat))
    .filter(() => audience === 'counsellor' || room.mode === 'couple')
    .map((c) => ({ seat: c.seat, code: c.code, expiresAt: c.expiresAt }));
  const refusable: RoomView['refusable'] = [];
  for (const seat of PARTNER_SEATS) {
    const join = refusableJoin(room, seat, now);
    if (join) refusable.push({ seat, name: join.name ?? '', until: join.at + REFUSE_JOIN_WINDOW_MS });
  }
  return {
    roomId: room.id,
    mode: room.mode,
    seats,
    pendingInvites: room.invites
      .filter((i) => i.claimedAt === null && i.revokedAt === null && i.expiresAt > now && !i.move)
      .map((i) => ({ seat: i.seat, expiresAt: i.expiresAt })),
    codes: openCodes,
    history: room.history ?? [],
    refusable,
    expiresAt: room.lastActiveAt + timings.roomTtlMs,
  };
}
