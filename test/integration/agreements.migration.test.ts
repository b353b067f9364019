import * as Y from 'yjs';
import { afterEach, expect, it } from 'vitest';
import { contentHash, fragmentFromText, readDrafts } from '../../shared/agreements';
import type { AgreementRecordsView, VersionRecord } from '../../shared/protocol/agreements';
import { createLevelStorage } from '../../server/storage/level/levelStorage';
import { connectClient, createRoomOverHttp, request } from '../support/socketClient';
import { startTestServer, tempDataDir, type TestServer } from '../support/testServer';
import { YjsDocClient } from '../support/yjsDocClient';

/**
 * A room stored by the code before acceptances moved to the server's records (its model.ts and
 * versions.ts at 9b80e67): acceptances, proposedBy, createdAt and the revisit fields inside each
 * agreement map, saved versions as JSON in a root `versions` array. Written here with raw Yjs,
 * key by key as that code wrote them.
 */
function oldAgreement(doc: Y.Doc, fields: { id: string; title: string; body: string; category: string; by: { seat: string; name: string }; createdAt: number }) {
  const map = new Y.Map<unknown>();
  map.set('id', fields.id);
  map.set('title', fragmentFromText(fields.title));
  map.set('body', fragmentFromText(fields.body));
  map.set('category', fields.category);
  map.set('proposedBy', { seat: fields.by.seat, name: fields.by.name });
  map.set('createdAt', fields.createdAt);
  map.set('reviewOn', null);
  map.set('acceptances', new Y.Map<unknown>());
  map.set('revisitRequestedBy', null);
  map.set('revisitRequestedAt', null);
  doc.getArray('agreements').push([map]);
  return map;
}
function oldAccept(map: Y.Map<unknown>, seat: 'A' | 'B', hash: string, at: number) {
  (map.get('acceptances') as Y.Map<unknown>).set(seat, { hash, at });
}

let server: TestServer | null = null;
afterEach(async () => {
  await server?.destroy();
  server = null;
});

it('[AR-migration] a document written by the old code becomes records once, on first load, and loses the old parts', async () => {
  const dataDir = tempDataDir();
  // A room made by a real server, then stopped: the store is what the old code left behind.
  server = await startTestServer({ dataDir });
  const created = await createRoomOverHttp(server.url, 'Sam');
  const claimer = await connectClient(server.url);
  const claimed = await request<{ deviceToken: string }>(claimer, 'code:claim', { code: created.code.code, displayName: 'Alex', acceptedGroundRules: true });
  claimer.disconnect();
  if (!claimed.ok) throw new Error('claim refused');
  await server.stop();

  const old = new Y.Doc();
  const agreed = oldAgreement(old, { id: 'agreed', title: 'Phones away at dinner', body: 'Every evening.', category: 'time-together', by: { seat: 'A', name: 'Sam' }, createdAt: 1000 });
  const agreedHash = contentHash({ title: 'Phones away at dinner', body: 'Every evening.', category: 'time-together' });
  oldAccept(agreed, 'A', agreedHash, 2000);
  oldAccept(agreed, 'B', agreedHash, 3000);
  const half = oldAgreement(old, { id: 'half', title: 'Sundays are ours', body: '', category: 'time-together', by: { seat: 'B', name: 'Alex' }, createdAt: 1500 });
  oldAccept(half, 'B', contentHash({ title: 'Sundays are ours', body: '', category: 'time-together' }), 2500);
  const stale = oldAgreement(old, { id: 'stale', title: 'We pause when voices rise', body: 'Changed later.', category: 'communication', by: { seat: 'A', name: 'Sam' }, createdAt: 1600 });
  oldAccept(stale, 'A', contentHash({ title: 'We pause when voices rise', body: 'Before.', category: 'communication' }), 2600);
  oldAccept(stale, 'B', contentHash({ title: 'We pause when voices rise', body: 'Before.', category: 'communication' }), 2700);
  stale.set('revisitRequestedBy', 'B');
  stale.set('revisitRequestedAt', 4000);
  old.getArray('versions').push([
    {
      id: 'v1',
      name: 'Before the holidays',
      at: 3500,
      by: { seat: 'A', name: 'Sam' },
      agreements: [
        { id: 'agreed', title: 'Phones away at dinner', body: 'Every evening.', category: 'time-together', status: 'agreed', reviewOn: null, createdAt: 1000, agreedAt: 3000, revisitRequested: false },
      ],
    },
  ]);
  const storage = await createLevelStorage(dataDir);
  await storage.docs.append(created.roomId, 'agreements', Y.encodeStateAsUpdate(old));
  await storage.close();

  server = await startTestServer({ dataDir });
  const a = await YjsDocClient.connect(server.url, { roomId: created.roomId, deviceToken: created.deviceToken });
  try {
    const res = await request<{ records: AgreementRecordsView }>(a.socket, 'agreements:records', {});
    if (!res.ok) throw new Error(res.error.code);
    const records = res.records;
    expect(records.commitments).toMatchObject([
      { agreementId: 'agreed', title: 'Phones away at dinner', body: 'Every evening.', hash: agreedHash, acceptedAt: { A: 2000, B: 3000 }, agreedAt: 3000 },
    ]);
    expect(records.acceptances).toMatchObject([{ agreementId: 'half', seat: 'B', at: 2500 }]);
    expect(records.provenance).toEqual([
      { agreementId: 'agreed', seat: 'A', name: 'Sam', at: 1000 },
      { agreementId: 'half', seat: 'B', name: 'Alex', at: 1500 },
      { agreementId: 'stale', seat: 'A', name: 'Sam', at: 1600 },
    ]);
    expect(records.reviews).toEqual([{ agreementId: 'stale', seat: 'B', at: 4000 }]);
    // the record lists the version; its snapshot is stored apart and fetched alone
    expect(records.versions).toMatchObject([{ id: 'v1', name: 'Before the holidays', count: 1 }]);
    const version = await request<{ version: VersionRecord }>(a.socket, 'version:get', { versionId: 'v1' });
    if (!version.ok) throw new Error(version.error.code);
    expect(version.version).toMatchObject({ id: 'v1', name: 'Before the holidays', agreements: [{ id: 'agreed', commitment: { agreementId: 'agreed' } }] });

    // The document keeps the drafts only, on the server and on the device.
    await a.waitFor((doc) => doc.getArray('versions').length === 0);
    for (const item of a.doc.getArray<Y.Map<unknown>>('agreements').toArray()) {
      expect([...item.keys()].sort()).toEqual(['body', 'category', 'id', 'reviewOn', 'title']);
    }
    expect(readDrafts(a.doc).map((d) => d.id)).toEqual(['agreed', 'half', 'stale']);

    // Once: parts of the old layout written afterwards are never read.
    const forged = a.doc.getArray<Y.Map<unknown>>('agreements').get(1);
    const map = new Y.Map<unknown>();
    forged.set('acceptances', map);
    map.set('A', { hash: contentHash({ title: 'Sundays are ours', body: '', category: 'time-together' }), at: 5000 });
    await a.settled();
    a.close();
    await server.stop();
    server = await startTestServer({ dataDir });
    const again = await YjsDocClient.connect(server.url, { roomId: created.roomId, deviceToken: created.deviceToken });
    try {
      const after = await request<{ records: AgreementRecordsView }>(again.socket, 'agreements:records', {});
      expect(after.ok && after.records).toEqual(records);
    } finally {
      again.close();
    }
  } finally {
    a.close();
  }
});
