import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createRedisClient } from '../../server/storage/redis/redisClient';
import { redisServerAvailable } from '../support/redisServer';
import { counsellorEnters, createModeratedRoom, partnerJoins, registerCounsellor } from '../support/counsellorKit';
import { nextEvent, request, type ClientSocket } from '../support/socketClient';
import { YjsDocClient } from '../support/yjsDocClient';
import { type InProcessNode, redisClusterPerTest } from './cluster';

/** What people wrote or are called, each a string found nowhere else. */
const MARKERS = {
  nameA: 'Jomarkerzq',
  nameB: 'Raemarkerzq',
  label: 'Label-marker-zq',
  agreement: 'AGREEMENT-TEXT-MARKER-ZQ',
  notes: 'COUNSELLOR-NOTES-MARKER-ZQ',
  privateLine: 'PRIVATE-LINE-MARKER-ZQ',
  spoken: 'SPOKEN-TEXT-MARKER-ZQ',
};

async function ok(socket: ClientSocket, event: string, payload: unknown): Promise<Record<string, unknown>> {
  const res = await request(socket, event, payload);
  if (!res.ok) throw new Error(`${event} refused: ${res.error.code}`);
  return res;
}

/** Every key name and every value in the whole Redis, streams entry by entry, as raw bytes. */
async function everything(redis: Redis): Promise<Buffer> {
  const parts: Buffer[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scanBuffer(cursor, 'COUNT', 1000);
    cursor = next.toString();
    for (const key of keys) {
      parts.push(key);
      const type = await redis.type(key);
      if (type === 'string') parts.push((await redis.getBuffer(key)) ?? Buffer.alloc(0));
      else if (type === 'list') parts.push(...(await redis.lrangeBuffer(key, 0, -1)));
      else if (type === 'hash') for (const [field, value] of Object.entries(await redis.hgetallBuffer(key))) parts.push(Buffer.from(field), value);
      else if (type === 'set') parts.push(...(await redis.smembersBuffer(key)));
      else if (type === 'zset') parts.push(...(await redis.zrangeBuffer(key, '0', '-1')));
      else if (type === 'stream') {
        for (const [id, fields] of await redis.xrangeBuffer(key, '-', '+')) parts.push(id, ...fields);
      } else throw new Error(`a key of type ${type} this test does not read`);
    }
  } while (cursor !== '0');
  return Buffer.concat(parts);
}

const found = (haystack: Buffer) => Object.values(MARKERS).filter((marker) => haystack.includes(marker));

describe.skipIf(!redisServerAvailable())('nothing of a deleted room is left in Redis (two nodes)', () => {
  const cluster = redisClusterPerTest();
  const { sockets, clients } = cluster;

  it('after a moderated session across two nodes and the deletion of its room, no key and no stream entry holds any of it', async () => {
    await cluster.startNodes(2);
    const [one, two] = cluster.nodes as [InProcessNode, InProcessNode];
    const counsellor = await registerCounsellor(one.url);
    sockets.push(counsellor.socket);
    const created = await createModeratedRoom(counsellor, MARKERS.label);
    const roomId = created.room.roomId;
    const a = await partnerJoins(one.url, created, 'A', MARKERS.nameA);
    const b = await partnerJoins(two.url, created, 'B', MARKERS.nameB);
    sockets.push(a.socket, b.socket);
    const seat = await counsellorEnters(two.url, counsellor, roomId);
    sockets.push(seat);

    // The agreements, written on one node and read on the other; the counsellor's notes.
    const writer = await YjsDocClient.connect(one.url, { roomId, deviceToken: a.deviceToken });
    const reader = await YjsDocClient.connect(two.url, { roomId, deviceToken: b.deviceToken });
    const notes = await YjsDocClient.connect(two.url, { roomId, deviceToken: counsellor.key }, 'counsellor-notes');
    clients.push(writer, reader, notes);
    writer.doc.getText('t').insert(0, MARKERS.agreement);
    notes.doc.getXmlFragment('default').insert(0, [new Y.XmlText(MARKERS.notes)]);
    await Promise.all([writer.settled(), notes.settled()]);
    await reader.waitFor((doc) => doc.getText('t').toString().includes(MARKERS.agreement));

    // A private line from the partner on the second node to the counsellor on the first.
    const line = nextEvent<{ text: string }>(counsellor.socket, 'counsellor:privateLine');
    await ok(b.socket, 'privateLine:send', { choice: 'slowDown', text: MARKERS.privateLine });
    expect((await line).text).toBe(MARKERS.privateLine);

    // A written session, left running: what B says is in the transcript.
    const packs = (await ok(seat, 'session:packs', {})).packs as Array<{ id: string; steps: Array<{ kind: string }> }>;
    const pack = packs.find((p) => p.steps.some((s) => s.kind === 'speaker-listener'))!;
    await ok(seat, 'session:command', { type: 'choosePack', packId: pack.id, mode: 'write' });
    await ok(a.socket, 'session:command', { type: 'accept' });
    await ok(b.socket, 'session:command', { type: 'accept' });
    for (let i = 0; i < pack.steps.length; i++) {
      const { session } = (await ok(seat, 'session:sync', {})) as { session: { state: { phase: string; step: { kind: string } } } };
      if (session.state.step.kind === 'speaker-listener') break;
      await ok(seat, 'session:command', { type: 'skipStep' });
    }
    await ok(seat, 'session:command', { type: 'grantFloor', seat: 'B' });
    const spoken = nextEvent<{ entries: Array<{ text: string }> }>(a.socket, 'session:transcript', (t) =>
      t.entries.some((e) => e.text === MARKERS.spoken),
    );
    await ok(b.socket, 'session:command', { type: 'speak', text: MARKERS.spoken });
    await spoken;

    // The search finds what is there: every marker is in Redis before the deletion.
    const probe = createRedisClient(cluster.redis.url);
    try {
      expect(found(await everything(probe)).sort()).toEqual(Object.values(MARKERS).sort());

      const deleted = nextEvent(reader.socket, 'room:deleted');
      await ok(a.socket, 'room:delete', { confirmRoomId: roomId });
      await deleted;
      // Both nodes stop: whatever they still held or had in flight is written or refused by now.
      for (const c of clients.splice(0)) c.close();
      for (const n of cluster.nodes.splice(0)) await n.close();

      expect(found(await everything(probe))).toEqual([]);
    } finally {
      probe.disconnect();
    }
  });
});
