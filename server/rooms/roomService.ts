import { EventEmitter } from 'node:events';
import { AppError, ErrorCode } from '../../shared/protocol/errors';
import type {
  CodeOffer,
  CreateRoomResponse,
  InviteInfo,
  InviteOffer,
  Presence,
  RoomView,
  SeatCredentials,
} from '../../shared/protocol/rooms';
import type { Logger } from '../logger';
import type { RoomRecord, RoomStore, SeatId, Storage } from '../storage/types';
import type { Clock } from '../util/clock';
import {
  checkInvite,
  countWrongTry,
  findLiveCode,
  isExpired,
  nearbyCodes,
  newRoomRecord,
  occupySeat,
  openSeat,
  replaceCode,
  roomView,
  seatForToken,
  type RoomTimings,
} from './roomModel';
import { hashSecret, newDeviceToken, newInviteToken, newPairingCode, newRoomId } from './secrets';

/** Activity is written at most this often, so a busy room does not rewrite its record all day. */
const TOUCH_EVERY_MS = 60 * 60 * 1000;
const CAS_ATTEMPTS = 8;

export interface RoomServiceEvents {
  /** A room is gone (deleted by a person, or expired): drop everything held for it. */
  deleted: [roomId: string];
  /** A seat moved to another device: sign the old device out. */
  seatRevoked: [roomId: string, seat: SeatId];
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
    for (const seat of ['A', 'B'] as const) {
      tokens[seat] = newInviteToken();
      room = openSeat(room, seat, { hash: hashSecret(tokens[seat]) }, await this.unusedCode(), now, this.timings);
    }
    await this.rooms.create(room);
    this.log.info({ roomId: id, mode: 'moderated' }, 'room created');
    return {
      roomId: id,
      invites: (['A', 'B'] as const).map((seat) => this.inviteOffer(room, seat, tokens[seat]!)),
      codes: (['A', 'B'] as const).map((seat) => this.codeOffer(room, seat)),
    };
  }

  async inspectInvite(inviteToken: string): Promise<InviteInfo> {
    const room = await this.roomForInvite(inviteToken);
    const checked = checkInvite(room, hashSecret(inviteToken), this.clock.now());
    if (!checked.ok) throw new AppError(checked.code);
    const inviter = checked.value.seat === 'A' ? room.seats.B : room.seats.A;
    return {
      seat: checked.value.seat,
      mode: room.mode,
      invitedBy: inviter?.displayName ?? null,
      hasCounsellor: room.mode === 'moderated',
    };
  }

  async claimInvite(inviteToken: string, displayName: string): Promise<SeatCredentials> {
    const hash = hashSecret(inviteToken);
    const roomId = (await this.roomForInvite(inviteToken)).id;
    const deviceToken = newDeviceToken();
    const room = await this.update(roomId, (current, now) => {
      const checked = checkInvite(current, hash, now);
      if (!checked.ok) throw new AppError(checked.code);
      return occupySeat(current, checked.value.seat, displayName, hashSecret(deviceToken), now);
    });
    const seat = room.invites.find((i) => i.hash === hash)!.seat;
    this.log.info({ roomId, seat, via: 'invite' }, 'seat claimed');
    return { roomId, seat, deviceToken };
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
    const deviceToken = newDeviceToken();
    let seat: SeatId | null = null;
    await this.update(roomId, (current, now) => {
      const found = findLiveCode(current, code, now);
      if (!found.ok) throw new AppError(found.code);
      seat = found.value.seat;
      return occupySeat(current, found.value.seat, displayName, hashSecret(deviceToken), now);
    });
    this.log.info({ roomId, seat, via: 'code' }, 'seat claimed');
    return { roomId, seat: seat!, deviceToken };
  }

  /** Checks a device token and returns its seat; refreshes the room's activity now and then. */
  async authenticate(roomId: string, deviceToken: string): Promise<{ room: RoomRecord; seat: SeatId }> {
    const room = await this.getLiveRoom(roomId);
    const checked = seatForToken(room, hashSecret(deviceToken));
    if (!checked.ok) throw new AppError(checked.code);
    const now = this.clock.now();
    if (now - room.lastActiveAt > TOUCH_EVERY_MS) {
      const touched = await this.update(roomId, (current) => ({ ...current, version: current.version + 1, lastActiveAt: now }));
      return { room: touched, seat: checked.seat };
    }
    return { room, seat: checked.seat };
  }

  /**
   * A new invite and code for a seat. If someone held it, their device is signed out: this is
   * how a partner who changed phone gets back in.
   */
  async reinvite(roomId: string, by: SeatId, seat: SeatId): Promise<{ invite: InviteOffer; code: CodeOffer }> {
    if (seat === 'counsellor' || (by !== 'counsellor' && by === seat)) throw new AppError(ErrorCode.FORBIDDEN);
    const inviteToken = newInviteToken();
    const code = await this.unusedCode();
    let wasHeld = false;
    const room = await this.update(roomId, (current, now) => {
      wasHeld = Boolean(current.seats[seat]?.tokenHash);
      return openSeat(current, seat, { hash: hashSecret(inviteToken) }, code, now, this.timings);
    });
    this.log.info({ roomId, seat, by, signedOut: wasHeld }, 'seat re-invited');
    if (wasHeld) this.emit('seatRevoked', roomId, seat);
    return { invite: this.inviteOffer(room, seat, inviteToken), code: this.codeOffer(room, seat) };
  }

  async newCode(roomId: string, seat: SeatId): Promise<CodeOffer> {
    const code = await this.unusedCode();
    const room = await this.update(roomId, (current, now) => {
      if (current.seats[seat]?.tokenHash || seat === 'counsellor') throw new AppError(ErrorCode.ROOM_FULL);
      return replaceCode(current, seat, code, now, this.timings);
    });
    return this.codeOffer(room, seat);
  }

  async deleteRoom(roomId: string, reason: 'person' | 'expired'): Promise<void> {
    await this.storage.deleteRoom(roomId);
    this.log.info({ roomId, reason }, 'room deleted');
    this.emit('deleted', roomId);
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

  view(room: RoomRecord, presence: Partial<Record<SeatId, Presence>>): RoomView {
    return roomView(room, presence, this.clock.now(), this.timings);
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
