import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  addAgreement,
  agreementFragments,
  dayOf,
  notesFragment,
  plainText,
  readAgreements,
  readDrafts,
  setAgreementText,
} from '../../shared/agreements';
import type { AgreementRecordsView } from '../../shared/protocol/agreements';
import { hashSecret, newDeviceToken } from '../../server/rooms/secrets';
import { serverPerTest } from '../support/serverPerTest';
import { claimSeat, connectClient, createRoomOverHttp, nextEvent, request } from '../support/socketClient';
import { syncStep1Message, syncUpdateMessage } from '../support/syncMessages';
import { YjsDocClient } from '../support/yjsDocClient';

const { server, sockets, clients, start } = serverPerTest();

interface Pair {
  roomId: string;
  a: { roomId: string; deviceToken: string };
  b: { roomId: string; deviceToken: string };
}

async function pairedRoom(): Promise<Pair> {
  const created = await createRoomOverHttp(server.url, 'Sam');
  const claimer = await connectClient(server.url);
  sockets.push(claimer);
  const claimed = await claimSeat(claimer, created);
  return {
    roomId: created.roomId,
    a: { roomId: created.roomId, deviceToken: created.deviceToken },
    b: { roomId: created.roomId, deviceToken: claimed.deviceToken },
  };
}

async function device(credentials: { roomId: string; deviceToken: string }, docName = 'agreements'): Promise<YjsDocClient> {
  const client = await YjsDocClient.connect(server.url, credentials, docName);
  clients.push(client);
  return client;
}

/** Seats a counsellor by hand: the counsellor sign-in is another module's work. */
async function seatCounsellor(roomId: string): Promise<{ roomId: string; deviceToken: string }> {
  const deviceToken = newDeviceToken();
  await server.app.rooms.update(roomId, (room, now) => ({
    ...room,
    version: room.version + 1,
    seats: {
      ...room.seats,
      counsellor: { displayName: 'Dr Lee', tokenHash: hashSecret(deviceToken), claimedAt: now, groundRulesAcceptedAt: now, revokedTokenHashes: [] },
    },
  }));
  return { roomId, deviceToken };
}

function titles(doc: Y.Doc): string[] {
  return readDrafts(doc).map((a) => a.title).sort();
}

/** A draft written on the device, as an editor does; who proposed it is on the record only through agreement:propose. */
async function addBy(client: YjsDocClient, title: string): Promise<string> {
  const id = addAgreement(client.doc, { title, body: '', category: 'communication' });
  await client.settled();
  return id;
}

