import { io as connectSocket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { errorMessages } from '../../shared/protocol/errors';
import { PROTOCOL_VERSION } from '../../shared/protocol/version';
import type { ClientSocket } from '../support/socketClient';
import { serverPerTest } from '../support/serverPerTest';

type Outcome = { socket: ClientSocket; connected: true } | { socket: ClientSocket; connected: false; data: unknown };

/** One attacker's socket: no reconnection, so a refusal is final and counted once. */
function attempt(url: string, forwardedFor?: string): Promise<Outcome> {
  const socket: ClientSocket = connectSocket(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { protocolVersion: PROTOCOL_VERSION },
    ...(forwardedFor ? { extraHeaders: { 'x-forwarded-for': forwardedFor } } : {}),
  });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket, connected: true }));
    socket.once('connect_error', (err) => resolve({ socket, connected: false, data: (err as Error & { data?: unknown }).data }));
  });
}

/** Many sockets from one address, opened a batch at a time (as fast as the loopback listener takes them). */
async function attempts(url: string, count: number, batch = 200): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (let i = 0; i < count; i += batch) out.push(...(await Promise.all(Array.from({ length: Math.min(batch, count - i) }, () => attempt(url)))));
  return out;
}

describe('sockets per address (SOCKETS_PER_ADDRESS, default 50)', () => {
  const { server, sockets: opened, start } = serverPerTest();

  it('2,000 sockets from one address: past 50 the handshake is refused with TOO_MANY_CONNECTIONS; closing some frees places', async () => {
    const outcomes = await attempts(server.url, 2000);
    opened.push(...outcomes.map((o) => o.socket));
    const connected = outcomes.filter((o) => o.connected);
    const refused = outcomes.filter((o): o is Extract<Outcome, { connected: false }> => !o.connected);
    expect(connected).toHaveLength(50);
    expect(refused).toHaveLength(1950);
    for (const r of refused) expect(r.data).toEqual({ code: 'TOO_MANY_CONNECTIONS', message: errorMessages.TOO_MANY_CONNECTIONS });
    expect(server.app.io.of('/').sockets.size).toBe(50);

    // Ten close; the server counts a place free once their connection is gone.
    const closing = connected.slice(0, 10).map((o) => o.socket);
    const gone = closing.map((socket) => {
      const conn = server.app.io.of('/').sockets.get(socket.id!)!.conn;
      return new Promise<void>((resolve) => conn.once('close', () => resolve()));
    });
    for (const socket of closing) socket.disconnect();
    await Promise.all(gone);

    const again = await attempts(server.url, 11);
    opened.push(...again.map((o) => o.socket));
    expect(again.filter((o) => o.connected)).toHaveLength(10);
    expect(again.filter((o) => !o.connected)).toHaveLength(1);
  }, 120_000);

  it('the server closes a refused connection itself, so a script that ignores the refusal holds nothing', async () => {
    await server.destroy();
    await start({ env: { SOCKETS_PER_ADDRESS: '1' } });
    const kept = await attempt(server.url);
    opened.push(kept.socket);
    expect(kept.connected).toBe(true);
    // Raw Engine.IO: the refusal, then the server closes the websocket.
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    const frames: string[] = [];
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    ws.on('message', (data) => {
      const frame = String(data);
      frames.push(frame);
      if (frame.startsWith('0')) ws.send(`40${JSON.stringify({ protocolVersion: PROTOCOL_VERSION })}`);
    });
    await closed;
    expect(frames.some((f) => f.startsWith('44') && f.includes('"TOO_MANY_CONNECTIONS"'))).toBe(true);
  });

  it('an IPv6 address counts on its /64 (behind a trusted proxy, the forwarded address counts)', async () => {
    await server.destroy();
    await start({ env: { SOCKETS_PER_ADDRESS: '3', TRUST_PROXY: 'loopback' } });
    const tries = async (addresses: string[]) => {
      const outcomes: Outcome[] = [];
      // One at a time, so which one is refused is the one past the cap.
      for (const address of addresses) outcomes.push(await attempt(server.url, address));
      opened.push(...outcomes.map((o) => o.socket));
      return outcomes.map((o) => (o.connected ? 'ok' : (o.data as { code: string }).code));
    };
    // Four addresses of one /64: the fourth is refused.
    expect(await tries(['2001:db8::1', '2001:db8::2', '2001:db8::abcd:1', '2001:db8:0:0:ffff:ffff:ffff:ffff'])).toEqual([
      'ok',
      'ok',
      'ok',
      'TOO_MANY_CONNECTIONS',
    ]);
    // The next /64, an IPv4 address, and the proxy's own address are other addresses.
    expect(await tries(['2001:db8:0:1::1', '203.0.113.9'])).toEqual(['ok', 'ok']);
    const direct = await attempt(server.url);
    opened.push(direct.socket);
    expect(direct.connected).toBe(true);
  });
});
