import { CLAIM_KEEP_MS, reminderPayload, sendableNow, type DueReminder } from '../../shared/reminders/dueReminders';
import type { PartnerSeat } from '../../shared/protocol/identity';
import type { Logger } from '../logger';
import type { RoomStore } from '../storage/types';
import type { Clock } from '../util/clock';
import type { SendPush } from './pushSender';
import type { PushSubscriptions, StoredPushSubscription } from './pushSubscriptions';
import type { ReminderSource } from './reminderSources';

export interface ReminderSchedulerDeps {
  subscriptions: PushSubscriptions;
  rooms: Pick<RoomStore, 'get'>;
  sources: readonly ReminderSource[];
  send: SendPush;
  clock: Clock;
  log: Logger;
}

export interface TickReport {
  sent: number;
  /** claimed by another node (or an earlier tick) already */
  alreadySent: number;
  /** subscriptions deleted: expired at the push service, the room gone or the seat on another device */
  removed: number;
  failed: number;
}

/** Claims are swept at most this often. */
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/**
 * Every tick: for each subscribed device, asks the sources what is due for its seat, keeps what
 * is sendable now ([RM1][RM2]) and sends each reminder once: the claim (room, seat, device, key)
 * is taken in the shared store before sending (set-if-absent), so of several nodes ticking at
 * once, or a node ticking again after a restart, exactly one sends it. A send that fails after
 * its claim is not retried: a reminder missed is better than one twice. Nothing of what people
 * wrote is logged.
 */
export class ReminderScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<TickReport> | null = null;
  private lastSweep = 0;

  constructor(private readonly deps: ReminderSchedulerDeps) {}

  start(everyMs: number): void {
    if (everyMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.tick().catch((err: unknown) => this.deps.log.error({ err: err instanceof Error ? err.message : 'unknown' }, 'reminder tick failed'));
    }, everyMs);
    this.timer.unref();
  }

  /** One pass now; a pass already running is joined rather than run twice at once. */
  tick(): Promise<TickReport> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private async pass(): Promise<TickReport> {
    const { subscriptions, sources, send, clock, log } = this.deps;
    const report: TickReport = { sent: 0, alreadySent: 0, removed: 0, failed: 0 };
    const now = clock.now();
    const dueBySeat = new Map<string, Promise<DueReminder[]>>();
    const dueFor = (roomId: string, seat: PartnerSeat) => {
      const key = `${roomId}:${seat}`;
      let due = dueBySeat.get(key);
      if (!due) {
        due = Promise.all(sources.map((source) => source.due(roomId, seat, now))).then((lists) => lists.flat());
        dueBySeat.set(key, due);
      }
      return due;
    };

    for (const sub of await subscriptions.listAll()) {
      try {
        if (!(await this.stillHeld(sub))) {
          await subscriptions.remove(sub.roomId, sub.seat, sub.device);
          report.removed += 1;
          continue;
        }
        const sendable = sendableNow(await dueFor(sub.roomId, sub.seat), sub.kinds, now);
        for (const reminder of sendable) {
          if (!(await subscriptions.claim(sub, reminder.key, reminder.dueAt, now))) {
            report.alreadySent += 1;
            continue;
          }
          const outcome = await send(sub, reminderPayload(reminder, sub.show, sub.roomId));
          if (outcome === 'sent') report.sent += 1;
          else if (outcome === 'failed') report.failed += 1;
          else {
            await subscriptions.remove(sub.roomId, sub.seat, sub.device);
            report.removed += 1;
            break;
          }
        }
      } catch (err) {
        report.failed += 1;
        log.warn({ roomId: sub.roomId, err: err instanceof Error ? err.message : 'unknown' }, 'reminders for a device failed');
      }
    }
    if (now - this.lastSweep >= SWEEP_EVERY_MS) {
      this.lastSweep = now;
      await subscriptions.sweepClaims(now - CLAIM_KEEP_MS);
    }
    if (report.sent + report.removed + report.failed > 0) log.info({ ...report }, 'reminders sent');
    return report;
  }

  /** The room is still there and the seat still held by the device that subscribed. */
  private async stillHeld(sub: StoredPushSubscription): Promise<boolean> {
    const room = await this.deps.rooms.get(sub.roomId);
    return room?.seats[sub.seat]?.tokenHash === sub.tokenHash;
  }
}