describe('agreements document: live co-editing', () => {
  it('two partners editing at the same moment converge on the same document', async () => {
    const pair = await pairedRoom();
    const a = await device(pair.a);
    const b = await device(pair.b);
    const id = await addBy(a, 'We ask before we assume');
    await b.waitFor((doc) => readDrafts(doc).length === 1);

    // Concurrent: both type into the same body, A adds another agreement, B writes notes.
    const bodyA = agreementFragments(a.doc, id)!.body;
    const bodyB = agreementFragments(b.doc, id)!.body;
    bodyA.doc!.transact(() => {
      const p = bodyA.get(0) as Y.XmlElement;
      p.insert(0, [new Y.XmlText('Sam: ask first. ')]);
    });
    bodyB.doc!.transact(() => {
      const p = bodyB.get(0) as Y.XmlElement;
      p.insert(0, [new Y.XmlText('Alex: listen to the answer. ')]);
    });
    addAgreement(a.doc, { title: 'Time-outs are allowed', category: 'communication' });
    notesFragment(b.doc).insert(0, [new Y.XmlElement('paragraph')]);
    await Promise.all([a.settled(), b.settled()]);

    const same = () => Buffer.from(Y.encodeStateVector(a.doc)).equals(Buffer.from(Y.encodeStateVector(b.doc)));
    await a.waitFor(() => readDrafts(a.doc).length === 2 && notesFragment(a.doc).length === 1);
    await b.waitFor(() => readDrafts(b.doc).length === 2);
    await a.waitFor(same);
    expect(a.refusals).toEqual([]);
    expect(b.refusals).toEqual([]);
    expect(titles(a.doc)).toEqual(titles(b.doc));
    const textA = plainText(agreementFragments(a.doc, id)!.body);
    expect(textA).toBe(plainText(agreementFragments(b.doc, id)!.body));
    expect(textA).toContain('Sam: ask first.');
    expect(textA).toContain('Alex: listen to the answer.');
  });

  it('both partners accept: each sees it agreed; an edit shows it changed since, for both', async () => {
    const pair = await pairedRoom();
    const a = await device(pair.a);
    const b = await device(pair.b);
    const id = await addBy(a, 'An evening that is just ours');
    await b.waitFor((doc) => readDrafts(doc).length === 1);
    const agreedOnA = nextEvent<AgreementRecordsView>(a.socket, 'agreements:records', (r) => r.commitments.length === 1);
    const agreedOnB = nextEvent<AgreementRecordsView>(b.socket, 'agreements:records', (r) => r.commitments.length === 1);
    expect((await request(a.socket, 'agreement:accept', { agreementId: id })).ok).toBe(true);
    expect((await request(b.socket, 'agreement:accept', { agreementId: id })).ok).toBe(true);
    const today = dayOf(Date.now());
    const records = await agreedOnA;
    expect(readAgreements(a.doc, records, today)[0]?.state).toBe('agreed');
    expect(readAgreements(b.doc, await agreedOnB, today)[0]?.state).toBe('agreed');

    setAgreementText(b.doc, id, 'title', 'An evening that is just ours, every week');
    await b.settled();
    await a.waitFor((doc) => readAgreements(doc, records, today)[0]?.state === 'changed-since-agreed');
  });

  it("a device that opens the agreements after the partner sees the partner's presence at once, before the partner moves", async () => {
    const pair = await pairedRoom();
    const a = await device(pair.a);
    a.awareness.setLocalStateField('user', { name: 'Sam', color: '#c27a55' });
    await a.settled();
    const b = await device(pair.b);
    // Well inside the 15 s after which A's device would renew its presence by itself.
    await b.waitForAwareness((states) => [...states.values()].some((s) => (s as { user?: { name?: string } }).user?.name === 'Sam'), 2_000);
  });

  it('shows each other\'s presence (awareness) and removes it when a device goes', async () => {
    const pair = await pairedRoom();
    const a = await device(pair.a);
    const b = await device(pair.b);
    a.awareness.setLocalStateField('user', { name: 'Sam', color: '#c27a55' });
    await a.settled();
    await b.waitForAwareness((states) => [...states.values()].some((s) => (s as { user?: { name?: string } }).user?.name === 'Sam'));
    a.close();
    await b.waitForAwareness((states) => ![...states.values()].some((s) => (s as { user?: { name?: string } }).user?.name === 'Sam'));
  });
});

describe('agreements document: offline', () => {
  it("both partners' offline edits merge when they come back", async () => {
    const pair = await pairedRoom();
    const a = await device(pair.a);
    const b = await device(pair.b);
    const id = await addBy(a, 'We share the load fairly');
    await b.waitFor((doc) => readDrafts(doc).length === 1);

    a.disconnect();
    b.disconnect();
    addAgreement(a.doc, { title: 'Written on the train', category: 'household' });
    setAgreementText(b.doc, id, 'body', 'Chores are listed on the fridge.');
    addAgreement(b.doc, { title: 'Written at home', category: 'honesty' });

    await a.reconnect();
    await b.reconnect();
    await Promise.all([a.settled(), b.settled()]);
    const expected = ['We share the load fairly', 'Written at home', 'Written on the train'];
    await a.waitFor((doc) => titles(doc).join('|') === expected.join('|'));
    await b.waitFor((doc) => titles(doc).join('|') === expected.join('|'));
    await a.waitFor((doc) => plainText(agreementFragments(doc, id)!.body) === 'Chores are listed on the fridge.');

    // and the server kept them: a fresh device gets everything
    const c = await device(pair.a);
    expect(titles(c.doc)).toEqual(expected);
  });
});

