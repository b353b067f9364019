import { randomUUID } from 'node:crypto';
import { addNote, answer, bothConsented, recordSession, setCounsellorConsent, setRhythm } from '../../shared/checkIns/commands';
import { emptyCheckIns, type CheckInState, type Mark, type RhythmKind, type Weekday } from '../../shared/checkIns/model';
import { counsellorView, partnerView, type CheckInView, type CommitmentInForce, type CounsellorCommitmentMarks } from '../../shared/checkIns/view';
import { AppError, ErrorCode } from '../../shared/protocol/errors';
import type { PartnerSeat, SeatId } from '../../shared/protocol/identity';
import type { AgreementRecordsService } from '../agreements/agreementRecordsService';
import type { TurnStore } from '../storage/types';
import type { Clock } from '../util/clock';
import { KeyedMutex } from '../util/keyedMutex';

export interface CheckInDeps {
  store: TurnStore;
  /** the commitments in force come from the agreements record, never from a device */
  agreements: Pick<AgreementRecordsService, 'get'>;
  clock: Clock;
  /** called after every stored change, to tell the room's devices to ask again */
  changed: (roomId: string, at: number) => void;
  /** called when a stored change altered what the room's counsellor may see (CI-12) */
  sharedChanged?: (roomId: string) => void;
  maxAttempts?: number;
  newId?: () => string;
}

/**
 * The check-ins of each room (shared/checkIns/ holds the rules, CI-01…). Every command runs one
 * at a time per room on this node and stores the new snapshot with compare-and-set, so a
 * command on another node at the same moment is applied after it rather than over it. The seat
 * is the caller's socket's and the time the server's clock; every answer is a view made for
 * the seat that asked, so nothing a seat may not read is ever returned.
 */
export class CheckInService {
  private readonly lock = new KeyedMutex();
  private readonly maxAttempts: number;
  private readonly newId: () => string;

  constructor(private readonly deps: CheckInDeps) {
    this.maxAttempts = deps.maxAttempts ?? 25;
    this.newId = deps.newId ?? randomUUID;
  }

  async view(roomId: string, seat: SeatId): Promise<CheckInView> {
    const reader = partnerOnly(seat);
    const [state, inForce] = await Promise.all([this.read(roomId), this.commitments(roomId)]);
    return partnerView(state, reader, inForce, this.deps.clock.now());
  }

  setRhythm(roomId: string, seat: SeatId, input: { commitmentId: string; kind: RhythmKind; weekday?: Weekday | null; timeZone: string }): Promise<CheckInView> {
    return this.command(roomId, seat, (state, ctx) => setRhythm(state, { ...ctx, commitmentId: input.commitmentId, kind: input.kind, weekday: input.weekday ?? null, timeZone: input.timeZone }));
  }

  answer(roomId: string, seat: SeatId, input: { commitmentId: string; periodKey: string; mark: Mark; words?: string; shareWords?: boolean }): Promise<CheckInView> {
    return this.command(roomId, seat, (state, ctx) =>
      answer(state, { ...ctx, commitmentId: input.commitmentId, periodKey: input.periodKey, mark: input.mark, words: input.words ?? '', shareWords: input.shareWords ?? true }),
    );
  }

  note(roomId: string, seat: SeatId, input: { text: string; commitmentId?: string | null }): Promise<CheckInView> {
    const id = this.newId();
    return this.command(roomId, seat, (state, ctx) => addNote(state, { ...ctx, id, text: input.text, commitmentId: input.commitmentId ?? null }).state);
  }

  shareWithCounsellor(roomId: string, seat: SeatId, input: { commitmentId: string; share: boolean }, moderated: boolean): Promise<CheckInView> {
    // A couple's own room has no counsellor to share with.
    if (!moderated) throw new AppError(ErrorCode.FORBIDDEN, 'This room has no counsellor, so there is no one to share check-ins with.');
    return this.command(roomId, seat, (state, ctx) => setCounsellorConsent(state, { ...ctx, commitmentId: input.commitmentId, share: input.share }));
  }

  /** [CI-12] For the room's counsellor (ownership is checked by the caller): marks only, of shared commitments. */
  async counsellorMarks(roomId: string, commitmentId?: string): Promise<CounsellorCommitmentMarks[]> {
    const [state, inForce] = await Promise.all([this.read(roomId), this.commitments(roomId)]);
    if (commitmentId !== undefined && !(inForce.some((c) => c.id === commitmentId) && bothConsented(state, commitmentId))) {
      throw new AppError(ErrorCode.CHECK_IN_NOT_SHARED);
    }
    const wanted = commitmentId === undefined ? inForce : inForce.filter((c) => c.id === commitmentId);
    return counsellorView(state, wanted, this.deps.clock.now());
  }

  /** [CI-14] A guided session of the room ended (called by the session service, once per node that saw it). */
  sessionEnded(roomId: string, startedAt: number): Promise<void> {
    return this.lock.run(roomId, async () => {
      for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
        const stored = await this.deps.store.get<CheckInState>(roomId);
        const current = stored?.state ?? emptyCheckIns();
        const next = recordSession(current, startedAt);
        if (next === current) return;
        const version = stored?.version ?? 0;
        if (await this.deps.store.compareAndSet(roomId, version, { version: version + 1, state: next })) {
          this.deps.changed(roomId, this.deps.clock.now());
          return;
        }
      }
      throw new AppError(ErrorCode.VERSION_CONFLICT);
    });
  }

  private async read(roomId: string): Promise<CheckInState> {
    return (await this.deps.store.get<CheckInState>(roomId))?.state ?? emptyCheckIns();
  }

  private async commitments(roomId: string): Promise<CommitmentInForce[]> {
    return (await this.deps.agreements.get(roomId)).commitments.map((c) => ({ id: c.id, title: c.title }));
  }

  private command(
    roomId: string,
    seat: SeatId,
    change: (state: CheckInState, ctx: { seat: PartnerSeat; now: number; inForce: ReadonlySet<string> }) => CheckInState,
  ): Promise<CheckInView> {
    const partner = partnerOnly(seat);
    return this.lock.run(roomId, async () => {
      const commitments = await this.commitments(roomId);
      const inForce = new Set(commitments.map((c) => c.id));
      for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
        const now = this.deps.clock.now();
        const stored = await this.deps.store.get<CheckInState>(roomId);
        const current = stored?.state ?? emptyCheckIns();
        const next = change(current, { seat: partner, now, inForce });
        if (next === current) return partnerView(current, partner, commitments, now);
        const version = stored?.version ?? 0;
        if (await this.deps.store.compareAndSet(roomId, version, { version: version + 1, state: next })) {
          this.deps.changed(roomId, now);
          if (this.deps.sharedChanged && JSON.stringify(counsellorView(current, commitments, now)) !== JSON.stringify(counsellorView(next, commitments, now))) {
            this.deps.sharedChanged(roomId);
          }
          return partnerView(next, partner, commitments, now);
        }
      }
      throw new AppError(ErrorCode.VERSION_CONFLICT);
    });
  }
}

function partnerOnly(seat: SeatId): PartnerSeat {
  if (seat !== 'A' && seat !== 'B') throw new AppError(ErrorCode.FORBIDDEN);
  return seat;
}
