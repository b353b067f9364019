import { createHash } from 'node:crypto';
import type { PartnerSeat } from '../../shared/protocol/identity';
import type { PushSettingsView, ReminderKind, ReminderShow } from '../../shared/protocol/reminders';
import type { KeyValueStore } from '../storage/types';

/** One device's subscription, as the server keeps it. */
export interface StoredPushSubscription {
  roomId: string;
  seat: PartnerSeat;
  /** names the device within its seat: derived from its device token's hash */
  device: string;
  /** the seat's device token hash when it subscribed: once the seat is held by another device, this one is not reminded */
  tokenHash: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
  show: ReminderShow;
  kinds: ReminderKind[];
  since: number;
}

/** What a claim keeps: when the reminder was due (so old claims can be swept) and when it was claimed. */
interface Claim {
  dueAt: number;
  at: number;
}

const SUB = 'push:sub:';
const SENT = 'push:sent:';

/** The device's name in keys: not the token hash itself, which stays in the value only. */
export function deviceOf(tokenHash: string): string {
  return createHash('sha256').update(`push-device:${tokenHash}`).digest('hex').slice(0, 32);
}

export function settingsView(sub: StoredPushSubscription): PushSettingsView {
  return { show: sub.show, kinds: [...sub.kinds], since: sub.since };
}

/**
 * Subscriptions per room, seat and device, and the claims that make each reminder go out at
 * most once per device and due key, kept in the records store (shared by every node). Keys:
 * `push:sub:<room>:<seat>:<device>` and `push:sent:<room>:<seat>:<device>:<due key>`; a room id
 * holds no colon, so a room's prefix never matches another room.
 */
export class PushSubscriptions {
  constructor(private readonly records: KeyValueStore) {}

  private subKey(roomId: string, seat: PartnerSeat, device: string): string {
    return `${SUB}${roomId}:${seat}:${device}`;
  }

  async put(sub: StoredPushSubscription): Promise<void> {
    await this.records.put(this.subKey(sub.roomId, sub.seat, sub.device), sub);
  }

  get(roomId: string, seat: PartnerSeat, device: string): Promise<StoredPushSubscription | null> {
    return this.records.get<StoredPushSubscription>(this.subKey(roomId, seat, device));
  }

  /** Removes the device's subscription and its claims; false when it had none. */
  async remove(roomId: string, seat: PartnerSeat, device: string): Promise<boolean> {
    const had = (await this.get(roomId, seat, device)) !== null;
    await this.records.delete(this.subKey(roomId, seat, device));
    await this.deleteKeys(`${SENT}${roomId}:${seat}:${device}:`);
    return had;
  }

  /** Every subscription of a seat (its devices): for a seat that moved to a new device. */
  async listSeat(roomId: string, seat: PartnerSeat): Promise<StoredPushSubscription[]> {
    return this.read(await this.records.keys(`${SUB}${roomId}:${seat}:`));
  }

  /** Every subscription of every room: once per scheduler tick. */
  async listAll(): Promise<StoredPushSubscription[]> {
    return this.read(await this.records.keys(SUB));
  }

  async deleteRoom(roomId: string): Promise<void> {
    await this.deleteKeys(`${SUB}${roomId}:`);
    await this.deleteKeys(`${SENT}${roomId}:`);
  }

  /**
   * Takes the right to send one reminder to one device: true for exactly one caller, on any
   * node, ever (until the claim is swept, long after the reminder stopped being sendable).
   */
  claim(sub: StoredPushSubscription, key: string, dueAt: number, now: number): Promise<boolean> {
    return this.records.putIfAbsent<Claim>(`${SENT}${sub.roomId}:${sub.seat}:${sub.device}:${key}`, { dueAt, at: now });
  }

  /** Forgets claims for reminders due before `cutoff`, which the scheduler no longer sends anyway. */
  async sweepClaims(cutoff: number): Promise<number> {
    let swept = 0;
    for (const key of await this.records.keys(SENT)) {
      const claim = await this.records.get<Claim>(key);
      if (claim && claim.dueAt < cutoff) {
        await this.records.delete(key);
        swept += 1;
      }
    }
    return swept;
  }

  private async read(keys: string[]): Promise<StoredPushSubscription[]> {
    const found: StoredPushSubscription[] = [];
    for (const key of keys) {
      const sub = await this.records.get<StoredPushSubscription>(key);
      if (sub) found.push(sub);
    }
    return found;
  }

  private async deleteKeys(prefix: string): Promise<void> {
    for (const key of await this.records.keys(prefix)) await this.records.delete(key);
  }
}
