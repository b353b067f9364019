import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { RoomView } from '../../shared/protocol/rooms';
import { createRedisClient } from '../../server/storage/redis/redisClient';
import { createRedisStorage } from '../../server/storage/redis/redisStorage';
import { redisServerAvailable } from '../support/redisServer';
import { connectClient, createRoomOverHttp, nextEvent, request } from '../support/socketClient';
import { YjsDocClient } from '../support/yjsDocClient';
import { claimCode, errorLog, freshPrefix, type InProcessNode, join, pairByCode, redisClusterPerTest, restored, seatsOf, startNode } from './cluster';

/** Resolves once `client` received `message` on the sharded `channel`, or with null after `ms`. */
function received(client: ReturnType<typeof createRedisClient>, channel: string, ms: number): Promise<string | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    client.once('smessage', (ch: string, message: string) => {
      if (ch !== channel) return;
      clearTimeout(timer);
      resolve(message);
    });
  });
}

async function ready(client: ReturnType<typeof createRedisClient>): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve) => client.once('ready', () => resolve()));
}

const text = (doc: Y.Doc) => doc.getText('t').toString();

/**
 * Redis restarts (SIGKILL, then the same port and folder, append-only file with fsync on every
 * write): acknowledged data is still there, nodes get their subscriptions back, and each node
 * catches up what it missed once they are.
 */
