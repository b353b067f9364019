import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../../server/config';
import { connectClient, request } from '../support/socketClient';
import { serverPerTest } from '../support/serverPerTest';
import type { TestServer } from '../support/testServer';

/**
 * The edges of a connection, tried as a script would: a handshake from another site's page
 * (any `Origin`), forged X-Forwarded-For headers from a peer that is not a trusted proxy, and
 * the security headers of the answers Socket.IO gives without Express.
 */

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One plain HTTP request with exactly these headers (fetch would add or refuse some). */
function get(url: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const POLLING = '/socket.io/?EIO=4&transport=polling';

/** A raw WebSocket handshake to the engine: the 101's headers, or the refusal's status and body. */
function upgrade(url: string, headers: Record<string, string>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, { headers });
    ws.once('upgrade', (res) => {
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
      ws.close();
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    ws.once('error', reject);
  });
}

const fixture = serverPerTest({ startBeforeEach: false });
const { sockets } = fixture;

function start(env: Record<string, string> = {}): Promise<TestServer> {
  return fixture.start({ env });
}

describe('the handshake Origin (PUBLIC_ORIGIN)', () => {
  it('refuses a page of another site, on long-polling (403) and on WebSocket (400), naming ORIGIN_NOT_ALLOWED', async () => {
    const { url } = await start();
    for (const origin of ['https://evil.example', 'null', 'not a url', `http://127.0.0.1:1`, 'chrome-extension://abcdef']) {
      const polled = await get(url + POLLING, { Origin: origin });
      expect(polled.status, origin).toBe(403);
      expect(JSON.parse(polled.body), origin).toEqual({ code: 4, message: 'ORIGIN_NOT_ALLOWED' });
      // The engine refuses an upgrade with 400 and the reason as its body.
      const upgraded = await upgrade(url, { Origin: origin });
      expect([upgraded.status, upgraded.body], origin).toEqual([400, 'ORIGIN_NOT_ALLOWED']);
    }
    // socket.io-client in a script, pretending to be that page: refused before any event.
    await expect(connectClient(url, { headers: { Origin: 'https://evil.example' } })).rejects.toThrow();
  });

  it('takes the served origin (the request Host) and requests without an Origin by default', async () => {
    const { url } = await start();
    const own = await get(url + POLLING, { Origin: url });
    expect(own.status).toBe(200);
    expect(own.body).toContain('"sid"');
    expect((await get(url + POLLING)).status).toBe(200);
    expect((await upgrade(url, { Origin: url })).status).toBe(101);
    // Host compared with its port: the same host on another port is another origin.
    const port = new URL(url).port;
    expect((await get(url + POLLING, { Origin: `http://127.0.0.1:${Number(port) + 1}` })).status).toBe(403);
    const socket = await connectClient(url, { headers: { Origin: url } });
    sockets.push(socket);
    expect(socket.connected).toBe(true);
  });

  it('with PUBLIC_ORIGIN set, takes exactly that origin, whatever the Host says', async () => {
    const { url } = await start({ PUBLIC_ORIGIN: 'https://ground.example.org' });
    expect((await get(url + POLLING, { Origin: 'https://ground.example.org' })).status).toBe(200);
    expect((await get(url + POLLING, { Origin: 'https://ground.example.org:443' })).status).toBe(200);
    expect((await upgrade(url, { Origin: 'https://ground.example.org' })).status).toBe(101);
    for (const origin of [url, 'http://ground.example.org', 'https://evil.ground.example.org', 'https://ground.example.org:8443']) {
      expect((await get(url + POLLING, { Origin: origin })).status, origin).toBe(403);
      expect((await upgrade(url, { Origin: origin })).status, origin).toBe(400);
    }
    // A proxy that forwards the public Host does not widen it either.
    expect((await get(url + POLLING, { Origin: 'https://evil.example', Host: 'evil.example' })).status).toBe(403);
  });

  it('without PUBLIC_URL, takes a phone that opened the LAN address (its Host and Origin are that address)', async () => {
    const { url } = await start();
    const lan = `192.168.1.20:${new URL(url).port}`;
    expect((await get(url + POLLING, { Origin: `http://${lan}`, Host: lan })).status).toBe(200);
    expect((await upgrade(url, { Origin: `http://${lan}`, Host: lan })).status).toBe(101);
  });

  it('PUBLIC_URL is the same setting: exactly its origin; set beside a different PUBLIC_ORIGIN, the server does not start', async () => {
    const { url } = await start({ PUBLIC_URL: 'https://ground.example.org/room/any' });
    expect((await get(url + POLLING, { Origin: 'https://ground.example.org' })).status).toBe(200);
    expect((await get(url + POLLING, { Origin: url })).status).toBe(403);
    expect(loadConfig({ PUBLIC_URL: 'https://ground.example.org', PUBLIC_ORIGIN: 'https://ground.example.org:443' }).publicOrigin).toBe('https://ground.example.org');
    expect(() => loadConfig({ PUBLIC_URL: 'https://ground.example.org', PUBLIC_ORIGIN: 'https://other.example.org' })).toThrow(/PUBLIC_URL and PUBLIC_ORIGIN/);
    expect(() => loadConfig({ PUBLIC_URL: 'ground.example.org' })).toThrow(/PUBLIC_URL/);
  });

  it('refuses a PUBLIC_ORIGIN that is not an http(s) origin at start-up', () => {
    expect(() => loadConfig({ PUBLIC_ORIGIN: 'ftp://ground.example.org' })).toThrow(/PUBLIC_ORIGIN/);
    expect(() => loadConfig({ PUBLIC_ORIGIN: 'ground.example.org' })).toThrow(/PUBLIC_ORIGIN/);
  });
});

