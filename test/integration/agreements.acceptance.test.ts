import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { contentHash, dayOf, findAgreement, readAgreements, readDraft, setAgreementText } from '../../shared/agreements';
import type { AgreementRecordsView } from '../../shared/protocol/agreements';
import { counsellorEnters, createModeratedRoom, partnerJoins, registerCounsellor } from '../support/counsellorKit';
import { serverPerTest } from '../support/serverPerTest';
import { claimSeat, connectClient, createRoomOverHttp, nextEvent, request, type ClientSocket } from '../support/socketClient';
import { syncUpdateMessage } from '../support/syncMessages';
import { YjsDocClient } from '../support/yjsDocClient';

/**
 * Acceptances and commitments are server records (shared/agreements/records.ts): whatever a
 * device writes into the agreements document, what every screen reads from the records is
 * unchanged. Each attack is sent as a script would: crafted Yjs updates, raw payloads.
 */

const { server, sockets, clients } = serverPerTest();
const today = () => dayOf(Date.now());

interface Pair {
  a: YjsDocClient;
  b: YjsDocClient;
  credentials: { A: { roomId: string; deviceToken: string }; B: { roomId: string; deviceToken: string } };
}

async function paired(): Promise<Pair> {
  const created = await createRoomOverHttp(server.url, 'Sam');
  const claimer = await connectClient(server.url);
  const claimed = await claimSeat(claimer, created, { by: 'code' });
  claimer.disconnect();
  const credentials = {
    A: { roomId: created.roomId, deviceToken: created.deviceToken },
    B: { roomId: claimed.roomId, deviceToken: claimed.deviceToken },
  };
  const a = await YjsDocClient.connect(server.url, credentials.A);
  const b = await YjsDocClient.connect(server.url, credentials.B);
  clients.push(a, b);
  return { a, b, credentials };
}

async function records(socket: ClientSocket): Promise<AgreementRecordsView> {
  const res = await request<{ records: AgreementRecordsView }>(socket, 'agreements:records', {});
  if (!res.ok) throw new Error(`records refused: ${res.error.code}`);
  return res.records;
}

async function propose(client: YjsDocClient, title: string, body = ''): Promise<string> {
  const res = await request<{ agreementId: string }>(client.socket, 'agreement:propose', { title, body, category: 'communication' });
  if (!res.ok) throw new Error(`propose refused: ${res.error.code}`);
  const id = res.agreementId;
  await client.waitFor((doc) => findAgreement(doc, id) !== null);
  return id;
}

/** A copy of the device's document whose changes are captured, not sent, to send by hand. */
function forgerOf(client: YjsDocClient): { doc: Y.Doc; capture: (change: (doc: Y.Doc) => void) => Uint8Array } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(client.doc));
  return {
    doc,
    capture(change) {
      const before = Y.encodeStateVector(doc);
      change(doc);
      return Y.encodeStateAsUpdate(doc, before);
    },
  };
}

function draftMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  const map = findAgreement(doc, id);
  if (!map) throw new Error('no draft');
  return map;
}

