import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dayOf } from '../../shared/agreements/model';
import type { PushSettingsView, ReminderPushPayload } from '../../shared/protocol/reminders';
import { createLevelStorage } from '../../server/storage/level/levelStorage';
import { counsellorEnters, createModeratedRoom, partnerJoins, registerCounsellor } from '../support/counsellorKit';
import { startLocalPushService, type LocalPushService } from '../support/localPushService';
import { serverPerTest } from '../support/serverPerTest';
import { pairUp } from '../support/sessionClient';
import { connectClient, request, type ClientSocket } from '../support/socketClient';
import { startTestServer } from '../support/testServer';

/**
 * Reminders on a partner's device (docs/protocol.md, Reminders): push:subscribe / push:unsubscribe
 * / push:mine / push:publicKey for the socket's own room, seat and device; the scheduler sends a
 * review date's reminder to a local Web Push service once per device, encrypted (aes128gcm) and
 * neutral unless the device chose details; subscriptions go with the room, with a seat moved to
 * another device, and when the push service says they expired.
 */
const noon = new Date(2026, 10, 23, 12).getTime();
/** Noon (server's zone) at the start of every test; tests move it on by hand. */
let now = noon;
const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
const s = serverPerTest({ clock, env: { REMINDER_TICK_SECONDS: '0', PUSH_ALLOW_LOOPBACK_ENDPOINTS: 'true', ROOMS_PER_ADDRESS_PER_HOUR: '1000' } });

let push: LocalPushService;
beforeEach(async () => {
  now = noon;
  push = await startLocalPushService();
});
afterEach(async () => {
  await push.close();
});

async function pair() {
  const p = await pairUp(s.server.url);
  s.sockets.push(...p.sockets);
  return p;
}

async function subscribe(socket: ClientSocket, show: 'neutral' | 'details' = 'neutral', kinds = ['reviews', 'checkIns']) {
  const device = push.subscribe();
  const res = await request<{ subscription: PushSettingsView }>(socket, 'push:subscribe', { ...device, show, kinds });
  expect(res).toMatchObject({ ok: true, subscription: { show, kinds } });
  return device;
}

async function reviewDueToday(socket: ClientSocket, title = 'We walk before we talk') {
  const res = await request<{ agreementId: string }>(socket, 'agreement:propose', { title, category: 'communication', reviewOn: dayOf(clock.now()) });
  expect(res.ok).toBe(true);
  return res.ok ? res.agreementId : '';
}

async function pushKeysOnDisk(dataDir: string): Promise<string[]> {
  const storage = await createLevelStorage(dataDir);
  try {
    return await storage.records.keys('push:');
  } finally {
    await storage.close();
  }
}

