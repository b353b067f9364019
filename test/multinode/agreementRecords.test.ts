import { describe, expect, it } from 'vitest';
import { findAgreement, readDraft, setAgreementText } from '../../shared/agreements';
import type { AgreementRecordsView } from '../../shared/protocol/agreements';
import { redisServerAvailable } from '../support/redisServer';
import { connectClient, createRoomOverHttp, nextEvent, request } from '../support/socketClient';
import { YjsDocClient } from '../support/yjsDocClient';
import { type InProcessNode, redisClusterPerTest } from './cluster';

/**
 * The agreements record across nodes: each node serialises a room's commands only among its own
 * sockets, so two partners on two nodes accepting at the same moment meet at the record's
 * compare-and-set in Redis. Neither acceptance may be lost, and each node's sockets hear the
 * record that results.
 */
describe.skipIf(!redisServerAvailable())('agreements on the record across nodes', () => {
  const cluster = redisClusterPerTest();

  it('[AR2] partners on two nodes accepting at the same moment, 10 rounds of new words: every round a commitment, the old ones in the history', async () => {
    await cluster.startNodes(2);
    const [one, two] = cluster.nodes as [InProcessNode, InProcessNode];
    const created = await createRoomOverHttp(one.url, 'Sam');
    const claimer = await connectClient(two.url);
    const claimed = await request<{ roomId: string; deviceToken: string }>(claimer, 'code:claim', { code: created.code.code, displayName: 'Alex', acceptedGroundRules: true });
    claimer.disconnect();
    if (!claimed.ok) throw new Error(claimed.error.code);
    const a = await YjsDocClient.connect(one.url, { roomId: created.roomId, deviceToken: created.deviceToken });
    const b = await YjsDocClient.connect(two.url, { roomId: claimed.roomId, deviceToken: claimed.deviceToken });
    cluster.clients.push(a, b);

    const proposed = await request<{ agreementId: string }>(a.socket, 'agreement:propose', { title: 'We take a walk', category: 'time-together' });
    if (!proposed.ok) throw new Error(proposed.error.code);
    const id = proposed.agreementId;
    await b.waitFor((doc) => findAgreement(doc, id) !== null);

    const rounds = 10;
    for (let round = 0; round < rounds; round++) {
      const words = `Round ${round}: every Saturday.`;
      setAgreementText(a.doc, id, 'body', words);
      await a.settled();
      await b.waitFor((doc) => readDraft(doc, id)?.body === words);
      const heardOnTwo = nextEvent<AgreementRecordsView>(b.socket, 'agreements:records', (r) => r.commitments[0]?.body === words);
      const heardOnOne = nextEvent<AgreementRecordsView>(a.socket, 'agreements:records', (r) => r.commitments[0]?.body === words);
      const [x, y] = await Promise.all([
        request(a.socket, 'agreement:accept', { agreementId: id }),
        request(b.socket, 'agreement:accept', { agreementId: id }),
      ]);
      expect([x.ok, y.ok]).toEqual([true, true]);
      const [onTwo, onOne] = await Promise.all([heardOnTwo, heardOnOne]);
      expect(onTwo).toEqual(onOne);
      expect(onTwo.acceptances).toEqual([]);
      expect(onTwo.history).toHaveLength(round);
    }
  });
});
