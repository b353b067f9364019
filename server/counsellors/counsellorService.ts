import { randomUUID } from 'node:crypto';
import type { AgreementCategory } from '../../shared/agreements';
import {
  formatRecoveryCode,
  normaliseRecoveryCode,
  type CounsellorCredentials,
  type CounsellorIdentity,
  type CounsellorRoomSummary,
  type CreatedModeratedRoom,
  type PackSuggestion,
  type PrivateLine,
  type PrivateLineChoiceId,
} from '../../shared/protocol/counsellors';
import { AppError, ErrorCode } from '../../shared/protocol/errors';
import { PARTNER_SEATS, type SeatId } from '../../shared/protocol/identity';
import type { Presence } from '../../shared/protocol/rooms';
import type { SessionState } from '../../shared/session/types';
import type { AgreementRecordsService } from '../agreements/agreementRecordsService';
import type { Logger } from '../logger';
import { occupySeat } from '../rooms/roomModel';
import type { RoomService } from '../rooms/roomService';
import type { SessionService } from '../sessions/sessionService';
import type { KeyValueStore, RoomLogName, RoomRecord, Storage } from '../storage/types';
import type { Clock } from '../util/clock';
import { KeyedMutex } from '../util/keyedMutex';
import { hashCounsellorKey, hashRecoveryCode, newCounsellorId, newCounsellorKey, newRecoveryCode } from './counsellorSecrets';

/** A counsellor as stored: hashes only, never the key or the recovery code. */
export interface CounsellorRecord {
  id: string;
  displayName: string;
  keyHash: string;
  recoveryHash: string;
  createdAt: number;
  /** when the workspace last moved to another device with the recovery code */
  movedAt: number | null;
  /**
   * when the workspace was last used (made, signed in to, recovered, or its seat taken in one of
   * its rooms), written at most hourly; records from before this field count from createdAt
   */
  lastUsedAt?: number;
}

/** What the counsellor keeps about one of their rooms; partners never see any of it. */
export interface CounsellorRoomRecord {
  counsellorId: string;
  label: string;
  createdAt: number;
  suggestion: PackSuggestion | null;
}

/**
 * Private lines live in a room log of their own: appends are atomic in every store (a Redis
 * stream, a LevelDB key range) and they are deleted with the room. The log's name is a kind of
 * RoomLogName apart from the sessions' `s<startedAt>`, so the two never meet.
 */
export const PRIVATE_LINES_LOG = 'counsellor-private-lines' satisfies RoomLogName;

const keys = {
  counsellor: (id: string) => `counsellor:${id}`,
  byKey: (keyHash: string) => `counsellor-key:${keyHash}`,
  byRecovery: (recoveryHash: string) => `counsellor-recovery:${recoveryHash}`,
  room: (roomId: string) => `counsellor-room:${roomId}`,
};

export type PresenceOf = (roomId: string) => Promise<Partial<Record<SeatId, Presence>>>;

export interface CounsellorServiceDeps {
  storage: Storage;
  rooms: RoomService;
  sessions: SessionService;
  agreementRecords: AgreementRecordsService;
  clock: Clock;
  log: Logger;
  /** a workspace unused this long expires with everything in it (COUNSELLOR_TTL_DAYS) */
  ttlMs?: number;
}

const DAY = 24 * 60 * 60 * 1000;
/** Use is written at most this often, so signing in many times a day does not rewrite the record each time. */
const TOUCH_EVERY_MS = 60 * 60 * 1000;

/**
 * Counsellor identities (a key and a recovery code, stored as hashes), their moderated rooms,
 * the private lines partners send them, and what they propose between sessions. Transport-free:
 * the realtime module decides who hears what.
 */
export class CounsellorService {
  private readonly records: KeyValueStore;
  private readonly lock = new KeyedMutex();

  constructor(private readonly deps: CounsellorServiceDeps) {
    this.records = deps.storage.records;
  }

  async register(displayName: string): Promise<{ counsellorId: string; credentials: CounsellorCredentials }> {
    const id = newCounsellorId();
    const key = newCounsellorKey();
    const recoveryCode = newRecoveryCode();
    const record: CounsellorRecord = {
      id,
      displayName,
      keyHash: hashCounsellorKey(key),
      recoveryHash: hashRecoveryCode(recoveryCode),
      createdAt: this.deps.clock.now(),
      movedAt: null,
      lastUsedAt: this.deps.clock.now(),
    };
    await this.records.put(keys.byKey(record.keyHash), { counsellorId: id });
    await this.records.put(keys.byRecovery(record.recoveryHash), { counsellorId: id });
    await this.records.put(keys.counsellor(id), record);
    this.deps.log.info({ counsellorId: id }, 'counsellor registered');
    return { counsellorId: id, credentials: { key, recoveryCode, counsellor: { displayName } } };
  }

