import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SessionEventsMessage, SessionView } from '../../shared/protocol/sessions';
import { freshPrefix, startNode, type InProcessNode } from '../multinode/cluster';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redisServer';
import { closeAll, join, ok, pairUp, send, state } from '../support/sessionClient';
import { connectClient, nextEvent, type ClientSocket } from '../support/socketClient';

/**
 * Guided sessions on two nodes sharing one real redis-server: the turn state's compare-and-set
 * is a Lua script there, so two moves that cannot both happen still end with one winner when
 * they arrive at different nodes at the same moment.
 */
describe.skipIf(!redisServerAvailable())('guided sessions on two nodes', () => {
  let redis: RedisServer;
  let nodes: InProcessNode[] = [];
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.destroy();
  });
  afterEach(async () => {
    closeAll(sockets);
    for (const n of nodes.splice(0)) await n.close();
  });

  /** A started session whose partners sit on different nodes: A on the first, B on the second. */
  async function startedOnTwoNodes(packId: string, mode: 'aloud' | 'write') {
    const prefix = freshPrefix();
    nodes = await Promise.all([startNode(redis.url, prefix), startNode(redis.url, prefix)]);
    const [one, two] = nodes as [InProcessNode, InProcessNode];
    const p = await pairUp(one.url, two.url);
    sockets.push(...p.sockets);
    await ok(p.a, { type: 'propose', packId, mode });
    await ok(p.b, { type: 'accept' });
    return { one, two, p };
  }

  it('simultaneous floor moves on two nodes: exactly one is accepted, every time', async () => {
    const { one, two, p } = await startedOnTwoNodes('turning-the-page', 'aloud');
    const s = await state(p.a);
    if (s.phase !== 'active' || s.step.kind !== 'speaker-listener') throw new Error('expected a speaker-listener step');
    // The speaker's second device is on the other node.
    const speakerSeat = s.step.speaker;
    const speakerHere = p.socketOf(speakerSeat);
    const speakerThere = await connectClient(speakerSeat === 'A' ? two.url : one.url);
    sockets.push(speakerThere);
    await join(speakerThere, p.roomId, p.tokens[speakerSeat]);
    const listener = p.socketOf(speakerSeat === 'A' ? 'B' : 'A');

    for (let round = 0; round < 8; round++) {
      const before = (await state(listener)).version;
      const handOver = await Promise.all([send(speakerHere, { type: 'passToReflect' }), send(speakerThere, { type: 'passToReflect' })]);
      expect(handOver.filter((r) => r.ok)).toHaveLength(1);
      expect(handOver.find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: 'WRONG_PHASE' } });
      await ok(listener, { type: 'reflect' });
      // "That's it" on one node against "not quite" on the other: one of them, never both.
      const check = await Promise.all([
        send(speakerHere, { type: 'notQuite', backTo: 'speak' }),
        send(speakerThere, { type: 'notQuite', backTo: 'speak' }),
      ]);
      expect(check.filter((r) => r.ok)).toHaveLength(1);
      const after = await state(listener);
      expect(after.version).toBe(before + 3);
      expect(after.phase === 'active' && after.step.kind === 'speaker-listener' && after.step.sub).toBe('speak');
    }
  });

  it('a time-out called on one node reaches the partner on the other, who is told who called it; the room-wide event names nobody', async () => {
    const { p } = await startedOnTwoNodes('weekly-check-in', 'write');
    const seenByB = nextEvent<SessionView>(p.b, 'session:state', (v) => v.state.phase === 'paused');
    const eventSeenByB = nextEvent<SessionEventsMessage>(p.b, 'session:events', (m) => m.events.some((e) => e.type === 'paused'));
    await ok(p.a, { type: 'pause', minutes: 10, untilLabel: '18:30' });
    const paused = (await seenByB).state;
    // The partner reads "Alex is taking a break until 18:30" (issue 23).
    expect(paused.phase === 'paused' && [paused.pause.by, paused.pause.untilLabel]).toEqual(['A', '18:30']);
    const event = (await eventSeenByB).events.find((e) => e.type === 'paused');
    expect(event).toEqual({ type: 'paused', until: expect.any(Number), untilLabel: '18:30' });
    const own = await state(p.a);
    expect(own.phase === 'paused' && own.pause.by).toBe('A');
  });
});
