import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { errorMessages } from '../../shared/protocol/errors';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { connectClient, createRoomOverHttp, request } from '../support/socketClient';
import { stalledDevice } from '../support/stalledDevice';
import { YjsDocClient } from '../support/yjsDocClient';

/** The server process's resident memory, from the kernel. */
function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0) * 1024;
}

const WARM_UP_MS = 12_000;
const STALLED_MS = 25_000;
const UPDATE_CHARS = 100_000;

describe('a socket that never reads (SOCKET_UNSENT_LIMIT_BYTES, default 1 MB)', () => {
  let server: ServerProcess | undefined;
  afterEach(async () => {
    await server?.stop();
  });

  it('two producers write into its room for 25 s: server RSS grows under 50 MB and the slow socket is disconnected with SLOW_CONNECTION', async () => {
    server = await startServerProcess({
      // Producers faster than the defaults let one address be: what the stalled socket is sent
      // then passes what the kernel's socket buffers take (about 4 MB here) within seconds.
      EVENTS_PER_SECOND: '1000',
      EVENTS_PER_SECOND_PER_ADDRESS: '5000',
      // A socket that stops reading also stops answering pings, and is dropped for that within
      // 12 s by default: pings far apart leave the buffer limit to act first, as it is tested here.
      SOCKET_PING_INTERVAL_MS: '25000',
      SOCKET_PING_TIMEOUT_MS: '60000',
      // glibc otherwise keeps freed 100 KB buffers in its heap and RSS climbs with the producers'
      // own traffic alone; with a fixed mmap threshold RSS follows what the server holds.
      MALLOC_MMAP_THRESHOLD_: '65536',
      MALLOC_ARENA_MAX: '2',
      NODE_OPTIONS: '--max-old-space-size=128',
    });
    const created = await createRoomOverHttp(server.url, 'Sam');
    const a = await YjsDocClient.connect(server.url, { roomId: created.roomId, deviceToken: created.deviceToken });
    const claimer = await connectClient(server.url);
    const claimed = await request<{ deviceToken: string }>(claimer, 'invite:claim', {
      invite: created.invite.token,
      displayName: 'Alex',
      acceptedGroundRules: true,
    });
    if (!claimed.ok) throw new Error(claimed.error.code);
    claimer.disconnect();
    const b = await YjsDocClient.connect(server.url, { roomId: created.roomId, deviceToken: claimed.deviceToken });

    // Each producer writes 100 KB of notes and takes it out again, as fast as its acks come:
    // the document stays small, and every update is relayed to the room's other sockets.
    let until = Number.POSITIVE_INFINITY;
    let stalledFrom = Number.POSITIVE_INFINITY;
    let roundsWhileStalled = 0;
    const produce = async (client: YjsDocClient, mark: string) => {
      const text = new Y.XmlText();
      client.doc.getXmlFragment('notes').insert(0, [text]);
      let rounds = 0;
      while (Date.now() < until) {
        text.insert(0, mark.repeat(UPDATE_CHARS));
        text.delete(0, UPDATE_CHARS);
        await client.settled();
        rounds++;
        if (Date.now() >= stalledFrom) roundsWhileStalled++;
      }
      return rounds;
    };
    const producing = Promise.all([produce(a, 'a'), produce(b, 'b')]);

    // The producers alone first: the highest RSS the server reaches under their load is the
    // baseline (RSS rises and falls as large buffers come and go).
    let baseline = 0;
    let sampler = setInterval(() => (baseline = Math.max(baseline, rssBytes(server!.pid))), 250);
    await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));
    clearInterval(sampler);

    // A's second device joins, then never reads again.
    const slow = await stalledDevice(server.url, { roomId: created.roomId, deviceToken: created.deviceToken });
    slow.ws.pause();
    let peak = 0;
    sampler = setInterval(() => (peak = Math.max(peak, rssBytes(server!.pid))), 250);
    stalledFrom = Date.now();
    until = stalledFrom + STALLED_MS;
    const rounds = await producing;
    clearInterval(sampler);
    const growthMb = (Math.max(peak, rssBytes(server.pid)) - baseline) / 1e6;
    console.log(
      `slow reader: ${rounds.join(' + ')} producer rounds of ${UPDATE_CHARS / 1000} KB, ${roundsWhileStalled} while it was stalled; server RSS peak ${(baseline / 1e6).toFixed(0)} MB before it, ${(peak / 1e6).toFixed(0)} MB with it (+${growthMb.toFixed(1)} MB)`,
    );
    // Enough was sent its way to matter: 60 MB and more (each round relays 100 KB to it).
    expect(roundsWhileStalled).toBeGreaterThanOrEqual(600);
    expect(growthMb).toBeLessThan(50);

    // It reads again: what it had, then the reason as the last thing, then the server's close.
    slow.ws.resume();
    const closedInTime = await Promise.race([slow.closed.then(() => true), new Promise((resolve) => setTimeout(resolve, 20_000, false))]);
    expect(closedInTime, 'the server closes the slow socket once it has read what was queued').toBe(true);
    const last = slow.frames.at(-1)!;
    expect(last.startsWith('42')).toBe(true);
    expect(JSON.parse(last.slice(2))).toEqual(['connection:closing', { code: 'SLOW_CONNECTION', message: errorMessages.SLOW_CONNECTION }]);

    // Nothing the producers sent was refused (a refused update would leave their later ones waiting).
    expect([...a.refusals, ...b.refusals]).toEqual([]);
    // The producers were not disturbed: the room still syncs.
    a.doc.getXmlFragment('notes').insert(0, [new Y.XmlText('still here')]);
    await a.settled();
    await b.waitFor((doc) => doc.getXmlFragment('notes').toString().includes('still here'));
    a.close();
    b.close();
  }, 120_000);
});
