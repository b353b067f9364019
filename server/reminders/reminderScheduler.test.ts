import { describe, expect, it } from 'vitest';
import type { PartnerSeat } from '../../shared/protocol/identity';
import type { ReminderPushPayload } from '../../shared/protocol/reminders';
import { CLAIM_KEEP_MS, type DueReminder } from '../../shared/reminders/dueReminders';
import { createLogger } from '../logger';
import type { KeyValueStore, RoomRecord } from '../storage/types';
import { KeyedMutex } from '../util/keyedMutex';
import type { PushOutcome, PushTarget } from './pushSender';
import { PushSubscriptions, deviceOf, type StoredPushSubscription } from './pushSubscriptions';
import { ReminderScheduler } from './reminderScheduler';
import type { ReminderSource } from './reminderSources';

/** The records store as the embedded one keeps it: one process, put-if-absent under a mutex. */
class MemoryRecords implements KeyValueStore {
  readonly map = new Map<string, unknown>();
  private readonly lock = new KeyedMutex();
  async get<T>(key: string) {
    return (this.map.get(key) as T | undefined) ?? null;
  }
  async put<T>(key: string, value: T) {
    this.map.set(key, structuredClone(value));
  }
  putIfAbsent<T>(key: string, value: T) {
    return this.lock.run(key, async () => (this.map.has(key) ? false : (this.map.set(key, value), true)));
  }
  async delete(key: string) {
    this.map.delete(key);
  }
  async keys(prefix: string) {
    return [...this.map.keys()].filter((k) => k.startsWith(prefix));
  }
}

const H = 60 * 60 * 1000;
const start = Date.UTC(2026, 11, 7, 8);

function world(due: (seat: PartnerSeat, now: number) => DueReminder[]) {
  let now = start;
  const records = new MemoryRecords();
  const subscriptions = new PushSubscriptions(records);
  const seats: Record<string, string> = { A: 'hash-a', B: 'hash-b' };
  const rooms = {
    get: async (roomId: string) =>
      roomId === 'r1' ? ({ id: 'r1', seats: { A: { tokenHash: seats.A }, B: { tokenHash: seats.B } } } as unknown as RoomRecord) : null,
  };
  const sent: Array<{ endpoint: string; payload: ReminderPushPayload }> = [];
  const outcomes = new Map<string, PushOutcome>();
  const send = async (target: PushTarget, payload: ReminderPushPayload) => {
    sent.push({ endpoint: target.endpoint, payload });
    return outcomes.get(target.endpoint) ?? 'sent';
  };
  const source: ReminderSource = { kind: 'reviews', due: async (_roomId, seat, at) => due(seat, at) };
  const make = () => new ReminderScheduler({ subscriptions, rooms, sources: [source], send, clock: { now: () => now }, log: createLogger('silent') });
  const sub = (seat: PartnerSeat, endpoint: string, tokenHash = seats[seat]!): StoredPushSubscription => ({
    roomId: 'r1',
    seat,
    device: deviceOf(tokenHash),
    tokenHash,
    endpoint,
    keys: { p256dh: 'p', auth: 'a' },
    show: 'neutral',
    kinds: ['reviews'],
    since: start,
  });
  return { records, subscriptions, seats, sent, outcomes, make, sub, advance: (ms: number) => void (now += ms) };
}

const review = (dueAt: number, key = 'review:x:2026-12-07'): DueReminder => ({ kind: 'reviews', key, dueAt, details: 'Time to look again at: x' });

describe('the reminder scheduler on an injected clock', () => {
  it('sends a reminder once it is due, once per device, and again for a new due key', async () => {
    let items = [review(start + H)];
    const w = world(() => items);
    await w.subscriptions.put(w.sub('A', 'https://push/a'));
    await w.subscriptions.put(w.sub('B', 'https://push/b'));
    const scheduler = w.make();
    expect(await scheduler.tick()).toMatchObject({ sent: 0 });
    w.advance(H);
    expect(await scheduler.tick()).toMatchObject({ sent: 2 });
    expect(w.sent.map((m) => m.endpoint).sort()).toEqual(['https://push/a', 'https://push/b']);
    expect(w.sent[0]!.payload).toMatchObject({ title: 'Common Ground', body: 'A reminder' });
    w.advance(H);
    expect(await scheduler.tick()).toMatchObject({ sent: 0, alreadySent: 2 });
    // the date moved on: a new reminder when its day comes
    items = [review(start + 26 * H, 'review:x:2026-12-08')];
    w.advance(24 * H);
    expect(await scheduler.tick()).toMatchObject({ sent: 2 });
  });

  it('two schedulers ticking at once over one store (two nodes, or a restart) send each reminder exactly once', async () => {
    const w = world(() => [review(start), review(start, 'review:y:2026-12-07')]);
    await w.subscriptions.put(w.sub('A', 'https://push/a'));
    await w.subscriptions.put(w.sub('B', 'https://push/b'));
    const reports = await Promise.all([w.make().tick(), w.make().tick(), w.make().tick()]);
    expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(4);
    expect(w.sent).toHaveLength(4);
    expect(await w.make().tick()).toMatchObject({ sent: 0, alreadySent: 4 });
  });

  it('drops a subscription whose push service says it is gone, whose room is gone or whose seat another device holds', async () => {
    const w = world(() => [review(start)]);
    await w.subscriptions.put(w.sub('A', 'https://push/a'));
    await w.subscriptions.put(w.sub('B', 'https://push/b-old', 'hash-old-phone'));
    await w.subscriptions.put({ ...w.sub('A', 'https://push/other-room'), roomId: 'gone' });
    w.outcomes.set('https://push/a', 'gone');
    expect(await w.make().tick()).toMatchObject({ sent: 0, removed: 3 });
    expect(await w.subscriptions.listAll()).toEqual([]);
    expect(w.sent.map((m) => m.endpoint)).toEqual(['https://push/a']);
  });

  it('a failed send is not retried (a missed reminder rather than a doubled one); old claims are swept', async () => {
    const w = world(() => [review(start)]);
    await w.subscriptions.put(w.sub('A', 'https://push/a'));
    w.outcomes.set('https://push/a', 'failed');
    expect(await w.make().tick()).toMatchObject({ failed: 1 });
    w.outcomes.clear();
    expect(await w.make().tick()).toMatchObject({ sent: 0, alreadySent: 1 });
    expect([...w.records.map.keys()].filter((k) => k.startsWith('push:sent:'))).toHaveLength(1);
    w.advance(CLAIM_KEEP_MS + H);
    await w.make().tick();
    expect([...w.records.map.keys()].filter((k) => k.startsWith('push:sent:'))).toEqual([]);
    expect(w.sent).toHaveLength(1);
  });

  it('sends nothing of a kind the device did not choose', async () => {
    const w = world(() => [review(start)]);
    await w.subscriptions.put({ ...w.sub('A', 'https://push/a'), kinds: ['checkIns'] });
    expect(await w.make().tick()).toMatchObject({ sent: 0 });
  });
});