describe('agreements document: limits and bad input', () => {
  it('refuses a malformed update with UPDATE_MALFORMED and keeps the document intact', async () => {
    const pair = await pairedRoom();
    const a = await device(pair.a);
    await addBy(a, 'Kept safe');
    const before = Y.encodeStateAsUpdate(a.doc);

    const garbage = syncUpdateMessage(new Uint8Array([1, 2, 3, 250, 251, 252, 7]));
    const truncated = syncUpdateMessage(before.slice(0, Math.floor(before.length / 2)));
    const notYProtocols = new Uint8Array([0, 9, 9, 9]);
    for (const message of [garbage, truncated, notYProtocols]) {
      const ack = await a.sendRaw(message);
      expect(ack.ok).toBe(false);
      if (!ack.ok) expect(['UPDATE_MALFORMED', 'INVALID_PAYLOAD']).toContain(ack.error.code);
    }
    expect(await a.sendRaw(garbage)).toMatchObject({ ok: false, error: { code: 'UPDATE_MALFORMED' } });
    const notBinary = await request(a.socket, 'doc:message', { doc: 'agreements', message: 'hello' });
    expect(notBinary).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });

    // still alive and whole: a new device syncs the one agreement, and after a restart too
    const b = await device(pair.a);
    expect(titles(b.doc)).toEqual(['Kept safe']);
    await server.stop();
    await start({ dataDir: server.dataDir });
    const c = await device(pair.a);
    expect(titles(c.doc)).toEqual(['Kept safe']);
  });

  it('refuses an update that is too large with UPDATE_TOO_LARGE; nothing is stored', async () => {
    const pair = await pairedRoom();
    const a = await device(pair.a);
    await addBy(a, 'Small and kept');
    const big = new Y.Doc();
    Y.applyUpdate(big, Y.encodeStateAsUpdate(a.doc));
    const sv = Y.encodeStateVector(big);
    big.getText('junk').insert(0, 'x'.repeat(300 * 1024));
    const ack = await a.sendRaw(syncUpdateMessage(Y.encodeStateAsUpdate(big, sv)));
    expect(ack).toMatchObject({ ok: false, error: { code: 'UPDATE_TOO_LARGE' } });
    const b = await device(pair.a);
    expect(b.doc.getText('junk').length).toBe(0);
    expect(titles(b.doc)).toEqual(['Small and kept']);
  });

  it('refuses updates that would make the document too large with DOC_TOO_LARGE; the document stays usable', async () => {
    const pair = await pairedRoom();
    const a = await device(pair.a);
    const writer = new Y.Doc();
    const chunk = 'y'.repeat(250 * 1024);
    let refused: unknown = null;
    for (let i = 0; i < 20 && refused === null; i++) {
      const sv = Y.encodeStateVector(writer);
      writer.getArray<string>('filler').push([chunk]);
      const ack = await a.sendRaw(syncUpdateMessage(Y.encodeStateAsUpdate(writer, sv)));
      if (!ack.ok) refused = ack;
    }
    expect(refused).toMatchObject({ ok: false, error: { code: 'DOC_TOO_LARGE' } });
    // a small change that shrinks it is still let through
    const sv = Y.encodeStateVector(writer);
    writer.getArray('filler').delete(0, 2);
    expect(await a.sendRaw(syncUpdateMessage(Y.encodeStateAsUpdate(writer, sv)))).toMatchObject({ ok: true });
  });
});

describe('counsellor notes', () => {
  it("a partner's socket asking for counsellor-notes is refused and never receives a notes packet", async () => {
    const pair = await pairedRoom();
    const counsellor = await device(await seatCounsellor(pair.roomId), 'counsellor-notes');
    const partner = await device(pair.a);

    expect(await partner.sendRaw(syncStep1Message(new Y.Doc()), 'counsellor-notes')).toMatchObject({
      ok: false,
      error: { code: 'DOC_NOT_ALLOWED' },
    });

    counsellor.doc.getXmlFragment('notes').insert(0, [new Y.XmlElement('paragraph')]);
    counsellor.awareness.setLocalStateField('user', { name: 'Dr Lee' });
    await counsellor.settled();
    // an agreements change after the notes change: once it arrives, the notes one would have too
    await addBy(await device(pair.b), 'After the notes');
    await partner.waitFor((doc) => readDrafts(doc).length === 1);
    expect(partner.received.filter((m) => m.doc === 'counsellor-notes')).toEqual([]);
    expect(counsellor.refusals).toEqual([]);
  });

  it('the counsellor can read and write the agreements too', async () => {
    const pair = await pairedRoom();
    const a = await device(pair.a);
    const counsellor = await device(await seatCounsellor(pair.roomId));
    await addBy(counsellor, 'Suggested by the counsellor');
    await a.waitFor((doc) => titles(doc).includes('Suggested by the counsellor'));
  });
});

describe('without a seat', () => {
  it('a socket that has not joined a room gets NOT_IN_ROOM', async () => {
    const socket = await connectClient(server.url);
    sockets.push(socket);
    const ack = await request(socket, 'doc:message', { doc: 'agreements', message: new Uint8Array([0, 0, 1, 0]) });
    expect(ack).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  });
});
