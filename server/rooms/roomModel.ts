/**
 * Seats, invites and pairing codes as pure functions over a RoomRecord. The room service
 * adds I/O and compare-and-set around them; everything here is tested without a server.
 */
import { ErrorCode } from '../../shared/protocol/errors';
import type { CodeOffer, Presence, RoomView, SeatView } from '../../shared/protocol/rooms';
import type { PairingCodeRecord, RoomMode, RoomRecord, SeatId, SeatRecord } from '../storage/types';

export const MAX_WRONG_CODE_TRIES = 5;
/** Old token hashes kept per seat, only to tell a signed-out device why. */
const REVOKED_HASHES_KEPT = 5;

export interface RoomTimings {
  inviteTtlMs: number;
  codeTtlMs: number;
  roomTtlMs: number;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: ErrorCode };
const refuse = <T>(code: ErrorCode): Outcome<T> => ({ ok: false, code });

export function partnerSeats(mode: RoomMode): SeatId[] {
  return mode === 'moderated' ? ['A', 'B', 'counsellor'] : ['A', 'B'];
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
  const record: SeatRecord = {
    displayName,
    tokenHash,
    claimedAt: now,
    groundRulesAcceptedAt: now,
    revokedTokenHashes: previous?.revokedTokenHashes ?? [],
  };
  return next(room, {
    seats: { ...room.seats, [seat]: record },
    invites: room.invites.map((i) => (i.seat === seat && i.claimedAt === null ? { ...i, claimedAt: now } : i)),
    codes: liveCodes(room.codes, now).map((c) => (c.seat === seat && c.claimedAt === null ? { ...c, claimedAt: now } : c)),
    lastActiveAt: now,
  });
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
): RoomRecord {
  const held = room.seats[seat];
  const seats = { ...room.seats };
  if (held?.tokenHash) {
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
  invites.push({ hash: invite.hash, seat, createdAt: now, expiresAt: now + timings.inviteTtlMs, claimedAt: null, revokedAt: null });
  return next(room, {
    seats,
    invites: pruneInvites(invites, now, timings),
    codes: withFreshCode(room.codes, seat, code, now, timings),
    lastActiveAt: now,
  });
}

export function replaceCode(room: RoomRecord, seat: SeatId, code: string, now: number, timings: RoomTimings): RoomRecord {
  return next(room, { codes: withFreshCode(room.codes, seat, code, now, timings) });
}

function liveCodes(codes: PairingCodeRecord[], now: number): PairingCodeRecord[] {
  return codes.filter((c) => c.expiresAt > now);
}

/** Replaces the seat's unused code; used codes stay until they expire. */
function withFreshCode(codes: PairingCodeRecord[], seat: SeatId, code: string, now: number, timings: RoomTimings): PairingCodeRecord[] {
  return [
    ...liveCodes(codes, now).filter((c) => c.seat !== seat || c.claimedAt !== null),
    { code, seat, expiresAt: now + timings.codeTtlMs, wrongTries: 0, claimedAt: null },
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
  if (isSeatTaken(room, invite.seat)) return refuse(ErrorCode.ROOM_FULL);
  return { ok: true, value: { seat: invite.seat } };
}

export function findLiveCode(room: RoomRecord, code: string, now: number): Outcome<PairingCodeRecord> {
  const record = room.codes.find((c) => c.code === code);
  if (!record) return refuse(ErrorCode.CODE_INVALID);
  if (record.claimedAt !== null) return refuse(ErrorCode.ROOM_FULL);
  if (record.expiresAt <= now || isDead(record)) return refuse(ErrorCode.CODE_EXPIRED);
  if (isSeatTaken(room, record.seat)) return refuse(ErrorCode.ROOM_FULL);
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

export type TokenCheck = { ok: true; seat: SeatId } | { ok: false; code: typeof ErrorCode.TOKEN_INVALID | typeof ErrorCode.TOKEN_REVOKED };

export function seatForToken(room: RoomRecord, tokenHash: string): TokenCheck {
  for (const [seat, record] of Object.entries(room.seats) as Array<[SeatId, SeatRecord]>) {
    if (record.tokenHash === tokenHash) return { ok: true, seat };
  }
  for (const record of Object.values(room.seats)) {
    if (record?.revokedTokenHashes.includes(tokenHash)) return { ok: false, code: ErrorCode.TOKEN_REVOKED };
  }
  return { ok: false, code: ErrorCode.TOKEN_INVALID };
}

export function isExpired(room: RoomRecord, now: number, timings: RoomTimings): boolean {
  return room.lastActiveAt + timings.roomTtlMs <= now;
}

export function roomView(
  room: RoomRecord,
  presence: Partial<Record<SeatId, Presence>>,
  now: number,
  timings: RoomTimings,
): RoomView {
  const seatIds: SeatId[] = room.mode === 'moderated' ? ['A', 'B', 'counsellor'] : ['A', 'B'];
  const seats: SeatView[] = seatIds.map((seat) => {
    const record = room.seats[seat];
    const claimed = seat === 'counsellor' ? room.counsellorId !== null : Boolean(record?.tokenHash);
    return {
      seat,
      displayName: record?.displayName ?? null,
      claimed,
      presence: presence[seat] ?? 'gone',
    };
  });
  const openCodes: CodeOffer[] = room.codes
    .filter((c) => c.expiresAt > now && c.claimedAt === null && !isDead(c) && !isSeatTaken(room, c.seat))
    .map((c) => ({ seat: c.seat, code: c.code, expiresAt: c.expiresAt }));
  return {
    roomId: room.id,
    mode: room.mode,
    seats,
    pendingInvites: room.invites
      .filter((i) => i.claimedAt === null && i.revokedAt === null && i.expiresAt > now)
      .map((i) => ({ seat: i.seat, expiresAt: i.expiresAt })),
    codes: openCodes,
    expiresAt: room.lastActiveAt + timings.roomTtlMs,
  };
}