describe.skipIf(!redisServerAvailable())('Redis restart', () => {
  const cluster = redisClusterPerTest({ appendOnly: true, appendFsync: 'always' });
  const { sockets, clients } = cluster;

  async function crashAndRestart(): Promise<void> {
    await cluster.redis.kill();
    await cluster.redis.restart();
  }

  it('the client choice: ioredis subscribes again to sharded channels after a restart (autoResubscribe); without it the subscription is lost', async () => {
    const withResubscribe = createRedisClient(cluster.redis.url);
    const without = createRedisClient(cluster.redis.url, { autoResubscribe: false });
    const publisher = createRedisClient(cluster.redis.url);
    try {
      await withResubscribe.ssubscribe('cg-test:channel');
      await without.ssubscribe('cg-test:channel');
      await crashAndRestart();
      await Promise.all([ready(withResubscribe), ready(without), ready(publisher)]);
      // `ready` comes before ioredis sends SSUBSCRIBE again: a command sent after it on the same
      // connection is answered after it (what the node's own signal relies on).
      await withResubscribe.ssubscribe('cg-test:probe');
      const [, subscribers] = (await publisher.pubsub('SHARDNUMSUB', 'cg-test:channel')) as [string, number];
      expect(subscribers).toBe(1);
      const got = received(withResubscribe, 'cg-test:channel', 2000);
      const lost = received(without, 'cg-test:channel', 300);
      await publisher.spublish('cg-test:channel', 'after restart');
      expect(await got).toBe('after restart');
      expect(await lost).toBeNull();
    } finally {
      withResubscribe.disconnect();
      without.disconnect();
      publisher.disconnect();
    }
  });

  it('acknowledged store writes survive a SIGKILL of redis-server', async () => {
    const storage = await createRedisStorage(cluster.redis.url, { prefix: freshPrefix() });
    try {
      for (let i = 0; i < 50; i++) await storage.docs.append('room-1', 'agreements', new Uint8Array([i]));
      expect(await storage.turns.compareAndSet('room-1', 0, { version: 1, state: { phase: 'SPEAK' } })).toBe(true);
      await storage.roomLogs.append('room-1', 's1', { said: 'x' });
      await crashAndRestart();
      expect((await storage.docs.load('room-1', 'agreements')).map((u) => u[0])).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(await storage.turns.get('room-1')).toEqual({ version: 1, state: { phase: 'SPEAK' } });
      expect(await storage.roomLogs.list('room-1', 's1')).toEqual([{ said: 'x' }]);
    } finally {
      await storage.close();
    }
  });

  it('a node says its subscriptions are back only once Redis holds them again', async () => {
    const prefix = freshPrefix();
    cluster.nodes = [await startNode(cluster.redis.url, prefix)];
    const [one] = cluster.nodes as [InProcessNode];
    const probe = createRedisClient(cluster.redis.url);
    try {
      const back = restored(one);
      await crashAndRestart();
      await back;
      const [, count] = (await probe.pubsub('SHARDNUMSUB', `${prefix}sio#/#`)) as [string, number];
      expect(count).toBe(1);
    } finally {
      probe.disconnect();
    }
  });

  it('two nodes carry on after the restart: the room and seats are kept, presence crosses nodes again', async () => {
    const [one, two] = (await cluster.startNodes(2)) as [InProcessNode, InProcessNode];
    const { a, b, claimed } = await pairByCode(one.url, two.url, sockets);

    const back = Promise.all([restored(one), restored(two)]);
    await crashAndRestart();
    await back;

    // B's node asks A's node for its sockets and broadcasts to A, both by pub/sub.
    const seenByA = nextEvent<RoomView>(a, 'room:state', (v) => v.seats.find((s) => s.seat === 'B')?.presence === 'away');
    expect((await request(b, 'presence:set', { presence: 'away' })).ok).toBe(true);
    expect(seatsOf(await seenByA)).toEqual([
      ['A', 'Sam', 'here'],
      ['B', 'Alex', 'away'],
    ]);
    // Nothing acknowledged was lost: both seats, bound to their device tokens.
    const b2 = await connectClient(one.url);
    sockets.push(b2);
    expect(seatsOf(await join(b2, claimed.roomId, claimed.deviceToken)).map(([seat, name]) => [seat, name])).toEqual([
      ['A', 'Sam'],
      ['B', 'Alex'],
    ]);
  });

  it('two nodes typing through a SIGKILL of Redis: a fresh device on each node holds every acknowledged edit, 20 runs in a row, no error logged', async () => {
    const RUNS = 20;
    // Enough edits per run that both nodes compact the shared log (every 200 appends) around the crash.
    const EDITS_PER_SIDE = 150;
    const prefix = freshPrefix();
    const logs = [errorLog(), errorLog()];
    // This script sends one update per edit, where the app batches a person's keystrokes every
    // 80 ms: the per-second event limits are raised so that they are not what the run measures.
    const env = { EVENTS_PER_SECOND: '100000', EVENTS_PER_SECOND_PER_ADDRESS: '100000' };
    cluster.nodes = await Promise.all(logs.map(({ log }) => startNode(cluster.redis.url, prefix, { log, env })));
    const [one, two] = cluster.nodes as [InProcessNode, InProcessNode];
    const failures: string[] = [];
    const started = performance.now();

    for (let run = 0; run < RUNS; run++) {
      const created = await createRoomOverHttp(one.url, 'Sam');
      const claimer = await connectClient(two.url);
      const claimed = await claimCode(claimer, created.code.code, 'Alex');
      claimer.disconnect();
      const seats = { a: { roomId: created.roomId, deviceToken: created.deviceToken }, b: { roomId: claimed.roomId, deviceToken: claimed.deviceToken } };
      const a = await YjsDocClient.connect(one.url, seats.a);
      const b = await YjsDocClient.connect(two.url, seats.b);
      clients.push(a, b);

      // Each side types its own marked edits, one update each; Redis dies a third of the way in
      // and comes back while they keep typing.
      const typed: string[] = [];
      const type = (client: YjsDocClient, side: string, i: number) => {
        const edit = `${side}${run}.${i};`;
        client.doc.getText('t').insert(client.doc.getText('t').length, edit);
        typed.push(edit);
      };
      const back = Promise.all([restored(one), restored(two)]);
      for (let i = 0; i < EDITS_PER_SIDE; i++) {
        type(a, 'a', i);
        type(b, 'b', i);
        if (i === Math.floor(EDITS_PER_SIDE / 3)) void cluster.redis.kill().then(() => cluster.redis.restart());
        await new Promise((resolve) => setImmediate(resolve));
      }
      await back;
      // Every edit acknowledged: durable in Redis.
      await Promise.all([a.settled(), b.settled()]);
      expect([...a.refusals, ...b.refusals]).toEqual([]);

      const freshOnOne = await YjsDocClient.connect(one.url, seats.b);
      const freshOnTwo = await YjsDocClient.connect(two.url, seats.a);
      clients.push(freshOnOne, freshOnTwo);
      for (const [name, fresh] of [['node one', freshOnOne], ['node two', freshOnTwo]] as const) {
        const holdsAll = (doc: Y.Doc) => typed.every((edit) => text(doc).includes(edit));
        // The node relays what it catches up from the store to its holders as it comes.
        await fresh.waitFor(holdsAll, 15_000).catch(() => undefined);
        const missing = typed.filter((edit) => !text(fresh.doc).includes(edit)).length;
        if (missing > 0) failures.push(`run ${run + 1}: a fresh device on ${name} lacks ${missing} of ${typed.length} acknowledged edits`);
      }
      for (const c of clients.splice(0)) c.close();
    }

    const seconds = (performance.now() - started) / 1000;
    console.info(`Redis SIGKILL while two nodes type: ${RUNS - new Set(failures.map((f) => f.split(':')[0])).size} of ${RUNS} runs passed in ${seconds.toFixed(1)} s`);
    expect(failures).toEqual([]);
    expect(logs.flatMap(({ lines }) => lines)).toEqual([]);
  }, 300_000);
});
