import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { redisServerAvailable } from '../support/redisServer';
import { claimSeat, connectClient, createRoomOverHttp } from '../support/socketClient';
import { YjsDocClient } from '../support/yjsDocClient';
import { freshPrefix, redisClusterPerTest, startNode, type InProcessNode } from './cluster';

const text = (doc: Y.Doc) => doc.getText('t').toString();
const named = (name: string) => (states: Map<number, Record<string, unknown>>) =>
  [...states.values()].some((s) => (s as { user?: { name?: string } }).user?.name === name);


async function pairAcross(first: string, second: string) {
  const created = await createRoomOverHttp(first, 'Sam');
  const claimer = await connectClient(second);
  const claimed = await claimSeat(claimer, created, { by: 'code' });
  claimer.disconnect();
  return {
    a: { roomId: created.roomId, deviceToken: created.deviceToken },
    b: { roomId: claimed.roomId, deviceToken: claimed.deviceToken },
  };
}

describe.skipIf(!redisServerAvailable())('the agreements document across nodes', () => {
  const cluster = redisClusterPerTest({ appendOnly: true });
  const { clients } = cluster;

  async function doc(url: string, credentials: { roomId: string; deviceToken: string }) {
    const client = await YjsDocClient.connect(url, credentials);
    clients.push(client);
    return client;
  }

  it('[RD-14] two partners on two nodes co-edit at the same time and converge', async () => {
    const [one, two] = (await cluster.startNodes(2)) as [InProcessNode, InProcessNode];
    const seats = await pairAcross(one.url, two.url);
    const a = await doc(one.url, seats.a);
    const b = await doc(two.url, seats.b);

    for (let i = 0; i < 20; i++) {
      a.doc.getText('t').insert(0, 'a');
      b.doc.getText('t').insert(b.doc.getText('t').length, 'b');
    }
    await Promise.all([a.settled(), b.settled()]);
    await a.waitFor((d) => text(d).length === 40);
    await b.waitFor((d) => text(d).length === 40);
    expect(text(a.doc)).toBe(text(b.doc));

    // A third device of the room arriving on the second node gets everything, including what
    // the first node applied while the second held the document in memory.
    const late = await doc(two.url, seats.a);
    expect(text(late.doc)).toBe(text(a.doc));
  });

  it("[RD-17] a device opening the agreements on one node sees, at once, the presence of a partner on the other, and sees it go", async () => {
    const [one, two] = (await cluster.startNodes(2)) as [InProcessNode, InProcessNode];
    const seats = await pairAcross(one.url, two.url);
    const a = await doc(one.url, seats.a);
    a.awareness.setLocalStateField('user', { name: 'Sam' });
    await a.settled();
    // The second node loads the document for B and asks the first who is present; B is answered
    // well inside the 15 s after which A's device would renew its presence by itself.
    const b = await doc(two.url, seats.b);
    await b.waitForAwareness(named('Sam'), 3_000);
    // And the other way: B's presence reaches A, and a third device of B's on the first node
    // finds both already there.
    b.awareness.setLocalStateField('user', { name: 'Alex' });
    await a.waitForAwareness(named('Alex'), 3_000);
    const late = await doc(one.url, seats.b);
    await late.waitForAwareness((states) => named('Sam')(states) && named('Alex')(states), 3_000);
    a.close();
    await b.waitForAwareness((states) => !named('Sam')(states), 3_000);
  });
});

describe.skipIf(!redisServerAvailable())('the agreements document through a Redis restart', () => {
  const cluster = redisClusterPerTest({ appendOnly: true, appendFsync: 'always' });
  const { clients } = cluster;

  it('[RD-15] keeps every acknowledged update through a SIGKILL of Redis, and co-editing across nodes carries on', async () => {
    const prefix = freshPrefix();
    cluster.nodes = await Promise.all([startNode(cluster.redis.url, prefix), startNode(cluster.redis.url, prefix)]);
    const [one, two] = cluster.nodes as [InProcessNode, InProcessNode];
    const seats = await pairAcross(one.url, two.url);
    const a = await YjsDocClient.connect(one.url, seats.a);
    const b = await YjsDocClient.connect(two.url, seats.b);
    clients.push(a, b);
    for (let i = 0; i < 10; i++) a.doc.getText('t').insert(a.doc.getText('t').length, `before${i};`);
    await a.settled();
    const acknowledged = text(a.doc);

    await cluster.redis.kill();
    await cluster.redis.restart();

    // Nothing acknowledged was lost: a node started after the restart holds nothing in memory
    // and loads the document from Redis alone.
    const three = await startNode(cluster.redis.url, prefix);
    cluster.nodes.push(three);
    const fresh = await YjsDocClient.connect(three.url, seats.b);
    clients.push(fresh);
    expect(text(fresh.doc).startsWith(acknowledged)).toBe(true);

    // And the two nodes carry on: an edit on the first node reaches the partner on the second.
    a.doc.getText('t').insert(a.doc.getText('t').length, 'after;');
    await a.settled();
    await b.waitFor((d) => text(d).endsWith('after;'), 15_000);
  });
});

describe.skipIf(!redisServerAvailable())('losing a node while editing', () => {
  const cluster = redisClusterPerTest({ appendOnly: true });
  const { clients } = cluster;

  it('[RD-10] SIGKILL of the node an editor is on loses no acknowledged update', async () => {
    const { doomed, survivor, proxy } = await cluster.startDoomedAndSurvivor();
    const seats = await pairAcross(proxy.url, survivor.url);
    const a = await YjsDocClient.connect(proxy.url, seats.a);
    const b = await YjsDocClient.connect(survivor.url, seats.b);
    clients.push(a, b);

    for (let i = 0; i < 30; i++) a.doc.getText('t').insert(a.doc.getText('t').length, `${i};`);
    await a.settled();
    const acknowledged = text(a.doc);

    proxy.target = survivor.port;
    await doomed.kill();
    proxy.dropAll();

    // The partner on the surviving node has every acknowledged edit, and so does a fresh device.
    await b.waitFor((d) => text(d) === acknowledged);
    const fresh = await YjsDocClient.connect(survivor.url, seats.b);
    clients.push(fresh);
    expect(text(fresh.doc)).toBe(acknowledged);
  });
});
