import { EventEmitter } from 'node:events';
import { AppError, ErrorCode, refusalIn } from '../../shared/protocol/errors';
import type {
  CodeOffer,
  CreateRoomResponse,
  InviteInfo,
  InviteOffer,
  Presence,
  RoomDeleter,
  RoomView,
  SeatCredentials,
} from '../../shared/protocol/rooms';
import type { Logger } from '../logger';
import { PARTNER_SEATS, type SeatId } from '../../shared/protocol/identity';
import type { RoomRecord, RoomStore, Storage } from '../storage/types';
import type { Clock } from '../util/clock';
import {
  checkInvite,
  claimSeat,
  countWrongTry,
  findLiveCode,
  isExpired,
  maySeatBeMovedBy,
  nearbyCodes,
  newRoomRecord,
  occupySeat,
  openSeat,
  refuseJoin,
  replaceCode,
  roomView,
  seatForToken,
  withHistory,
  type Outcome,
  type RoomTimings,
  type SeatSilence,
} from './roomModel';
import { hashSecret, newDeviceToken, newInviteToken, newPairingCode, newRoomId } from './secrets';

/** Activity is written at most this often, so a busy room does not rewrite its record all day. */
const TOUCH_EVERY_MS = 60 * 60 * 1000;
const CAS_ATTEMPTS = 8;

export interface RoomServiceEvents {
  /** A room is gone (deleted by a person, or expired): drop everything held for it. */
  deleted: [roomId: string, by: RoomDeleter | null];
  /**
   * A device lost its seat: the seat moved to another device (TOKEN_REVOKED) or its join by code
   * was refused (JOIN_REFUSED). Sign that device out, by its token's hash.
   */
  seatRevoked: [roomId: string, seat: SeatId, tokenHash: string, reason: 'TOKEN_REVOKED' | 'JOIN_REFUSED'];
}

/** A refusal of the pure rules, as the error a handler throws (with its own words when it has them). */
function orThrow<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new AppError(outcome.code, outcome.message);
  return outcome.value;
}

export class RoomService extends EventEmitter<RoomServiceEvents> {
  private readonly rooms: RoomStore;

  constructor(
    private readonly storage: Storage,
    private readonly timings: RoomTimings,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    super();
    this.rooms = storage.rooms;
  }

  async createCoupleRoom(displayName: string): Promise<CreateRoomResponse> {
    const now = this.clock.now();
    const id = newRoomId();
    const deviceToken = newDeviceToken();
    let room = occupySeat(newRoomRecord({ id, mode: 'couple', now }), 'A', displayName, hashSecret(deviceToken), now);
    const inviteToken = newInviteToken();
    const code = await this.unusedCode();
    room = openSeat(room, 'B', { hash: hashSecret(inviteToken) }, code, now, this.timings);
    await this.rooms.create(room);
    this.log.info({ roomId: id, mode: 'couple' }, 'room created');
    return {
      roomId: id,
      seat: 'A',
      deviceToken,
      displayName,
      invite: this.inviteOffer(room, 'B', inviteToken),
      code: this.codeOffer(room, 'B'),
    };
  }

  /** A moderated room: both partner seats open, the counsellor recorded as its owner. */
  async createModeratedRoom(counsellorId: string): Promise<{ roomId: string; invites: InviteOffer[]; codes: CodeOffer[] }> {
    const now = this.clock.now();
    const id = newRoomId();
    let room = newRoomRecord({ id, mode: 'moderated', now, counsellorId });
    const tokens: Partial<Record<SeatId, string>> = {};
    for (const seat of PARTNER_SEATS) {
      tokens[seat] = newInviteToken();
      room = openSeat(room, seat, { hash: hashSecret(tokens[seat]) }, await this.unusedCode(), now, this.timings);
    }
    await this.rooms.create(room);
    this.log.info({ roomId: id, mode: 'moderated' }, 'room created');
    return {
      roomId: id,
      invites: PARTNER_SEATS.map((seat) => this.inviteOffer(room, seat, tokens[seat]!)),
      codes: PARTNER_SEATS.map((seat) => this.codeOffer(room, seat)),
    };
  }

  async inspectInvite(inviteToken: string): Promise<InviteInfo> {
    const room = await this.roomForInvite(inviteToken);
    const checked = checkInvite(room, hashSecret(inviteToken), this.clock.now());
    // who can send a new invite depends on the room's kind: the refusal says which it is
    if (!checked.ok) throw refusalIn(room.mode, checked.code);
    const inviter = checked.value.seat === 'A' ? room.seats.B : room.seats.A;
    return {
      seat: checked.value.seat,
      mode: room.mode,
      invitedBy: inviter?.displayName ?? null,
      hasCounsellor: room.mode === 'moderated',
      seatName: room.seats[checked.value.seat]?.displayName ?? null,
    };
  }

