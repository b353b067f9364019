import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RoomView } from '../../shared/protocol/rooms';
import { createRedisClient } from '../../server/storage/redis/redisClient';
import { createRedisStorage } from '../../server/storage/redis/redisStorage';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redisServer';
import { connectClient, createRoomOverHttp, nextEvent, request, type ClientSocket } from '../support/socketClient';
import { claimCode, freshPrefix, join, seatsOf, startNode, type InProcessNode } from './cluster';

/** Resolves once `client` received `message` on `channel`, or with null after `ms`. */
function received(client: ReturnType<typeof createRedisClient>, channel: string, ms: number): Promise<string | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    client.once('message', (ch: string, message: string) => {
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

/**
 * Redis restarts (SIGKILL, then the same port and folder, append-only file with fsync on every
 * write): acknowledged data is still there, and nodes get their subscriptions back.
 */
describe.skipIf(!redisServerAvailable())('Redis restart', () => {
  let redis: RedisServer;
  let nodes: InProcessNode[] = [];
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    redis = await startRedisServer({ appendOnly: true, appendFsync: 'always' });
  });
  afterAll(async () => {
    await redis?.destroy();
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    for (const n of nodes.splice(0)) await n.close();
  });

  async function crashAndRestart(): Promise<void> {
    await redis.kill();
    await redis.restart();
  }

  it('the client choice: ioredis re-subscribes after a restart (autoResubscribe); without it the subscription is lost', async () => {
    const withResubscribe = createRedisClient(redis.url);
    const without = createRedisClient(redis.url, { autoResubscribe: false });
    const publisher = createRedisClient(redis.url);
    try {
      await withResubscribe.subscribe('cg-test:channel');
      await without.subscribe('cg-test:channel');
      await crashAndRestart();
      await Promise.all([ready(withResubscribe), ready(without), ready(publisher)]);
      // `ready` fires after ioredis has re-issued SUBSCRIBE; NUMSUB shows what Redis really holds.
      const [, subscribers] = (await publisher.pubsub('NUMSUB', 'cg-test:channel')) as [string, number];
      expect(subscribers).toBe(1);
      const got = received(withResubscribe, 'cg-test:channel', 2000);
      const lost = received(without, 'cg-test:channel', 300);
      await publisher.publish('cg-test:channel', 'after restart');
      expect(await got).toBe('after restart');
      expect(await lost).toBeNull();
    } finally {
      withResubscribe.disconnect();
      without.disconnect();
      publisher.disconnect();
    }
  });

  it('acknowledged store writes survive a SIGKILL of redis-server', async () => {
    const storage = await createRedisStorage(redis.url, { prefix: freshPrefix() });
    try {
      for (let i = 0; i < 50; i++) await storage.docs.append('room-1', 'agreements', new Uint8Array([i]));
      expect(await storage.turns.compareAndSet('room-1', 0, { version: 1, state: { phase: 'SPEAK' } })).toBe(true);
      await storage.transcripts.append('room-1', 's1', { said: 'x' });
      await crashAndRestart();
      expect((await storage.docs.load('room-1', 'agreements')).map((u) => u[0])).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(await storage.turns.get('room-1')).toEqual({ version: 1, state: { phase: 'SPEAK' } });
      expect(await storage.transcripts.list('room-1', 's1')).toEqual([{ said: 'x' }]);
    } finally {
      await storage.close();
    }
  });

  it('two nodes carry on after the restart: the room and seats are kept, presence crosses nodes again', async () => {
    const prefix = freshPrefix();
    nodes = await Promise.all([startNode(redis.url, prefix), startNode(redis.url, prefix)]);
    const [one, two] = nodes as [InProcessNode, InProcessNode];
    const created = await createRoomOverHttp(one.url, 'Sam');
    const a = await connectClient(one.url);
    const b = await connectClient(two.url);
    sockets.push(a, b);
    await join(a, created.roomId, created.deviceToken);
    const claimed = await claimCode(b, created.code.code, 'Alex');
    await join(b, claimed.roomId, claimed.deviceToken);

    await crashAndRestart();
    // Wait for the condition itself: both nodes' adapters subscribed again to the shared channel.
    const probe = createRedisClient(redis.url);
    try {
      const channel = `${prefix}sio#/#`;
      const deadline = Date.now() + 10_000;
      for (;;) {
        const [, count] = (await probe.pubsub('NUMSUB', channel)) as [string, number];
        if (count === 2) break;
        if (Date.now() > deadline) throw new Error(`after the restart ${count} of 2 nodes subscribed again`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      probe.disconnect();
    }

    // B's node asks A's node for its sockets (pub/sub) and broadcasts (stream) to A.
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
});
