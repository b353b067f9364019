import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type * as Y from 'yjs';
import { hasLegacyParts, recordsFromLegacy, splitStoredVersions, stripLegacyParts, type SplitRecords } from '../../shared/agreements/legacy';
import { addAgreement, dayOf, findAgreement, readDraft, readDrafts, type NewAgreement } from '../../shared/agreements/model';
import { dueReviews, type DueReview } from '../../shared/agreements/reviews';
import {
  acceptAgreement,
  addVersion,
  clearReview,
  emptyRecords,
  recordProvenance,
  requestReview,
  snapshotVersion,
  summaryOf,
  withdrawAgreement,
} from '../../shared/agreements/records';
import type { AcceptanceRecord, AgreementRecordsView, Commitment, VersionRecord, VersionSummary } from '../../shared/protocol/agreements';
import { AppError, ErrorCode } from '../../shared/protocol/errors';
import type { SeatId } from '../../shared/protocol/identity';
import type { RoomDocuments } from '../documents/roomDocuments';
import type { Logger } from '../logger';
import type { RoomEntryStore, TurnStore } from '../storage/types';
import type { Clock } from '../util/clock';
import { KeyedMutex } from '../util/keyedMutex';

const DOC = 'agreements';
/** Rooms known to be past their one conversion from the old layout, at most (least recently used forgotten). */
const MAX_KNOWN_READY = 10_000;

export interface Author {
  seat: SeatId;
  name: string;
}

export interface AgreementRecordsDeps {
  store: TurnStore;
  /** the versions' snapshots, by version id (the record holds their summaries) */
  versions: RoomEntryStore;
  documents: RoomDocuments;
  clock: Clock;
  log: Logger;
  /** called with the room's records after every change that was stored (to send them to the room): small, no snapshots */
  publish: (roomId: string, records: AgreementRecordsView) => void;
  /** compare-and-set attempts before giving up with VERSION_CONFLICT (another node racing) */
  maxAttempts?: number;
  newId?: () => string;
}

export interface NewDraft extends NewAgreement {
  id: string;
  by: Author;
  /** a guided session's proposal: when that session started (now, if not known) */
  fromSession?: { startedAt?: number };
}

/**
 * The agreements record of each room (shared/agreements/records.ts holds its rules). Every
 * command runs one at a time per room on this node, reads the server's own copy of the
 * agreements document (opened through RoomDocuments, released after) and stores the new
 * record with compare-and-set, so a command on another node at the same moment is applied
 * after it rather than over it. The seat and the time always come from the caller on the
 * server side (the socket and the clock), never from a payload. The snapshots of saved versions
 * are stored apart from the record, under their ids: only `version:save` writes one and
 * `version:get` reads one, so no other command's cost grows with what the versions hold.
 */
export class AgreementRecordsService {
  private readonly lock = new KeyedMutex();
  private readonly ready = new LRUCache<string, true>({ max: MAX_KNOWN_READY });
  private readonly maxAttempts: number;
  private readonly newId: () => string;

  constructor(private readonly deps: AgreementRecordsDeps) {
    this.maxAttempts = deps.maxAttempts ?? 25;
    this.newId = deps.newId ?? randomUUID;
  }

  /** The room's records, after converting a document of the old layout if this is its first load. */
  get(roomId: string): Promise<AgreementRecordsView> {
    return this.lock.run(roomId, async () => {
      await this.prepare(roomId);
      return (await this.deps.store.get<AgreementRecordsView>(roomId))?.state ?? emptyRecords();
    });
  }

  /**
   * [RV1–RV3] The agreements whose review day has come, by the date of the server's clock (its
   * own zone): what the room's first screen names. Read from the server's copy of the drafts.
   */
  dueReviews(roomId: string): Promise<DueReview[]> {
    return this.lock.run(roomId, async () => {
      await this.prepare(roomId);
      const records = (await this.deps.store.get<AgreementRecordsView>(roomId))?.state ?? emptyRecords();
      const handle = await this.deps.documents.open(roomId, DOC);
      try {
        return dueReviews(readDrafts(handle.doc), records, dayOf(this.deps.clock.now()));
      } finally {
        await handle.release();
      }
    });
  }