describe('subscribing this device', () => {
  it('gives the VAPID public key, keeps the device choice, reads it back and forgets it', async () => {
    const { a, b } = await pair();
    const key = await request<{ publicKey: string }>(a, 'push:publicKey', {});
    expect(key.ok && key.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    expect(key.ok && key.publicKey).toBe(s.server.app.reminders.publicKey);

    expect(await request(a, 'push:mine', {})).toEqual({ ok: true, subscription: null });
    await subscribe(a, 'details', ['reviews']);
    expect(await request(a, 'push:mine', {})).toEqual({ ok: true, subscription: { show: 'details', kinds: ['reviews'], since: noon } });
    // the other partner's device is its own: nothing of A's shows there, nor goes with it
    expect(await request(b, 'push:mine', {})).toEqual({ ok: true, subscription: null });
    await subscribe(b);
    expect(await request(b, 'push:unsubscribe', {})).toEqual({ ok: true, removed: true });
    expect(await request(b, 'push:unsubscribe', {})).toEqual({ ok: true, removed: false });
    expect(await request(a, 'push:mine', {})).toMatchObject({ ok: true, subscription: { show: 'details' } });

    // subscribing again replaces the device's choice
    await subscribe(a, 'neutral', ['checkIns']);
    expect(await request(a, 'push:mine', {})).toMatchObject({ ok: true, subscription: { show: 'neutral', kinds: ['checkIns'] } });

    // a partner of another room reaches nothing of this one: its events act on its own room only
    const elsewhere = await pair();
    await subscribe(elsewhere.a);
    expect(await request(elsewhere.a, 'push:unsubscribe', {})).toEqual({ ok: true, removed: true });
    expect(await request(a, 'push:mine', {})).toMatchObject({ ok: true, subscription: { show: 'neutral' } });
  });

  it('a seat subscribes and unsubscribes at most 30 times an hour', async () => {
    const { a, b } = await pair();
    const device = push.subscribe();
    for (let i = 0; i < 30; i++) expect((await request(a, 'push:subscribe', { ...device, show: 'neutral', kinds: ['reviews'] })).ok).toBe(true);
    expect(await request(a, 'push:unsubscribe', {})).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    // the other seat has its own count; reading one's choice is not counted
    expect(await request(a, 'push:mine', {})).toMatchObject({ ok: true });
    expect((await request(b, 'push:subscribe', { ...push.subscribe(), show: 'neutral', kinds: ['reviews'] })).ok).toBe(true);
  });

  it('refuses without a seat, for the counsellor, and a payload that is not a push subscription', async () => {
    const none = await connectClient(s.server.url);
    s.sockets.push(none);
    const device = push.subscribe();
    for (const event of ['push:subscribe', 'push:unsubscribe', 'push:mine', 'push:publicKey']) {
      const payload = event === 'push:subscribe' ? { ...device, show: 'neutral', kinds: ['reviews'] } : {};
      expect(await request(none, event, payload)).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    }

    const lee = await registerCounsellor(s.server.url);
    s.sockets.push(lee.socket);
    const created = await createModeratedRoom(lee);
    const jo = await partnerJoins(s.server.url, created, 'A', 'Jo');
    s.sockets.push(jo.socket);
    const counsellor = await counsellorEnters(s.server.url, lee, created.room.roomId);
    s.sockets.push(counsellor);
    expect(await request(counsellor, 'push:subscribe', { ...device, show: 'neutral', kinds: ['reviews'] })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('partners') },
    });
    expect(await request(counsellor, 'push:mine', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // a partner of a moderated room has reminders like any other
    expect(await request(jo.socket, 'push:subscribe', { ...device, show: 'neutral', kinds: ['reviews'] })).toMatchObject({ ok: true });

    const { a } = await pair();
    const good = { ...push.subscribe(), show: 'neutral', kinds: ['reviews'] };
    const bad: unknown[] = [
      { ...good, endpoint: 'ftp://push.example.org/x' },
      { ...good, endpoint: 'http://push.example.org/x' },
      { ...good, endpoint: `https://push.example.org/${'x'.repeat(1024)}` },
      { ...good, endpoint: 'https://user:pw@push.example.org/x' },
      { ...good, keys: { ...good.keys, auth: 'short' } },
      { ...good, keys: { ...good.keys, p256dh: '!'.repeat(87) } },
      { ...good, show: 'everything' },
      { ...good, kinds: [] },
      { ...good, kinds: ['reviews', 'reviews'] },
      { ...good, kinds: ['brokenStreak'] },
      { ...good, seat: 'B' },
      { ...good, roomId: 'elsewhere' },
    ];
    for (const payload of bad) expect(await request(a, 'push:subscribe', payload), JSON.stringify(payload).slice(0, 80)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await request(a, 'push:mine', {})).toEqual({ ok: true, subscription: null });
  });

  it('refuses a push endpoint on this machine unless the server is set up for a local push service', async () => {
    const strict = await s.start({ env: { REMINDER_TICK_SECONDS: '0' } });
    const p = await pairUp(strict.url);
    s.sockets.push(...p.sockets);
    expect(await request(p.a, 'push:subscribe', { ...push.subscribe(), show: 'neutral', kinds: ['reviews'] })).toMatchObject({
      ok: false,
      error: { code: 'PUSH_ENDPOINT_NOT_ALLOWED' },
    });
    expect(await request(p.a, 'push:subscribe', { endpoint: 'https://push.example.org/send/1', keys: push.subscribe().keys, show: 'neutral', kinds: ['reviews'] })).toMatchObject({ ok: true });
  });
});

describe('sending reminders', () => {
  it('a review date that has come reaches each subscribed device once, encrypted, neutral unless it chose details', async () => {
    const { a, b, roomId } = await pair();
    const alex = await subscribe(a, 'neutral');
    const sam = await subscribe(b, 'details');
    const agreementId = await reviewDueToday(a, 'We walk before we talk');

    expect(await s.server.app.reminders.tick()).toMatchObject({ sent: 2, failed: 0 });
    expect(push.received).toHaveLength(2);
    const toAlex = push.received.find((m) => alex.endpoint.endsWith(m.path))!;
    const toSam = push.received.find((m) => sam.endpoint.endsWith(m.path))!;
    expect(toAlex.payload).toEqual({ title: 'Common Ground', body: 'A reminder', url: `/room/${roomId}`, tag: 'common-ground-reminder' } satisfies ReminderPushPayload);
    expect(toSam.payload).toMatchObject({ title: 'Common Ground', body: 'Time to look again at: We walk before we talk', url: `/room/${roomId}` });
    for (const message of [toAlex, toSam]) {
      // RFC 8291 over RFC 8188: the body is ciphertext, signed for by the server's VAPID key
      expect(message.headers['content-encoding']).toBe('aes128gcm');
      expect(String(message.headers.authorization)).toMatch(new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${s.server.app.reminders.publicKey}$`));
      expect(Number(message.headers.ttl)).toBeGreaterThan(0);
      const raw = message.raw.toString('latin1');
      for (const plain of ['Common Ground', 'reminder', 'walk', roomId, agreementId]) expect(raw).not.toContain(plain);
    }

    // once per device and due key: later ticks, and the next day while the review is still due, send nothing
    expect(await s.server.app.reminders.tick()).toMatchObject({ sent: 0, alreadySent: 2 });
    clock.advance(20 * 60 * 60 * 1000);
    await s.server.app.reminders.tick();
    expect(push.received).toHaveLength(2);
  });

  it('sends only the kinds a device chose, nothing before the review hour, and nothing for a review long past', async () => {
    const { a, b } = await pair();
    await subscribe(a, 'neutral', ['checkIns']);
    await subscribe(b, 'neutral', ['reviews']);
    await request(a, 'agreement:propose', { title: 'Old one', category: 'communication', reviewOn: dayOf(clock.now() - 5 * 24 * 60 * 60 * 1000) });
    expect(await s.server.app.reminders.tick()).toMatchObject({ sent: 0 });
    expect(push.received).toHaveLength(0);
  });

  it('a subscription the push service says is gone (410) is deleted', async () => {
    const { a, b } = await pair();
    const alex = await subscribe(a);
    await subscribe(b);
    push.answerWith(new URL(alex.endpoint).pathname, 410);
    await reviewDueToday(a);
    expect(await s.server.app.reminders.tick()).toMatchObject({ sent: 1, removed: 1 });
    expect(await request(a, 'push:mine', {})).toEqual({ ok: true, subscription: null });
    expect(await request(b, 'push:mine', {})).toMatchObject({ ok: true, subscription: { show: 'neutral' } });
  });
});

describe('check-ins due', () => {
  it('a daily check-in reaches each partner who has not answered, once, and none after they answered', async () => {
    const { a, b } = await pair();
    const proposed = await request<{ agreementId: string }>(a, 'agreement:propose', { title: 'We say goodnight', category: 'communication' });
    expect(proposed.ok).toBe(true);
    const agreementId = proposed.ok ? proposed.agreementId : '';
    expect((await request(a, 'agreement:accept', { agreementId })).ok).toBe(true);
    const accepted = await request<{ commitment: { id: string } }>(b, 'agreement:accept', { agreementId });
    const commitmentId = accepted.ok ? accepted.commitment.id : '';
    const rhythm = await request<{ checkIns: { commitments: Array<{ openKeys: string[] }> } }>(a, 'checkIn:setRhythm', { commitmentId, kind: 'daily', timeZone: 'UTC' });
    expect(rhythm.ok).toBe(true);
    const alex = await subscribe(a, 'details', ['checkIns']);
    await subscribe(b, 'neutral', ['checkIns']);

    // Sam answers before it is due: only Alex is reminded
    const key = rhythm.ok ? rhythm.checkIns.commitments[0]!.openKeys[0]! : '';
    expect((await request(b, 'checkIn:answer', { commitmentId, periodKey: key, mark: 'kept' })).ok).toBe(true);
    for (let hour = 0; hour < 36 && push.received.length === 0; hour++) {
      clock.advance(60 * 60 * 1000);
      await s.server.app.reminders.tick();
    }
    expect(push.received).toHaveLength(1);
    expect(alex.endpoint.endsWith(push.received[0]!.path)).toBe(true);
    expect(push.received[0]!.payload).toMatchObject({ title: 'Common Ground', body: 'Time to check in on: We say goodnight' });
    await s.server.app.reminders.tick();
    expect(push.received).toHaveLength(1);
  });
});

describe('subscriptions go with the room and the device', () => {
  it('deleting the room deletes its subscriptions and claims, and no other room\'s', async () => {
    const one = await pair();
    const other = await pair();
    await subscribe(one.a);
    await subscribe(one.b);
    await subscribe(other.a);
    await reviewDueToday(one.a);
    await s.server.app.reminders.tick();
    expect(await request(one.a, 'room:delete', { confirmRoomId: one.roomId })).toEqual({ ok: true });
    await s.server.stop();
    const left = await pushKeysOnDisk(s.server.dataDir);
    expect(left.filter((k) => k.includes(one.roomId))).toEqual([]);
    expect(left.filter((k) => k.startsWith(`push:sub:${other.roomId}:A:`))).toHaveLength(1);
  });

  it('a seat moved to another device takes the reminders away from the old device', async () => {
    const p = await pair();
    await subscribe(p.a);
    await subscribe(p.b);
    // Sam signs Alex's lost phone out: it hears nothing more from this room
    expect(await request(p.a, 'room:reinvite', { seat: 'B' })).toMatchObject({ ok: true });
    await reviewDueToday(p.a);
    expect(await s.server.app.reminders.tick()).toMatchObject({ sent: 1 });
    expect(push.received).toHaveLength(1);
    await s.server.stop();
    const left = await pushKeysOnDisk(s.server.dataDir);
    expect(left.filter((k) => k.startsWith(`push:sub:${p.roomId}:B:`))).toEqual([]);
    expect(left.filter((k) => k.startsWith(`push:sub:${p.roomId}:A:`))).toHaveLength(1);
  });

  it('moving one\'s own seat to a new phone takes the reminders away from the old phone once the new one is in', async () => {
    const p = await pair();
    await subscribe(p.a);
    const moved = await request<{ invite: { token: string } }>(p.a, 'room:reinvite', { seat: 'A' });
    expect(moved.ok).toBe(true);
    // the old phone stays in until the new one claims the seat: its reminders too
    expect(await request(p.a, 'push:mine', {})).toMatchObject({ ok: true, subscription: { show: 'neutral' } });
    const phone = await connectClient(s.server.url);
    s.sockets.push(phone);
    const claimed = await request(phone, 'invite:claim', { invite: moved.ok ? moved.invite.token : '', displayName: 'Sam', acceptedGroundRules: true });
    expect(claimed.ok).toBe(true);
    await reviewDueToday(p.b);
    expect(await s.server.app.reminders.tick()).toMatchObject({ sent: 0 });
    await s.server.stop();
    expect((await pushKeysOnDisk(s.server.dataDir)).filter((k) => k.startsWith(`push:sub:${p.roomId}:A:`))).toEqual([]);
  });

  it('a subscription left behind by a seat now on another device is dropped by the scheduler, on any node', async () => {
    const dataDir = s.server.dataDir;
    const p = await pair();
    await subscribe(p.b);
    await s.server.stop();
    // the seat changed hands while this node never heard of it (another node did the move)
    const storage = await createLevelStorage(dataDir);
    const room = (await storage.rooms.get(p.roomId))!;
    await storage.rooms.compareAndSet({ ...room, version: room.version + 1, seats: { ...room.seats, B: { ...room.seats.B!, tokenHash: 'f'.repeat(64) } } });
    await storage.close();
    const again = await startTestServer({ dataDir, clock, env: { REMINDER_TICK_SECONDS: '0', PUSH_ALLOW_LOOPBACK_ENDPOINTS: 'true' } });
    try {
      expect(await again.app.reminders.tick()).toMatchObject({ removed: 1, sent: 0 });
    } finally {
      await again.stop();
    }
    expect((await pushKeysOnDisk(dataDir)).filter((k) => k.startsWith('push:sub:'))).toEqual([]);
  });
});
