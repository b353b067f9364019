import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type * as Y from 'yjs';
import { hasLegacyParts, recordsFromLegacy, stripLegacyParts } from '../../shared/agreements/legacy';
import { addAgreement, findAgreement, readDraft, readDrafts, type NewAgreement } from '../../shared/agreements/model';
import {
  acceptAgreement,
  addVersion,
  clearReview,
  emptyRecords,
  recordProvenance,
  requestReview,
  snapshotVersion,
  withdrawAgreement,
} from '../../shared/agreements/records';
import type { AcceptanceRecord, AgreementRecordsView, Commitment, VersionRecord } from '../../shared/protocol/agreements';
import { AppError, ErrorCode } from '../../shared/protocol/errors';
import type { SeatId } from '../../shared/protocol/rooms';
import type { RoomDocuments } from '../documents/roomDocuments';
import type { Logger } from '../logger';
import type { TurnStore } from '../storage/types';
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
  documents: RoomDocuments;
  clock: Clock;
  log: Logger;
  /** called with the room's records after every change that was stored (to send them to the room) */
  publish: (roomId: string, records: AgreementRecordsView) => void;
  /** compare-and-set attempts before giving up with VERSION_CONFLICT (another node racing) */
  maxAttempts?: number;
  newId?: () => string;
}

export interface NewDraft extends NewAgreement {
  id: string;
  by: Author;
}

/**
 * The agreements record of each room (shared/agreements/records.ts holds its rules). Every
 * command runs one at a time per room on this node, reads the server's own copy of the
 * agreements document (opened through RoomDocuments, released after) and stores the new
 * record with compare-and-set, so a command on another node at the same moment is applied
 * after it rather than over it. The seat and the time always come from the caller on the
 * server side (the socket and the clock), never from a payload.
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

  /** Adds drafts the server writes (a proposal, a guided session's, a counsellor's) and records who proposed them. */
  addDrafts(roomId: string, reason: string, drafts: readonly NewDraft[]): Promise<{ added: string[]; alreadyThere: string[] }> {
    return this.command(roomId, async (doc) => {
      const added: string[] = [];
      const alreadyThere: string[] = [];
      const fresh = drafts.filter((d) => (findAgreement(doc, d.id) ? (alreadyThere.push(d.id), false) : true));
      if (fresh.length > 0) {
        await this.deps.documents.applyServerChange(roomId, DOC, reason, (copy) => {
          for (const { by: _by, ...draft } of fresh) {
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
          fresh.filter((d) => wanted.has(d.id)).reduce((next, d) => recordProvenance(next, { agreementId: d.id, seat: d.by.seat, name: d.by.name, at: now }), records),
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

  saveVersion(roomId: string, by: Author, name: string): Promise<{ version: VersionRecord }> {
    return this.command(roomId, async (doc) => {
      const drafts = readDrafts(doc);
      const at = this.deps.clock.now();
      const id = this.newId();
      let version: VersionRecord | null = null;
      return {
        change: (records) => {
          version = snapshotVersion(records, { id, name, at, by, drafts });
          return addVersion(records, version);
        },
        result: () => ({ version: version! }),
      };
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
   */
  private command<R extends object>(
    roomId: string,
    plan: (doc: Y.Doc) => Promise<{ change: (records: AgreementRecordsView) => AgreementRecordsView; result: R | (() => R) }>,
  ): Promise<R> {
    return this.lock.run(roomId, async () => {
      await this.prepare(roomId);
      const handle = await this.deps.documents.open(roomId, DOC);
      try {
        const { change, result } = await plan(handle.doc);
        await this.store(roomId, change);
        return typeof result === 'function' ? result() : result;
      } finally {
        await handle.release();
      }
    });
  }

  private async store(roomId: string, change: (records: AgreementRecordsView) => AgreementRecordsView): Promise<void> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const stored = await this.deps.store.get<AgreementRecordsView>(roomId);
      const current = stored?.state ?? emptyRecords();
      const next = change(current);
      if (next === current && stored) return;
      const version = stored?.version ?? 0;
      if (await this.deps.store.compareAndSet(roomId, version, { version: version + 1, state: next })) {
        this.deps.publish(roomId, next);
        return;
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
    if (await this.deps.store.get(roomId)) {
      this.ready.set(roomId, true);
      return;
    }
    const handle = await this.deps.documents.open(roomId, DOC);
    try {
      const legacy = hasLegacyParts(handle.doc);
      const converted = legacy ? recordsFromLegacy(handle.doc, readDrafts(handle.doc), this.newId) : emptyRecords();
      const stored = await this.deps.store.compareAndSet(roomId, 0, { version: 1, state: converted });
      if (stored && legacy) {
        await this.deps.documents.applyServerChange(roomId, DOC, 'legacy-records', stripLegacyParts);
        this.deps.log.info(
          { roomId, commitments: converted.commitments.length, acceptances: converted.acceptances.length, versions: converted.versions.length },
          'agreements converted to records',
        );
      }
      this.ready.set(roomId, true);
    } finally {
      await handle.release();
    }
  }
}