  async signIn(key: string): Promise<{ counsellorId: string; counsellor: CounsellorIdentity; keyHash: string }> {
    const keyHash = hashCounsellorKey(key);
    const found = await this.records.get<{ counsellorId: string }>(keys.byKey(keyHash));
    const record = found && (await this.records.get<CounsellorRecord>(keys.counsellor(found.counsellorId)));
    if (!record || record.keyHash !== keyHash) throw new AppError(ErrorCode.COUNSELLOR_KEY_INVALID);
    await this.touch(record.id);
    return { counsellorId: record.id, counsellor: { displayName: record.displayName }, keyHash };
  }

  /**
   * Moves the workspace to this device: a new key and a new recovery code. The old key stops
   * working at once (its sockets are signed out by the caller, its room seats revoked) and the
   * recovery code is used up, so a code seen by someone else can be made worthless by using it.
   */
  async recover(recoveryCode: string): Promise<{
    counsellorId: string;
    credentials: CounsellorCredentials;
    oldKeyHash: string;
    rooms: string[];
  }> {
    const recoveryHash = hashRecoveryCode(normaliseRecoveryCode(recoveryCode));
    const found = await this.records.get<{ counsellorId: string }>(keys.byRecovery(recoveryHash));
    if (!found) throw new AppError(ErrorCode.RECOVERY_CODE_INVALID);
    return this.lock.run(found.counsellorId, async () => {
      const record = await this.records.get<CounsellorRecord>(keys.counsellor(found.counsellorId));
      if (!record || record.recoveryHash !== recoveryHash) throw new AppError(ErrorCode.RECOVERY_CODE_INVALID);
      const key = newCounsellorKey();
      const newCode = newRecoveryCode();
      const now = this.deps.clock.now();
      const next: CounsellorRecord = {
        ...record,
        keyHash: hashCounsellorKey(key),
        recoveryHash: hashRecoveryCode(newCode),
        movedAt: now,
        lastUsedAt: now,
      };
      // New lookups first, then the record (the truth), then the old lookups go.
      await this.records.put(keys.byKey(next.keyHash), { counsellorId: record.id });
      await this.records.put(keys.byRecovery(next.recoveryHash), { counsellorId: record.id });
      await this.records.put(keys.counsellor(record.id), next);
      await this.records.delete(keys.byKey(record.keyHash));
      await this.records.delete(keys.byRecovery(record.recoveryHash));
      const rooms = await this.deps.storage.rooms.listByCounsellor(record.id);
      for (const roomId of rooms) {
        await this.deps.rooms
          .update(roomId, (room) => moveCounsellorSeat(room, record.keyHash, next.keyHash))
          .catch((err: unknown) => {
            if (!(err instanceof AppError && err.code === ErrorCode.ROOM_NOT_FOUND)) throw err;
          });
      }
      this.deps.log.info({ counsellorId: record.id, rooms: rooms.length }, 'counsellor key moved to a new device');
      return {
        counsellorId: record.id,
        credentials: { key, recoveryCode: formatRecoveryCode(normaliseRecoveryCode(newCode)), counsellor: { displayName: record.displayName } },
        oldKeyHash: record.keyHash,
        rooms,
      };
    });
  }

  async createRoom(counsellorId: string, label: string): Promise<CreatedModeratedRoom> {
    const counsellor = await this.requireCounsellor(counsellorId);
    const created = await this.deps.rooms.createModeratedRoom(counsellorId);
    // The counsellor's seat is their key: room:join with it, from any device holding the key.
    await this.deps.rooms.update(created.roomId, (room, now) =>
      occupySeat(room, 'counsellor', counsellor.displayName, counsellor.keyHash, now),
    );
    const meta: CounsellorRoomRecord = { counsellorId, label, createdAt: this.deps.clock.now(), suggestion: null };
    await this.records.put(keys.room(created.roomId), meta);
    const summary = await this.summary(created.roomId, async () => ({}));
    return { room: summary!.room, invites: created.invites, codes: created.codes };
  }

  /** The room's counsellor record, if the counsellor owns the room; FORBIDDEN otherwise. */
  async requireOwned(counsellorId: string | null, roomId: string): Promise<CounsellorRoomRecord> {
    const meta = await this.records.get<CounsellorRoomRecord>(keys.room(roomId));
    if (!counsellorId || !meta || meta.counsellorId !== counsellorId) throw new AppError(ErrorCode.FORBIDDEN);
    const room = await this.deps.storage.rooms.get(roomId);
    if (!room || room.counsellorId !== counsellorId) throw new AppError(ErrorCode.FORBIDDEN);
    return meta;
  }

  async ownerOf(roomId: string): Promise<string | null> {
    return (await this.records.get<CounsellorRoomRecord>(keys.room(roomId)))?.counsellorId ?? null;
  }

