import type { PartnerSeat, SeatId } from '../../shared/protocol/identity';
import type { RoomHistoryEntry, RoomMode } from '../../shared/protocol/rooms';

/**
 * Storage seams. Every implementation (embedded LevelDB, Redis) passes the same contract
 * suite in test/contracts/, so the services above never know which one they talk to.
 */

export interface SeatRecord {
  displayName: string;
  /** sha256 of the device token, hex; the token itself is never stored. null: seat reserved, not yet claimed. */
  tokenHash: string | null;
  claimedAt: number | null;
  groundRulesAcceptedAt: number | null;
  /** hashes of tokens this seat was moved away from, so an old device hears why it was signed out */
  revokedTokenHashes: string[];
}

export interface InviteRecord {
  /** sha256 of the invite token, hex */
  hash: string;
  seat: SeatId;
  createdAt: number;
  expiresAt: number;
  claimedAt: number | null;
  /** set when a newer invite for the same seat replaced this one */
  revokedAt: number | null;
  /** made by the seat's own device to move it ("move to a new phone"): it opens a seat still held */
  move?: boolean;
}

export interface PairingCodeRecord {
  code: string;
  seat: SeatId;
  expiresAt: number;
  wrongTries: number;
  /** kept after use until it expires, so a third person typing it hears the room is full */
  claimedAt: number | null;
  /** made by the seat's own device to move it: it opens a seat still held */
  move?: boolean;
}

export interface RoomRecord {
  id: string;
  mode: RoomMode;
  /** grows by one with every stored change; the compare-and-set key */
  version: number;
  createdAt: number;
  lastActiveAt: number;
  /** null unless the room was created by a counsellor */
  counsellorId: string | null;
  seats: Partial<Record<SeatId, SeatRecord>>;
  invites: InviteRecord[];
  /** at most one unused code per seat, plus used ones until they expire */
  codes: PairingCodeRecord[];
  /** joins, seat moves and refused joins, newest last, bounded (rooms stored before it have none) */
  history?: RoomHistoryEntry[];
  /** hashes of device tokens whose join by code was refused ("This is not my partner") */
  refusedTokenHashes?: string[];
}

export interface RoomStore {
  /** Fails if the id exists. */
  create(room: RoomRecord): Promise<void>;
  get(roomId: string): Promise<RoomRecord | null>;
  /**
   * Stores `next` only if the stored version is still `next.version - 1`.
   * Also keeps the lookup indexes (invite hashes, live pairing code, counsellor) in step.
   */
  compareAndSet(next: RoomRecord): Promise<boolean>;
  findByInviteHash(hash: string): Promise<string | null>;
  findByCode(code: string): Promise<string | null>;
  listByCounsellor(counsellorId: string): Promise<string[]>;
  /** Rooms whose lastActiveAt is older than the cutoff. */
  listInactiveSince(cutoff: number): Promise<string[]>;
  delete(roomId: string): Promise<void>;
}

/** The Yjs update log of one document of a room. */
export interface DocStore {
  /**
   * Resolves once the update is durable. Returns the log length after appending. Appends to a
   * document land in the order they were called, even when the caller does not wait for one
   * before making the next.
   */
  append(roomId: string, docName: string, update: Uint8Array): Promise<number>;
  load(roomId: string, docName: string): Promise<Uint8Array[]>;
  /**
   * Reads the log, hands it to `merge` (which returns one update equivalent to all of them) and
   * puts the merged update in place of exactly the updates it was given, leaving anything
   * appended meanwhile after it. If the log was compacted by anyone else between the read and
   * the swap (another node, or the same command sent again after a reconnect), nothing is
   * swapped: replacing a count of updates read earlier would drop updates the merge never saw.
   * Resolves with the number of updates replaced (0: nothing to do, or compacted meanwhile).
   */
  compact(roomId: string, docName: string, merge: (updates: Uint8Array[]) => Uint8Array | Promise<Uint8Array>): Promise<number>;
  deleteRoom(roomId: string): Promise<void>;
  /**
   * The document was unloaded: nothing more is appended to it until it is loaded again. The
   * store may drop what it keeps in memory for it (the next append reads it again), so a
   * long-running server does not remember every document it ever wrote.
   */
  release(roomId: string, docName: string): Promise<void>;
}