  /** Adds drafts the server writes (a proposal, a guided session's, a counsellor's) and records who proposed them. */
  addDrafts(roomId: string, reason: string, drafts: readonly NewDraft[]): Promise<{ added: string[]; alreadyThere: string[] }> {
    return this.command(roomId, async (doc) => {
      const added: string[] = [];
      const alreadyThere: string[] = [];
      const fresh = drafts.filter((d) => (findAgreement(doc, d.id) ? (alreadyThere.push(d.id), false) : true));
      if (fresh.length > 0) {
        await this.deps.documents.applyServerChange(roomId, DOC, reason, (copy) => {
          for (const { by: _by, fromSession: _from, ...draft } of fresh) {
            if (findAgreement(copy, draft.id)) alreadyThere.push(draft.id);
            else added.push(addAgreement(copy, draft));
          }
        });
      }
      const now = this.deps.clock.now();
      const wanted = new Set(added);
      return {
        result: { added, alreadyThere },
        change: (records) =>
          fresh
            .filter((d) => wanted.has(d.id))
            .reduce(
              (next, d) =>
                recordProvenance(next, {
                  agreementId: d.id,
                  seat: d.by.seat,
                  name: d.by.name,
                  at: now,
                  ...(d.fromSession ? { session: { startedAt: d.fromSession.startedAt ?? now } } : {}),
                }),
              records,
            ),
      };
    });
  }

  accept(roomId: string, seat: SeatId, agreementId: string): Promise<{ acceptance: AcceptanceRecord; commitment: Commitment | null }> {
    return this.command(roomId, async (doc) => {
      const draft = readDraft(doc, agreementId);
      const now = this.deps.clock.now();
      let outcome: { acceptance: AcceptanceRecord; commitment: Commitment | null } | null = null;
      return {
        change: (records) => {
          const applied = acceptAgreement(records, { agreementId, seat, draft, now, commitmentId: this.newId() });
          outcome = { acceptance: applied.acceptance, commitment: applied.commitment };
          return applied.records;
        },
        result: () => outcome!,
      };
    });
  }

  withdraw(roomId: string, seat: SeatId, agreementId: string): Promise<{ ended: boolean }> {
    return this.command(roomId, async (doc) => {
      const draftExists = findAgreement(doc, agreementId) !== null;
      const now = this.deps.clock.now();
      let ended = false;
      return {
        change: (records) => {
          const applied = withdrawAgreement(records, { agreementId, seat, draftExists, now });
          ended = applied.ended;
          return applied.records;
        },
        result: () => ({ ended }),
      };
    });
  }

  requestReview(roomId: string, seat: SeatId, agreementId: string): Promise<object> {
    return this.command(roomId, async (doc) => {
      const draftExists = findAgreement(doc, agreementId) !== null;
      const now = this.deps.clock.now();
      return { change: (records) => requestReview(records, { agreementId, seat, draftExists, now }), result: {} };
    });
  }

  clearReview(roomId: string, agreementId: string): Promise<object> {
    return this.command(roomId, async (doc) => {
      const draftExists = findAgreement(doc, agreementId) !== null;
      return { change: (records) => clearReview(records, { agreementId, draftExists }), result: {} };
    });
  }

  /**
   * Stores the snapshot under its own id before the record takes its summary, so a summary on
   * the record always has its snapshot; the snapshots of versions no longer kept go after.
   */
  saveVersion(roomId: string, by: Author, name: string): Promise<{ version: VersionSummary }> {
    return this.command(roomId, async (doc) => {
      const drafts = readDrafts(doc);
      const at = this.deps.clock.now();
      const id = this.newId();
      let version: VersionRecord | null = null;
      let dropped: string[] = [];
      return {
        change: (records) => {
          version = snapshotVersion(records, { id, name, at, by, drafts });
          const added = addVersion(records, summaryOf(version));
          dropped = added.dropped;
          return added.records;
        },
        before: () => this.deps.versions.put(roomId, id, version!),
        after: () => this.deps.versions.delete(roomId, dropped),
        undo: () => this.deps.versions.delete(roomId, [id]),
        result: () => ({ version: summaryOf(version!) }),
      };
    });
  }

  /** One saved version's snapshot; VERSION_NOT_FOUND for an id the record no longer lists. */
  getVersion(roomId: string, versionId: string): Promise<{ version: VersionRecord }> {
    return this.lock.run(roomId, async () => {
      await this.prepare(roomId);
      const records = (await this.deps.store.get<AgreementRecordsView>(roomId))?.state;
      const listed = records?.versions.some((v) => v.id === versionId) ?? false;
      const version = listed ? await this.deps.versions.get<VersionRecord>(roomId, versionId) : null;
      if (!version) throw new AppError(ErrorCode.VERSION_NOT_FOUND);
      return { version };
    });
  }