describe('TRUST_PROXY: X-Forwarded-For is believed only from trusted peers', () => {
  /** Three wrong pairing codes, each from its own socket claiming its own forwarded address. */
  async function wrongCodes(url: string, forwarded: string[]): Promise<string[]> {
    const codes: string[] = [];
    for (const xff of forwarded) {
      const socket = await connectClient(url, { headers: { 'X-Forwarded-For': xff } });
      sockets.push(socket);
      const res = await request(socket, 'code:claim', { code: '000000', displayName: 'Guess', acceptedGroundRules: true });
      codes.push(res.ok ? 'ok' : res.error.code);
    }
    return codes;
  }

  it('a peer outside the trusted set is counted under its own address, whatever it forwards (Socket.IO and HTTP)', async () => {
    const { url } = await start({ TRUST_PROXY: '10.9.9.9, 192.168.0.0/16', CODE_TRIES_PER_ADDRESS: '2', ROOMS_PER_ADDRESS_PER_HOUR: '2' });
    const codes = await wrongCodes(url, ['203.0.113.1', '203.0.113.2', '203.0.113.3']);
    expect(codes).toEqual(['CODE_INVALID', 'CODE_INVALID', 'CODE_TRIES_EXCEEDED']);

    const statuses: number[] = [];
    for (const xff of ['203.0.113.4', '203.0.113.5', '203.0.113.6']) {
      const res = await fetch(`${url}/api/rooms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': xff },
        body: JSON.stringify({ displayName: 'Sam', acceptedGroundRules: true }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 429]);
  });

  it('from a trusted peer (loopback), each forwarded client has its own count; a forged entry left of an untrusted hop is ignored', async () => {
    const { url } = await start({ TRUST_PROXY: 'loopback', CODE_TRIES_PER_ADDRESS: '2' });
    expect(await wrongCodes(url, ['203.0.113.1', '203.0.113.2', '203.0.113.3'])).toEqual(['CODE_INVALID', 'CODE_INVALID', 'CODE_INVALID']);
    // 198.51.100.7 is the first hop we do not trust: it is the client, whatever it wrote before itself.
    expect(await wrongCodes(url, ['1.1.1.1, 198.51.100.7', '2.2.2.2, 198.51.100.7', '3.3.3.3, 198.51.100.7'])).toEqual([
      'CODE_INVALID',
      'CODE_INVALID',
      'CODE_TRIES_EXCEEDED',
    ]);
  });

  it('a count trusts that many hops from the server (TRUST_PROXY=1: the peer, so the last forwarded entry is the client)', async () => {
    const { url } = await start({ TRUST_PROXY: '1', CODE_TRIES_PER_ADDRESS: '2' });
    expect(await wrongCodes(url, ['1.1.1.1, 198.51.100.8', '2.2.2.2, 198.51.100.8', '198.51.100.8'])).toEqual([
      'CODE_INVALID',
      'CODE_INVALID',
      'CODE_TRIES_EXCEEDED',
    ]);
  });

  it('without TRUST_PROXY nobody is trusted', async () => {
    const { url } = await start({ CODE_TRIES_PER_ADDRESS: '2' });
    expect(await wrongCodes(url, ['203.0.113.1', '203.0.113.2', '203.0.113.3'])).toEqual(['CODE_INVALID', 'CODE_INVALID', 'CODE_TRIES_EXCEEDED']);
  });
});

describe('security headers', () => {
  const expectHelmet = (headers: IncomingHttpHeaders, where: string) => {
    expect(headers['x-content-type-options'], where).toBe('nosniff');
    expect(headers['x-frame-options'], where).toBe('DENY');
    expect(headers['strict-transport-security'], where).toMatch(/max-age=/);
    expect(headers['cross-origin-opener-policy'], where).toBe('same-origin');
    const csp = String(headers['content-security-policy']);
    expect(csp, where).toContain("default-src 'self'");
    expect(csp, where).toContain("style-src 'self';");
    expect(csp, where).toContain("script-src 'self';");
    expect(csp, where).toContain("frame-ancestors 'none'");
    expect(csp, where).not.toContain('unsafe-inline');
    expect(csp, where).not.toContain('unsafe-eval');
  };

  it('Express answers and every Socket.IO answer carry them: polling, a refused handshake, an unknown session, the WebSocket upgrade', async () => {
    const { url } = await start();
    expectHelmet((await get(`${url}/healthz`)).headers, '/healthz');
    const handshake = await get(url + POLLING);
    expectHelmet(handshake.headers, 'polling handshake');
    const sid = (JSON.parse(handshake.body.slice(1)) as { sid: string }).sid;
    // A packet sent in the session (a ping), answered at once with "ok".
    const sent = await get(`${url}${POLLING}&sid=${sid}`, { 'content-type': 'text/plain' }, 'POST', '2');
    expect(sent.body).toBe('ok');
    expectHelmet(sent.headers, 'polling with a session');
    expectHelmet((await get(url + POLLING, { Origin: 'https://evil.example' })).headers, 'refused handshake');
    expectHelmet((await get(`${url}${POLLING}&sid=nosuchsession`)).headers, 'unknown session');
    const upgraded = await upgrade(url, {});
    expect(upgraded.status).toBe(101);
    expectHelmet(upgraded.headers, 'websocket upgrade');
  });
});