export interface VersionedState<T> {
  version: number;
  state: T;
}

/** The guided-session state of a room, one snapshot with a version. */
export interface TurnStore {
  get<T>(roomId: string): Promise<VersionedState<T> | null>;
  /** Stores `next` only if the stored version is `expectedVersion` (0: nothing stored yet). */
  compareAndSet<T>(roomId: string, expectedVersion: number, next: VersionedState<T>): Promise<boolean>;
  deleteRoom(roomId: string): Promise<void>;
}

/**
 * Values a room keeps each under an id of its own (the snapshots of saved agreement versions):
 * every call reads or writes the entries it names and no others, so the cost of one does not
 * grow with how many the room holds.
 */
export interface RoomEntryStore {
  /** Stores or replaces the entry. A write to a room deleted lately is refused with ROOM_NOT_FOUND. */
  put<T>(roomId: string, id: string, value: T): Promise<void>;
  get<T>(roomId: string, id: string): Promise<T | null>;
  /** Ids with no entry are skipped. */
  delete(roomId: string, ids: readonly string[]): Promise<void>;
  deleteRoom(roomId: string): Promise<void>;
}

/** A written session's log of turns: named by the session's id, `s<startedAt>`. */
export type SessionLogName = `s${number}`;

/**
 * The name of one of a room's logs. Each kind has a shape of its own, so two kinds never
 * share a log, whatever the ids:
 * - `s<startedAt>`: a written session's turns (server/sessions/sessionService.ts), read by both
 *   partners and the counsellor as the session's transcript, deleted unless both keep it;
 * - `counsellor-private-lines`: the counsellor's private lines (server/counsellors/counsellorService.ts),
 *   read by the counsellor only;
 * - `afterwards-s<startedAt>-A` (or `-B`): one partner's private answers after a session
 *   (sessionService.ts), read by that partner only.
 */
export type RoomLogName = SessionLogName | 'counsellor-private-lines' | `afterwards-${SessionLogName}-${PartnerSeat}`;

/** A room's append-only logs, each kept in append order. */
export interface RoomLogStore {
  append(roomId: string, log: RoomLogName, entry: unknown): Promise<void>;
  list(roomId: string, log: RoomLogName): Promise<unknown[]>;
  deleteLog(roomId: string, log: RoomLogName): Promise<void>;
  deleteRoom(roomId: string): Promise<void>;
}

/** Small keyed records that belong to no room (counsellor identities). */
export interface KeyValueStore {
  get<T>(key: string): Promise<T | null>;
  put<T>(key: string, value: T): Promise<void>;
  /**
   * Stores `value` only if nothing is stored under `key` yet, atomically across every node that
   * shares the store (first writer wins). true: this call stored it; false: a value was there.
   */
  putIfAbsent<T>(key: string, value: T): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Every key that starts with `prefix`, in no particular order: for hourly sweeps, never per message. */
  keys(prefix: string): Promise<string[]>;
}

export interface Storage {
  readonly kind: 'level' | 'redis';
  rooms: RoomStore;
  docs: DocStore;
  turns: TurnStore;
  /**
   * The agreements record of a room (shared/protocol/agreements.ts AgreementRecordsView): the
   * facts no device may forge, one snapshot with a version, the same shape as the turn state.
   */
  agreementRecords: TurnStore;
  /**
   * The snapshots of a room's saved agreement versions (VersionRecord), by version id, apart
   * from the record (which holds their summaries), so a command on the record never reads or
   * writes them.
   */
  agreementVersions: RoomEntryStore;
  /**
   * A room's check-ins between sessions (shared/checkIns/model.ts CheckInState): rhythms,
   * answers, small steps and counsellor consent, one snapshot with a version written with
   * compare-and-set, the same shape as the turn state.
   */
  checkIns: TurnStore;
  /** A room's append-only logs: written turns, the counsellor's private lines, after-session answers (RoomLogName). */
  roomLogs: RoomLogStore;
  records: KeyValueStore;
  /** Removes everything any store holds for the room. */
  deleteRoom(roomId: string): Promise<void>;
  close(): Promise<void>;
}
