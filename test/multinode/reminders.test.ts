import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dayOf } from '../../shared/agreements/model';
import { startLocalPushService, type LocalPushService } from '../support/localPushService';
import { redisServerAvailable } from '../support/redisServer';
import { request, type ClientSocket } from '../support/socketClient';
import { pairByCode, redisClusterPerTest, startNode } from './cluster';

const env = { PUSH_ALLOW_LOOPBACK_ENDPOINTS: 'true', REMINDER_TICK_SECONDS: '0' };

/** A review day whose reminder hour (09:00 by the server's clock) has come. */
function dueDay(): string {
  const now = Date.now();
  return new Date(now).getHours() >= 9 ? dayOf(now) : dayOf(now - 24 * 60 * 60 * 1000);
}

/**
 * Reminders with two nodes over one Redis: the nodes, started at the same moment, agree on one
 * VAPID key; a reminder is sent exactly once per device however many nodes tick at once, and a
 * node started again on the same store does not send it again.
 */
describe.skipIf(!redisServerAvailable())('reminders across nodes', () => {
  const cluster = redisClusterPerTest();
  let push: LocalPushService;
  beforeEach(async () => {
    push = await startLocalPushService();
  });
  afterEach(async () => {
    await push.close();
  });

  async function subscribe(socket: ClientSocket) {
    const device = push.subscribe();
    expect(await request(socket, 'push:subscribe', { ...device, show: 'neutral', kinds: ['reviews'] })).toMatchObject({ ok: true });
    return device;
  }

  it('each reminder is sent exactly once per device, by whichever node claims it, also after a restart', async () => {
    const [one, two] = await cluster.startNodes(2, { env });
    expect(one!.app.reminders.publicKey).toBe(two!.app.reminders.publicKey);
    const { a, b } = await pairByCode(one!.url, two!.url, cluster.sockets);
    await subscribe(a);
    await subscribe(b);
    expect(await request(a, 'agreement:propose', { title: 'We walk before we talk', category: 'communication', reviewOn: dueDay() })).toMatchObject({ ok: true });

    const reports = await Promise.all([one!.app.reminders.tick(), two!.app.reminders.tick(), one!.app.reminders.tick(), two!.app.reminders.tick()]);
    // a tick asked for while one runs on that node joins it: count each node's pass once
    expect([...new Set(reports)].reduce((n, r) => n + r.sent, 0)).toBe(2);
    expect(push.received).toHaveLength(2);
    expect(new Set(push.received.map((m) => m.path)).size).toBe(2);

    // node one goes away and comes back on the same store: it remembers what was sent
    const prefix = one!.storage.keys.prefix;
    await one!.close();
    const again = await startNode(cluster.redis.url, prefix, { env });
    cluster.nodes.push(again);
    expect(again.app.reminders.publicKey).toBe(two!.app.reminders.publicKey);
    expect(await again.app.reminders.tick()).toMatchObject({ sent: 0, alreadySent: 2 });

    // a new review date: sent once more to each device, by the restarted node or the other
    expect(await request(b, 'agreement:propose', { title: 'We say goodnight', category: 'communication', reviewOn: dueDay() })).toMatchObject({ ok: true });
    const later = await Promise.all([again.app.reminders.tick(), two!.app.reminders.tick()]);
    expect(later.reduce((n, r) => n + r.sent, 0)).toBe(2);
    expect(push.received).toHaveLength(4);
    for (const message of push.received) expect(message.payload).toMatchObject({ title: 'Common Ground', body: 'A reminder' });
  });
});