describe('[AR1] nothing written into the document is an acceptance', () => {
  it('a partner’s device writes an acceptances map holding {A, B} with the right hash: the records, and the other partner’s screen, say nobody agreed', async () => {
    const { a, b } = await paired();
    const id = await propose(a, 'We say when we need a pause');
    await b.waitFor((doc) => findAgreement(doc, id) !== null);
    const hash = contentHash(readDraft(a.doc, id)!);
    const forger = forgerOf(a);
    const update = forger.capture((doc) => {
      const forged = new Y.Map<unknown>();
      draftMap(doc, id).set('acceptances', forged);
      forged.set('A', { hash, at: Date.now() });
      forged.set('B', { hash, at: Date.now() });
    });
    expect((await a.sendRaw(syncUpdateMessage(update))).ok).toBe(true);
    // The forged map reached Alex's device as part of the document…
    await b.waitFor((doc) => draftMap(doc, id).has('acceptances'));
    // …and changes nothing anyone reads.
    const seen = await records(b.socket);
    expect(seen.acceptances).toEqual([]);
    expect(seen.commitments).toEqual([]);
    expect(readAgreements(b.doc, seen, today())[0]).toMatchObject({ id, state: 'draft', acceptedCurrent: { A: false, B: false } });
  });

  it('a commitment survives a device deleting the draft, the fields and the map entries it likes', async () => {
    const { a, b } = await paired();
    const id = await propose(a, 'Sundays are ours');
    await b.waitFor((doc) => findAgreement(doc, id) !== null);
    expect((await request(a.socket, 'agreement:accept', { agreementId: id })).ok).toBe(true);
    const agreed = await request<{ commitment: { title: string } | null }>(b.socket, 'agreement:accept', { agreementId: id });
    expect(agreed.ok && agreed.commitment?.title).toBe('Sundays are ours');

    const forger = forgerOf(a);
    const update = forger.capture((doc) => {
      const map = draftMap(doc, id);
      const index = doc.getArray('agreements').toArray().indexOf(map);
      for (const key of [...map.keys()]) map.delete(key);
      doc.getArray('agreements').delete(index, 1);
    });
    expect((await a.sendRaw(syncUpdateMessage(update))).ok).toBe(true);
    await b.waitFor((doc) => findAgreement(doc, id) === null);
    const seen = await records(b.socket);
    expect(seen.commitments).toMatchObject([{ agreementId: id, title: 'Sundays are ours' }]);
    expect(readAgreements(b.doc, seen, today())).toMatchObject([{ id, state: 'agreed', inDocument: false, title: 'Sundays are ours' }]);
  });

  it('the other seat’s entry sent before its parent (pending structs), then the parent: still nobody agreed', async () => {
    const { a, b } = await paired();
    const id = await propose(a, 'Phones away at dinner');
    await b.waitFor((doc) => findAgreement(doc, id) !== null);
    const hash = contentHash(readDraft(a.doc, id)!);
    const forger = forgerOf(a);
    const parent = forger.capture((doc) => draftMap(doc, id).set('acceptances', new Y.Map<unknown>()));
    const child = forger.capture((doc) => (draftMap(doc, id).get('acceptances') as Y.Map<unknown>).set('B', { hash, at: Date.now() }));
    // The child waits on the server for its parent; its ack comes once both are in.
    const childAck = a.sendRaw(syncUpdateMessage(child));
    expect((await records(b.socket)).acceptances).toEqual([]);
    const parentAck = a.sendRaw(syncUpdateMessage(parent));
    expect((await Promise.all([childAck, parentAck])).map((ack) => ack.ok)).toEqual([true, true]);
    await b.waitFor((doc) => (draftMap(doc, id).get('acceptances') as Y.Map<unknown> | undefined)?.has('B') === true);
    const seen = await records(b.socket);
    expect(seen.acceptances).toEqual([]);
    expect(readAgreements(b.doc, seen, today())[0]?.state).toBe('draft');
  });
});