  async claimInvite(inviteToken: string, displayName: string): Promise<SeatCredentials> {
    const hash = hashSecret(inviteToken);
    const roomId = (await this.roomForInvite(inviteToken)).id;
    return this.claim(roomId, 'invite', displayName, (current, now) => checkInvite(current, hash, now));
  }

  /**
   * Claims a seat with a pairing code. A wrong code is charged to any live code one slip of the
   * finger away (see nearbyCodes); per-address limits are the caller's job.
   */
  async claimCode(code: string, displayName: string): Promise<SeatCredentials> {
    const roomId = await this.rooms.findByCode(code);
    if (!roomId) {
      await this.chargeWrongTry(code);
      throw new AppError(ErrorCode.CODE_INVALID);
    }
    return this.claim(roomId, 'code', displayName, (current, now) => findLiveCode(current, code, now));
  }

  /** Takes the seat an invite or code opens; a device the claim displaces is signed out. */
  private async claim(
    roomId: string,
    via: 'invite' | 'code',
    displayName: string,
    check: (room: RoomRecord, now: number) => Outcome<{ seat: SeatId }>,
  ): Promise<SeatCredentials> {
    const deviceToken = newDeviceToken();
    let seat: SeatId = 'A';
    let displaced: string | null = null;
    const room = await this.update(roomId, (current, now) => {
      const checked = check(current, now);
      if (!checked.ok) throw refusalIn(current.mode, checked.code, checked.message);
      seat = checked.value.seat;
      const claimed = claimSeat(current, seat, displayName, hashSecret(deviceToken), via, now);
      displaced = claimed.displaced;
      return claimed.room;
    });
    this.log.info({ roomId, seat, via, moved: displaced !== null }, 'seat claimed');
    if (displaced) this.emit('seatRevoked', roomId, seat, displaced, 'TOKEN_REVOKED');
    return { roomId, seat, deviceToken, displayName: room.seats[seat]!.displayName };
  }

  /** Checks a device token and returns its seat; refreshes the room's activity now and then. */
  async authenticate(roomId: string, deviceToken: string): Promise<{ room: RoomRecord; seat: SeatId; tokenHash: string }> {
    const room = await this.getLiveRoom(roomId);
    const tokenHash = hashSecret(deviceToken);
    const checked = seatForToken(room, tokenHash);
    if (!checked.ok) throw new AppError(checked.code);
    const now = this.clock.now();
    if (now - room.lastActiveAt > TOUCH_EVERY_MS) {
      const touched = await this.update(roomId, (current) => ({ ...current, version: current.version + 1, lastActiveAt: now }));
      return { room: touched, seat: checked.seat, tokenHash };
    }
    return { room, seat: checked.seat, tokenHash };
  }


  /**
   * A new invite and code for a seat, to move it to a new device (maySeatBeMovedBy says who
   * may). Asked by the seat's own device ("move to a new phone"), the device stays in until the
   * new one claims the seat. Asked by the other partner or the counsellor for a held seat, its
   * device is signed out at once (a lost phone must not stay in). A moved seat keeps its name.
   */
  async reinvite(roomId: string, by: SeatId, seat: SeatId): Promise<{ invite: InviteOffer; code: CodeOffer }> {
    const inviteToken = newInviteToken();
    const code = await this.unusedCode();
    let signedOut: string | null = null;
    const room = await this.update(roomId, (current, now) => {
      orThrow(maySeatBeMovedBy(current, by, seat));
      const held = current.seats[seat];
      const own = by === seat;
      signedOut = !own && held?.tokenHash ? held.tokenHash : null;
      const opened = openSeat(current, seat, { hash: hashSecret(inviteToken) }, code, now, this.timings, { keepDevice: own });
      if (!held?.tokenHash) return opened;
      return withHistory(opened, { kind: 'moveStarted', seat, name: held.displayName, by, via: null, at: now });
    });
    this.log.info({ roomId, seat, by, signedOut: signedOut !== null }, 'seat re-invited');
    if (signedOut) this.emit('seatRevoked', roomId, seat, signedOut, 'TOKEN_REVOKED');
    return { invite: this.inviteOffer(room, seat, inviteToken), code: this.codeOffer(room, seat) };
  }

