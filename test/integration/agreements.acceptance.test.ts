import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accept, addAgreement, readAgreements } from '../../shared/agreements';
import { connectClient, createRoomOverHttp, request } from '../support/socketClient';
import { startTestServer, type TestServer } from '../support/testServer';
import { YjsDocClient } from '../support/yjsDocClient';

let server: TestServer;
const clients: YjsDocClient[] = [];

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.destroy();
});

async function paired(): Promise<[YjsDocClient, YjsDocClient]> {
  const created = await createRoomOverHttp(server.url, 'Sam');
  const claimer = await connectClient(server.url);
  const claimed = await request<{ roomId: string; deviceToken: string }>(claimer, 'code:claim', {
    code: created.code.code,
    displayName: 'Alex',
    acceptedGroundRules: true,
  });
  claimer.disconnect();
  if (!claimed.ok) throw new Error('claim refused');
  const a = await YjsDocClient.connect(server.url, { roomId: created.roomId, deviceToken: created.deviceToken });
  const b = await YjsDocClient.connect(server.url, { roomId: claimed.roomId, deviceToken: claimed.deviceToken });
  clients.push(a, b);
  return [a, b];
}

describe('each partner agrees only for themselves', () => {
  it("refuses a device writing the other partner's acceptance; the other device never sees it", async () => {
    const [a, b] = await paired();
    const id = addAgreement(a.doc, { title: 'We say when we need a pause', category: 'communication', proposedBy: { seat: 'A', name: 'Sam' }, now: Date.now() });
    await a.settled();
    await b.waitFor((doc) => readAgreements(doc).length === 1);

    // Sam's device agrees for itself, and, forged, for Alex.
    accept(a.doc, id, 'A', Date.now());
    await a.settled();
    await b.waitFor((doc) => readAgreements(doc)[0]?.acceptances.A !== undefined);
    accept(a.doc, id, 'B', Date.now());
    await a.settled();

    expect(a.refusals.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ACCEPTANCE_NOT_YOURS']);
    // A later, honest edit from Alex's side shows Alex's view never had the forged acceptance.
    accept(b.doc, id, 'B', Date.now());
    await b.settled();
    expect(b.refusals).toEqual([]);
    const fresh = await YjsDocClient.connect(server.url, b['credentials'] as { roomId: string; deviceToken: string });
    clients.push(fresh);
    const agreed = readAgreements(fresh.doc)[0]!;
    expect(agreed.state).toBe('agreed');
  });

  it("refuses a partner taking back the other's acceptance", async () => {
    const [a, b] = await paired();
    const id = addAgreement(a.doc, { title: 'Sundays are ours', category: 'time-together', proposedBy: { seat: 'A', name: 'Sam' }, now: Date.now() });
    await a.settled();
    await b.waitFor((doc) => readAgreements(doc).length === 1);
    accept(b.doc, id, 'B', Date.now());
    await b.settled();
    await a.waitFor((doc) => readAgreements(doc)[0]?.acceptances.B !== undefined);

    const agreementMap = a.doc.getArray<import('yjs').Map<unknown>>('agreements').get(0);
    (agreementMap.get('acceptances') as import('yjs').Map<unknown>).delete('B');
    await a.settled();
    expect(a.refusals.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ACCEPTANCE_NOT_YOURS']);
    expect(readAgreements(b.doc)[0]?.acceptances.B).toBeDefined();
  });
});