describe('[AR1] agreement:accept records the sender’s own seat, of the server’s words', () => {
  it.each([
    { field: 'seat', extra: { seat: 'B' } },
    { field: 'hash', extra: { hash: 'f'.repeat(64) } },
    { field: 'at', extra: { at: 1 } },
  ])('a payload that also names $field is refused as INVALID_PAYLOAD and records nothing', async ({ extra }) => {
    const { a } = await paired();
    const id = await propose(a, 'We check in on Fridays');
    const res = await request(a.socket, 'agreement:accept', { agreementId: id, ...extra });
    expect(res.ok === false && res.error.code).toBe('INVALID_PAYLOAD');
    expect((await records(a.socket)).acceptances).toEqual([]);
  });

  it('an acceptance is the sender’s seat, dated by the server', async () => {
    const { a, b } = await paired();
    const id = await propose(a, 'We check in on Fridays');
    const broadcast = nextEvent<AgreementRecordsView>(b.socket, 'agreements:records', (r) => r.acceptances.length === 1);
    const before = Date.now();
    const res = await request<{ acceptance: { seat: string; at: number; hash: string } }>(b.socket, 'agreement:accept', { agreementId: id });
    expect(res.ok && res.acceptance.seat).toBe('B');
    expect(res.ok && res.acceptance.at).toBeGreaterThanOrEqual(before);
    expect((await broadcast).acceptances).toMatchObject([{ agreementId: id, seat: 'B' }]);
  });

  it('a device that changed its own copy without syncing accepts the server’s words, not its own', async () => {
    const { a, b, credentials } = await paired();
    const id = await propose(a, 'We say goodnight');
    await b.waitFor((doc) => findAgreement(doc, id) !== null);
    a.disconnect();
    setAgreementText(a.doc, id, 'title', 'We say goodnight, unless we are cross');
    // The same seat from another socket (as a script would), while the edit stays on the device.
    const second = await connectClient(server.url);
    sockets.push(second);
    expect((await request(second, 'room:join', credentials.A)).ok).toBe(true);
    const accepted = await request<{ acceptance: { hash: string } }>(second, 'agreement:accept', { agreementId: id });
    expect(accepted.ok && accepted.acceptance.hash).toBe(contentHash(readDraft(b.doc, id)!));
    const committed = await request<{ commitment: { title: string } | null }>(b.socket, 'agreement:accept', { agreementId: id });
    expect(committed.ok && committed.commitment?.title).toBe('We say goodnight');
  });

  it('an unknown agreement is AGREEMENT_NOT_FOUND; nothing to withdraw is NOTHING_TO_WITHDRAW', async () => {
    const { a } = await paired();
    const id = await propose(a, 'We say goodnight');
    const unknown = await request(a.socket, 'agreement:accept', { agreementId: 'no-such-agreement' });
    expect(unknown.ok === false && unknown.error.code).toBe('AGREEMENT_NOT_FOUND');
    const nothing = await request(a.socket, 'agreement:withdraw', { agreementId: id });
    expect(nothing.ok === false && nothing.error.code).toBe('NOTHING_TO_WITHDRAW');
  });
});

