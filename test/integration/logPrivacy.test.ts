import { Writable } from 'node:stream';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, createRoomOverHttp, request, type ClientSocket } from '../support/socketClient';
import { startTestServer, type TestServer } from '../support/testServer';
import { YjsDocClient } from '../support/yjsDocClient';

let server: TestServer | null = null;
const sockets: ClientSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await server?.destroy();
  server = null;
});

describe('logs never hold what people wrote or who they are', () => {
  it('at the most verbose level, a whole pairing and editing flow logs no names, text, tokens or codes', async () => {
    let output = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        output += chunk.toString();
        done();
      },
    });
    server = await startTestServer({ env: { LOG_LEVEL: 'trace' }, logSink: sink });
    const created = await createRoomOverHttp(server.url, 'Zephyrine');
    const partner = await connectClient(server.url);
    sockets.push(partner);
    const claimed = await request<{ roomId: string; deviceToken: string }>(partner, 'code:claim', {
      code: created.code.code,
      displayName: 'Quillon',
      acceptedGroundRules: true,
    });
    if (!claimed.ok) throw new Error('claim failed');
    // refusals are logged too: make some happen
    await request(partner, 'code:claim', { code: '000000', displayName: 'Quillon', acceptedGroundRules: true });
    await request(partner, 'invite:claim', { invite: created.invite.token, displayName: 'Quillon', acceptedGroundRules: true });

    const a = await YjsDocClient.connect(server.url, { roomId: created.roomId, deviceToken: created.deviceToken });
    const b = await YjsDocClient.connect(server.url, { roomId: claimed.roomId, deviceToken: claimed.deviceToken });
    a.doc.getText('scratch').insert(0, 'SECRET-MARKER-we-promise-to-talk');
    await a.settled();
    await b.waitFor((doc: Y.Doc) => doc.getText('scratch').toString().includes('SECRET-MARKER'));
    a.close();
    b.close();

    expect(output.length).toBeGreaterThan(0);
    for (const secret of [
      'Zephyrine',
      'Quillon',
      'SECRET-MARKER',
      created.deviceToken,
      claimed.deviceToken,
      created.invite.token,
      created.code.code,
    ]) {
      expect(output, `log output contains ${secret.slice(0, 12)}`).not.toContain(secret);
    }
  });
});
