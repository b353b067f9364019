import { Writable } from 'node:stream';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { serverPerTest } from '../support/serverPerTest';
import { claimSeat, connectClient, createRoomOverHttp, request } from '../support/socketClient';
import { YjsDocClient } from '../support/yjsDocClient';

const { sockets, start } = serverPerTest({ startBeforeEach: false });

describe('logs never hold what people wrote or who they are', () => {
  it('at the most verbose level, a whole pairing and editing flow logs no names, text, tokens or codes', async () => {
    let output = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        output += chunk.toString();
        done();
      },
    });
    const server = await start({ env: { LOG_LEVEL: 'trace' }, logSink: sink });
    const created = await createRoomOverHttp(server.url, 'Zephyrine');
    const partner = await connectClient(server.url);
    sockets.push(partner);
    const claimed = await claimSeat(partner, created, { by: 'code', name: 'Quillon' });
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