  async listRooms(counsellorId: string, presenceOf: PresenceOf): Promise<CounsellorRoomSummary[]> {
    const ids = await this.deps.storage.rooms.listByCounsellor(counsellorId);
    const out: CounsellorRoomSummary[] = [];
    for (const roomId of ids) {
      const found = await this.summary(roomId, presenceOf).catch(() => null);
      if (found && found.counsellorId === counsellorId) out.push(found.room);
    }
    return out.sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Whether a room is a couple's or a counsellor's (fixed when it is made); null when there is no such room. */
  async modeOf(roomId: string): Promise<RoomRecord['mode'] | null> {
    return (await this.deps.storage.rooms.get(roomId))?.mode ?? null;
  }

  /** A room at a glance for its counsellor; null when it is not a counsellor's room (any more). */
  async summary(roomId: string, presenceOf: PresenceOf): Promise<{ counsellorId: string; room: CounsellorRoomSummary } | null> {
    const meta = await this.records.get<CounsellorRoomRecord>(keys.room(roomId));
    if (!meta) return null;
    const room = await this.deps.storage.rooms.get(roomId);
    if (!room || room.counsellorId !== meta.counsellorId) return null;
    const [presence, state, lines] = await Promise.all([
      presenceOf(roomId),
      this.deps.sessions.get(roomId),
      this.deps.storage.roomLogs.list(roomId, PRIVATE_LINES_LOG) as Promise<PrivateLine[]>,
    ]);
    return {
      counsellorId: meta.counsellorId,
      room: {
        roomId,
        label: meta.label,
        createdAt: meta.createdAt,
        partners: PARTNER_SEATS.map((seat) => ({
          seat,
          displayName: room.seats[seat]?.displayName ?? null,
          claimed: Boolean(room.seats[seat]?.tokenHash),
          presence: presence[seat] ?? 'gone',
        })),
        session: this.sessionStatus(state),
        suggestion: meta.suggestion,
        privateLines: { count: lines.length, lastAt: lines.at(-1)?.at ?? null },
      },
    };
  }

  async lines(roomId: string): Promise<PrivateLine[]> {
    return (await this.deps.storage.roomLogs.list(roomId, PRIVATE_LINES_LOG)) as PrivateLine[];
  }

  async sendPrivateLine(
    roomId: string,
    seat: SeatId,
    choice: PrivateLineChoiceId,
    text: string | undefined,
  ): Promise<{ counsellorId: string; line: PrivateLine }> {
    if (seat === 'counsellor') throw new AppError(ErrorCode.FORBIDDEN);
    const room = await this.deps.rooms.getLiveRoom(roomId);
    const meta = await this.records.get<CounsellorRoomRecord>(keys.room(roomId));
    // A couple's own room has no counsellor to write to.
    if (room.mode !== 'moderated' || !room.counsellorId || !meta) throw new AppError(ErrorCode.FORBIDDEN);
    const line: PrivateLine = {
      id: randomUUID(),
      roomId,
      from: seat,
      fromName: room.seats[seat]?.displayName ?? null,
      choice,
      text: text && text.length > 0 ? text : null,
      at: this.deps.clock.now(),
    };
    await this.deps.storage.roomLogs.append(roomId, PRIVATE_LINES_LOG, line);
    this.deps.log.info({ roomId, seat, choice, hasText: line.text !== null }, 'private line to the counsellor');
    return { counsellorId: meta.counsellorId, line };
  }

  /** Lands in the agreements document as proposed by the counsellor, for the partners to consider. */
  async proposeAgreement(
    roomId: string,
    input: { title: string; body?: string | undefined; category: AgreementCategory },
  ): Promise<string> {
    const room = await this.deps.rooms.getLiveRoom(roomId);
    const name = room.seats.counsellor?.displayName ?? 'Counsellor';
    const id = randomUUID();
    await this.deps.agreementRecords.addDrafts(roomId, 'counsellor-proposal', [
      { id, title: input.title, body: input.body ?? '', category: input.category, by: { seat: 'counsellor', name } },
    ]);
    return id;
  }

  async suggestPack(roomId: string, packId: string | null): Promise<PackSuggestion | null> {
    const pack = packId === null ? null : this.deps.sessions.packs.get(packId);
    if (packId !== null && !pack) throw new AppError(ErrorCode.PACK_NOT_FOUND);
    const suggestion: PackSuggestion | null = pack ? { packId: pack.id, packTitle: pack.title, at: this.deps.clock.now() } : null;
    await this.lock.run(`room:${roomId}`, async () => {
      const meta = await this.records.get<CounsellorRoomRecord>(keys.room(roomId));
      if (!meta) throw new AppError(ErrorCode.FORBIDDEN);
      await this.records.put(keys.room(roomId), { ...meta, suggestion });
    });
    return suggestion;
  }

  async suggestion(roomId: string): Promise<PackSuggestion | null> {
    return (await this.records.get<CounsellorRoomRecord>(keys.room(roomId)))?.suggestion ?? null;
  }

  /** The workspace is in use now: it does not expire for another `ttlMs`. */
  async touch(counsellorId: string): Promise<void> {
    const now = this.deps.clock.now();
    const seen = await this.records.get<CounsellorRecord>(keys.counsellor(counsellorId));
    if (!seen || now - lastUse(seen) < TOUCH_EVERY_MS) return;
    await this.lock.run(counsellorId, async () => {
      const record = await this.records.get<CounsellorRecord>(keys.counsellor(counsellorId));
      if (record) await this.records.put(keys.counsellor(counsellorId), { ...record, lastUsedAt: now });
    });
  }

  /**
   * Deletes every workspace unused for `ttlMs` whose rooms nobody has visited in that time either
   * (a couple still meeting in a counsellor's room keeps the workspace): its rooms with all they
   * hold, its key, its recovery code and its record. Returns how many went.
   */
  async sweepExpired(): Promise<number> {
    const cutoff = this.deps.clock.now() - (this.deps.ttlMs ?? 30 * DAY);
    let expired = 0;
    for (const key of await this.records.keys(keys.counsellor(''))) {
      const seen = await this.records.get<CounsellorRecord>(key);
      if (!seen || lastUse(seen) >= cutoff) continue;
      const rooms = await this.deps.storage.rooms.listByCounsellor(seen.id);
      const records = await Promise.all(rooms.map((roomId) => this.deps.storage.rooms.get(roomId)));
      if (records.some((room) => room !== null && room.lastActiveAt >= cutoff)) continue;
      const gone = await this.lock.run(seen.id, async () => {
        // Used (or recovered) since it was read: it stays.
        const record = await this.records.get<CounsellorRecord>(key);
        if (!record || lastUse(record) >= cutoff) return false;
        for (const roomId of rooms) await this.deps.rooms.deleteRoom(roomId, 'expired');
        await this.records.delete(keys.byKey(record.keyHash));
        await this.records.delete(keys.byRecovery(record.recoveryHash));
        await this.records.delete(key);
        return true;
      });
      if (gone) {
        expired++;
        this.deps.log.info({ counsellorId: seen.id, rooms: rooms.length }, 'counsellor workspace expired');
      }
    }
    return expired;
  }

  /** The room is gone: forget what the counsellor kept about it. Returns who owned it. */
  async forgetRoom(roomId: string): Promise<string | null> {
    const meta = await this.records.get<CounsellorRoomRecord>(keys.room(roomId));
    if (!meta) return null;
    await this.records.delete(keys.room(roomId));
    return meta.counsellorId;
  }

  private async requireCounsellor(counsellorId: string): Promise<CounsellorRecord> {
    const record = await this.records.get<CounsellorRecord>(keys.counsellor(counsellorId));
    if (!record) throw new AppError(ErrorCode.COUNSELLOR_KEY_INVALID);
    return record;
  }

  private sessionStatus(state: SessionState): CounsellorRoomSummary['session'] {
    const paused = state.phase === 'paused';
    const inner = state.phase === 'paused' ? state.resumeTo : state;
    const packId = inner.phase === 'proposed' || inner.phase === 'active' ? inner.packId : inner.phase === 'ended' ? inner.summary.packId : null;
    const pack = packId ? this.deps.sessions.packs.get(packId) : undefined;
    const active = inner.phase === 'active' ? inner : null;
    return {
      phase: state.phase,
      packId,
      packTitle: pack?.title ?? null,
      stepNumber: active ? active.stepIndex + 1 : null,
      stepCount: active ? active.stepCount : null,
      stepTitle: active ? (pack?.steps[active.stepIndex]?.title ?? null) : null,
      pausedUntil: paused ? state.pause.until : null,
    };
  }
}

/** The counsellor seat follows the key: the old key's hash is kept only to say why it was refused. */
function moveCounsellorSeat(room: RoomRecord, oldHash: string, newHash: string): RoomRecord {
  const seat = room.seats.counsellor;
  if (!seat || seat.tokenHash !== oldHash) return { ...room, version: room.version + 1 };
  return {
    ...room,
    version: room.version + 1,
    seats: {
      ...room.seats,
      counsellor: { ...seat, tokenHash: newHash, revokedTokenHashes: [oldHash, ...seat.revokedTokenHashes].slice(0, 5) },
    },
  };
}

function lastUse(record: CounsellorRecord): number {
  return Math.max(record.lastUsedAt ?? record.createdAt, record.movedAt ?? 0);
}