  /**
   * A fresh code for a seat nobody holds, or, from the seat's own device, a fresh code to move
   * it; from whoever may move the seat (maySeatBeMovedBy).
   */
  async newCode(roomId: string, by: SeatId, seat: SeatId): Promise<CodeOffer> {
    const code = await this.unusedCode();
    const room = await this.update(roomId, (current, now) => {
      orThrow(maySeatBeMovedBy(current, by, seat));
      const held = Boolean(current.seats[seat]?.tokenHash);
      if (held && by !== seat) throw new AppError(ErrorCode.ROOM_FULL);
      return replaceCode(current, seat, code, now, this.timings, held);
    });
    return this.codeOffer(room, seat);
  }

  /** "This is not my partner" (roomModel.refuseJoin): the device is signed out, the seat opened again. */
  async refuseJoin(roomId: string, by: SeatId, seat: SeatId): Promise<{ invite: InviteOffer; code: CodeOffer }> {
    const inviteToken = newInviteToken();
    const code = await this.unusedCode();
    let refused = '';
    const room = await this.update(roomId, (current, now) => {
      const outcome = orThrow(refuseJoin(current, by, seat, { hash: hashSecret(inviteToken) }, code, now, this.timings));
      refused = outcome.refused;
      return outcome.room;
    });
    this.log.info({ roomId, seat, by }, 'join by code refused');
    this.emit('seatRevoked', roomId, seat, refused, 'JOIN_REFUSED');
    return { invite: this.inviteOffer(room, seat, inviteToken), code: this.codeOffer(room, seat) };
  }

  /** `by` is the seat that asked, for a deletion by a person; its name is read before the room goes. */
  async deleteRoom(roomId: string, reason: 'person' | 'expired', by?: SeatId): Promise<void> {
    const deleter = by ? { seat: by, name: (await this.rooms.get(roomId))?.seats[by]?.displayName ?? null } : null;
    await this.storage.deleteRoom(roomId);
    this.log.info({ roomId, reason }, 'room deleted');
    this.emit('deleted', roomId, deleter);
  }

  async getLiveRoom(roomId: string): Promise<RoomRecord> {
    const room = await this.rooms.get(roomId);
    if (!room) throw new AppError(ErrorCode.ROOM_NOT_FOUND);
    if (isExpired(room, this.clock.now(), this.timings)) {
      await this.deleteRoom(roomId, 'expired');
      throw new AppError(ErrorCode.ROOM_NOT_FOUND);
    }
    return room;
  }

  /** The room as the partners, or the counsellor, see it (roomModel.roomView: only the codes differ). */
  view(room: RoomRecord, presence: Partial<Record<SeatId, Presence>>, audience: 'partners' | 'counsellor', silence?: SeatSilence): RoomView {
    return roomView(room, presence, this.clock.now(), this.timings, audience, silence);
  }

  async sweepExpired(): Promise<number> {
    const ids = await this.rooms.listInactiveSince(this.clock.now() - this.timings.roomTtlMs);
    for (const id of ids) await this.deleteRoom(id, 'expired');
    return ids.length;
  }

  /** Read, change, compare-and-set; retried when another writer got there first. */
  async update(roomId: string, change: (room: RoomRecord, now: number) => RoomRecord): Promise<RoomRecord> {
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const current = await this.getLiveRoom(roomId);
      const updated = change(current, this.clock.now());
      if (await this.rooms.compareAndSet(updated)) return updated;
    }
    throw new AppError(ErrorCode.VERSION_CONFLICT);
  }

  private async roomForInvite(inviteToken: string): Promise<RoomRecord> {
    const roomId = await this.rooms.findByInviteHash(hashSecret(inviteToken));
    if (!roomId) throw new AppError(ErrorCode.INVITE_NOT_FOUND);
    const room = await this.rooms.get(roomId);
    if (!room) throw new AppError(ErrorCode.INVITE_NOT_FOUND);
    return room;
  }

  private async chargeWrongTry(code: string): Promise<void> {
    for (const near of nearbyCodes(code)) {
      const roomId = await this.rooms.findByCode(near);
      if (!roomId) continue;
      await this.update(roomId, (room) => countWrongTry(room, near)).catch(() => undefined);
    }
  }

  private async unusedCode(): Promise<string> {
    for (;;) {
      const code = newPairingCode();
      if (!(await this.rooms.findByCode(code))) return code;
    }
  }

  private inviteOffer(room: RoomRecord, seat: SeatId, token: string): InviteOffer {
    const invite = room.invites.find((i) => i.hash === hashSecret(token))!;
    return { seat, token, expiresAt: invite.expiresAt };
  }

  private codeOffer(room: RoomRecord, seat: SeatId): CodeOffer {
    const code = room.codes.find((c) => c.seat === seat && c.claimedAt === null)!;
    return { seat, code: code.code, expiresAt: code.expiresAt };
  }
}