describe('[AR2][AR3] commitments', () => {
  it('later edits never change a commitment; both withdrawing ends it; both accepting new words replaces it and keeps the old', async () => {
    const { a, b } = await paired();
    const id = await propose(a, 'Phones away at dinner', 'Every evening.');
    await b.waitFor((doc) => findAgreement(doc, id) !== null);
    await request(a.socket, 'agreement:accept', { agreementId: id });
    await request(b.socket, 'agreement:accept', { agreementId: id });
    const first = (await records(a.socket)).commitments[0]!;
    expect(first).toMatchObject({ agreementId: id, title: 'Phones away at dinner', body: 'Every evening.' });

    setAgreementText(a.doc, id, 'body', 'Weekdays only.');
    await a.settled();
    await b.waitFor((doc) => readDraft(doc, id)?.body === 'Weekdays only.');
    let seen = await records(b.socket);
    expect(seen.commitments).toEqual([first]);
    expect(readAgreements(b.doc, seen, today())[0]).toMatchObject({ state: 'changed-since-agreed', changedSinceAgreed: true });

    // Both accept the new words: the first commitment moves to the history.
    await request(b.socket, 'agreement:accept', { agreementId: id });
    await request(a.socket, 'agreement:accept', { agreementId: id });
    seen = await records(b.socket);
    expect(seen.commitments).toMatchObject([{ agreementId: id, body: 'Weekdays only.' }]);
    expect(seen.history).toEqual([{ ...first, endedAt: expect.any(Number), endedBy: 'replaced' }]);

    // Both withdraw: it ends.
    const one = await request<{ ended: boolean }>(a.socket, 'agreement:withdraw', { agreementId: id });
    expect(one.ok && one.ended).toBe(false);
    expect((await records(b.socket)).commitments).toHaveLength(1);
    const both = await request<{ ended: boolean }>(b.socket, 'agreement:withdraw', { agreementId: id });
    expect(both.ok && both.ended).toBe(true);
    seen = await records(b.socket);
    expect(seen.commitments).toEqual([]);
    expect(seen.history.map((h) => h.endedBy)).toEqual(['replaced', 'withdrawn']);
  });

  it('one partner alone cannot change a commitment: their new words and their acceptance of them leave it in force', async () => {
    const { a, b } = await paired();
    const id = await propose(a, 'Phones and passwords', 'We never read each other’s messages.');
    await b.waitFor((doc) => findAgreement(doc, id) !== null);
    await request(a.socket, 'agreement:accept', { agreementId: id });
    await request(b.socket, 'agreement:accept', { agreementId: id });
    const agreed = (await records(a.socket)).commitments[0]!;

    setAgreementText(b.doc, id, 'body', 'We read them when we are worried.');
    await b.settled();
    await a.waitFor((doc) => readDraft(doc, id)?.body === 'We read them when we are worried.');
    expect((await request(b.socket, 'agreement:accept', { agreementId: id })).ok).toBe(true);
    const seen = await records(a.socket);
    expect(seen.commitments).toEqual([agreed]);
    expect(seen.history).toEqual([]);
    // Sam reads it as Alex's proposal; what both agreed stays the words in force
    expect(readAgreements(a.doc, seen, today())[0]).toMatchObject({ state: 'changed-since-agreed', commitment: agreed });
    // and a withdrawal by one only asks
    const asked = await request<{ ended: boolean }>(b.socket, 'agreement:withdraw', { agreementId: id });
    expect(asked.ok && asked.ended).toBe(false);
    expect((await records(a.socket)).commitments).toEqual([agreed]);
  });

  it('[RV1][RV2] agreements:records answers with the reviews due by the server clock, named by the words in force', async () => {
    const { a, b } = await paired();
    const yesterday = dayOf(Date.now() - 86_400_000);
    const due = await request<{ agreementId: string }>(a.socket, 'agreement:propose', { title: 'Phones and passwords', body: '', category: 'communication', reviewOn: yesterday });
    const later = await request<{ agreementId: string }>(a.socket, 'agreement:propose', { title: 'Money talk', body: '', category: 'household', reviewOn: '2999-01-01' });
    if (!due.ok || !later.ok) throw new Error('propose refused');
    await b.waitFor((doc) => findAgreement(doc, later.agreementId) !== null);
    const res = await request<{ due: unknown }>(b.socket, 'agreements:records', {});
    expect(res.ok && res.due).toEqual([{ agreementId: due.agreementId, title: 'Phones and passwords', reviewOn: yesterday }]);
  });

  it('two accepts at the same moment are both kept: a commitment', async () => {
    const { a, b } = await paired();
    const id = await propose(a, 'We take a walk on Saturdays');
    await b.waitFor((doc) => findAgreement(doc, id) !== null);
    const [x, y] = await Promise.all([
      request(a.socket, 'agreement:accept', { agreementId: id }),
      request(b.socket, 'agreement:accept', { agreementId: id }),
    ]);
    expect(x.ok && y.ok).toBe(true);
    expect((await records(a.socket)).commitments).toHaveLength(1);
  });
});

describe('[AR1] a counsellor cannot accept', () => {
  it('agreement:accept and agreement:withdraw from the counsellor are FORBIDDEN with words that say why', async () => {
    const lee = await registerCounsellor(server.url);
    sockets.push(lee.socket);
    const created = await createModeratedRoom(lee);
    const jo = await partnerJoins(server.url, created, 'A', 'Jo');
    sockets.push(jo.socket);
    const counsellor = await counsellorEnters(server.url, lee, created.room.roomId);
    sockets.push(counsellor);
    const proposed = await request<{ agreementId: string }>(counsellor, 'agreement:propose', { title: 'We pause when voices rise', category: 'communication' });
    expect(proposed.ok).toBe(true);
    const agreementId = proposed.ok ? proposed.agreementId : '';
    for (const event of ['agreement:accept', 'agreement:withdraw']) {
      const res = await request(counsellor, event, { agreementId });
      expect(res.ok === false && res.error.code, event).toBe('FORBIDDEN');
      expect(res.ok === false && res.error.message, event).toMatch(/partners/);
    }
    const seen = await records(jo.socket);
    expect(seen.acceptances).toEqual([]);
    expect(seen.provenance).toMatchObject([{ agreementId, seat: 'counsellor', name: 'Dr Lee' }]);
  });
});