  /** The room was deleted: its record goes with Storage.deleteRoom; forget what is known here. */
  forgetRoom(roomId: string): void {
    this.ready.delete(roomId);
  }

  /**
   * Runs `plan` on the server's copy of the document, then applies its change to the stored
   * record with compare-and-set (again on a fresh read if another node wrote meanwhile) and
   * publishes the result. A change that returns the record it was given stores nothing.
   * `before` runs after each change is computed and before its record is stored, `after` once
   * it is, `undo` if it never is.
   */
  private command<R extends object>(roomId: string, plan: (doc: Y.Doc) => Promise<Plan<R>>): Promise<R> {
    return this.lock.run(roomId, async () => {
      await this.prepare(roomId);
      const handle = await this.deps.documents.open(roomId, DOC);
      try {
        const { result, ...steps } = await plan(handle.doc);
        await this.store(roomId, steps);
        return typeof result === 'function' ? result() : result;
      } finally {
        await handle.release();
      }
    });
  }

  private async store(roomId: string, { change, before, after, undo }: Omit<Plan<object>, 'result'>): Promise<void> {
    let stored = false;
    try {
      stored = await this.storeChange(roomId, change, before);
    } finally {
      if (!stored) await undo?.().catch(() => undefined);
    }
    await after?.();
  }

  /** false: nothing to store; throws VERSION_CONFLICT when other writers won every attempt. */
  private async storeChange(roomId: string, change: Plan<object>['change'], before: Plan<object>['before']): Promise<boolean> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const stored = await this.deps.store.get<AgreementRecordsView>(roomId);
      const current = stored?.state ?? emptyRecords();
      const next = change(current);
      if (next === current && stored) return false;
      await before?.();
      const version = stored?.version ?? 0;
      if (await this.deps.store.compareAndSet(roomId, version, { version: version + 1, state: next })) {
        this.deps.publish(roomId, next);
        return true;
      }
    }
    throw new AppError(ErrorCode.VERSION_CONFLICT);
  }

  /**
   * Once per room: a room with no record yet gets one, converted from the old layout's parts of
   * its stored document if it has them; those parts are then removed from the document. A room
   * with a record is past this, so anything of the old layout a device writes later is never
   * read. Runs before a joining socket's first message is handled (the room module awaits
   * onJoin), so no device can slip parts of the old layout in ahead of the conversion.
   */
  private async prepare(roomId: string): Promise<void> {
    if (this.ready.has(roomId)) return;
    const existing = await this.deps.store.get<AgreementRecordsView>(roomId);
    if (existing) {
      if (await this.moveStoredVersions(roomId, existing.version, existing.state)) this.ready.set(roomId, true);
      return;
    }
    const handle = await this.deps.documents.open(roomId, DOC);
    try {
      const legacy = hasLegacyParts(handle.doc);
      const converted: SplitRecords = legacy ? recordsFromLegacy(handle.doc, readDrafts(handle.doc), this.newId) : { records: emptyRecords(), versions: [] };
      // Legacy ids are the document's: another node converting at the same moment writes the same snapshots.
      for (const version of converted.versions) await this.deps.versions.put(roomId, version.id, version);
      const stored = await this.deps.store.compareAndSet(roomId, 0, { version: 1, state: converted.records });
      if (stored && legacy) {
        await this.deps.documents.applyServerChange(roomId, DOC, 'legacy-records', stripLegacyParts);
        const { records } = converted;
        this.deps.log.info(
          { roomId, commitments: records.commitments.length, acceptances: records.acceptances.length, versions: records.versions.length },
          'agreements converted to records',
        );
      }
      this.ready.set(roomId, true);
    } finally {
      await handle.release();
    }
  }

  /** A record stored with whole snapshots in it (before they were kept apart): they move out, once. */
  private async moveStoredVersions(roomId: string, version: number, state: AgreementRecordsView): Promise<boolean> {
    const split = splitStoredVersions(state);
    if (!split) return true;
    for (const snapshot of split.versions) await this.deps.versions.put(roomId, snapshot.id, snapshot);
    // Lost to another node's write: false, and the next command in the room tries again on what it stored.
    if (!(await this.deps.store.compareAndSet(roomId, version, { version: version + 1, state: split.records }))) return false;
    this.deps.log.info({ roomId, versions: split.versions.length }, 'agreement versions moved out of the record');
    return true;
  }
}

interface Plan<R> {
  change: (records: AgreementRecordsView) => AgreementRecordsView;
  before?: () => Promise<void>;
  after?: () => Promise<void>;
  undo?: () => Promise<void>;
  result: R | (() => R);
}
