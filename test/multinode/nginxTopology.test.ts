import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomView } from '../../shared/protocol/rooms';
import { freePort, redisServerAvailable, startRedisServer, type RedisServer } from '../support/redisServer';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { connectClient, createRoomOverHttp, nextEvent, type ClientSocket } from '../support/socketClient';
import { BOTH_HERE, claimCode, freshPrefix, join, seatsOf } from './cluster';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NGINX_BIN = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

function nginxAvailable(): boolean {
  if (existsSync(NGINX_BIN)) return true;
  if (process.env.CI) throw new Error(`CI: ${NGINX_BIN} is missing (apt-get install nginx); the load-balancer topology cannot be tested.`);
  console.warn(`\n*** SKIPPING the nginx topology test: ${NGINX_BIN} not found (apt-get install nginx) ***\n`);
  return false;
}

/**
 * deploy/nginx.conf as production uses it, with loopback addresses and paths a non-root user
 * may write. The one addition, X-Upstream, lets the test see which node answered.
 */
function testConfig(dir: string, port: number, upstreams: number[]): string {
  let conf = readFileSync(path.join(repoRoot, 'deploy/nginx.conf'), 'utf8');
  const servers = conf.match(/^\s*server app\d+:3000[^\n]*\n/gm) ?? [];
  if (servers.length < 2) throw new Error('deploy/nginx.conf: expected the app servers in its upstream block');
  conf = conf.replace(servers.join(''), upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;\n`).join(''));
  if (!conf.includes('listen 8080;')) throw new Error('deploy/nginx.conf: expected `listen 8080;`');
  conf = conf.replace('listen 8080;', `listen 127.0.0.1:${port};`);
  conf = conf.replace('worker_processes auto;', `worker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;`);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `  ${t}_temp_path ${dir}/${t};\n`)
    .join('');
  conf = conf.replace('http {\n', `http {\n  access_log off;\n${temp}`);
  conf = conf.replace('add_header Set-Cookie $cg_set_cookie always;', 'add_header Set-Cookie $cg_set_cookie always;\n      add_header X-Upstream $upstream_addr always;');
  return conf;
}

describe.skipIf(!nginxAvailable() || !redisServerAvailable())('nginx in front of two nodes and Redis (the compose topology, without Docker)', () => {
  let redis: RedisServer;
  let nodes: ServerProcess[] = [];
  let nginx: ChildProcess | null = null;
  let dir = '';
  let url = '';
  let nginxLog = '';
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    redis = await startRedisServer({ appendOnly: true });
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: freshPrefix(), TRUST_PROXY: '1' };
    nodes = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    dir = mkdtempSync(path.join(tmpdir(), 'cg-nginx-'));
    mkdirSync(path.join(dir, 'logs'));
    const port = await freePort();
    writeFileSync(path.join(dir, 'nginx.conf'), testConfig(dir, port, nodes.map((n) => n.port)));
    nginx = spawn(NGINX_BIN, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
    nginx.stderr?.on('data', (chunk: Buffer) => (nginxLog += chunk.toString()));
    url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (nginx.exitCode !== null) throw new Error(`nginx exited: ${nginxLog}`);
      const ok = await fetch(`${url}/nginx-health`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`nginx did not answer: ${nginxLog}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  });

  afterAll(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx!.once('exit', resolve));
      nginx.kill('SIGQUIT');
      await exited;
    }
    await Promise.all(nodes.map((n) => n.kill()));
    await redis?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Which node answers a request carrying this sticky cookie. */
  async function nodeFor(cookie: string): Promise<string> {
    const res = await fetch(`${url}/healthz`, { headers: { cookie: `cg_node=${cookie}` } });
    expect(res.status).toBe(200);
    return res.headers.get('x-upstream') ?? '';
  }

  it('answers /healthz through nginx, and sets the sticky cookie on a first request only', async () => {
    const first = await fetch(`${url}/healthz`);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ status: 'ok' });
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^cg_node=[0-9a-f]{32}; Path=\/; HttpOnly; SameSite=Lax$/);
    const again = await fetch(`${url}/healthz`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(again.headers.get('set-cookie')).toBeNull();
  });

  it('keeps a cookie on one node (sticky), and spreads different cookies over both nodes', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 16; i++) {
      const node = await nodeFor(`k${i}`);
      expect(await nodeFor(`k${i}`)).toBe(node);
      seen.add(node);
    }
    expect([...seen].sort()).toEqual(nodes.map((n) => `127.0.0.1:${n.port}`).sort());
  });

  it('creates a room over HTTP and pairs two partners on two different nodes over websockets, through nginx', async () => {
    // Two cookies that nginx sends to different nodes.
    const byNode = new Map<string, string>();
    for (let i = 0; byNode.size < 2 && i < 64; i++) {
      const node = await nodeFor(`p${i}`);
      if (!byNode.has(node)) byNode.set(node, `p${i}`);
    }
    const [cookieA, cookieB] = [...byNode.values()];
    expect(cookieB).toBeDefined();

    const created = await createRoomOverHttp(url, 'Sam');
    const a = await connectClient(url, { headers: { cookie: `cg_node=${cookieA}` } });
    const b = await connectClient(url, { headers: { cookie: `cg_node=${cookieB}` } });
    sockets.push(a, b);
    await join(a, created.roomId, created.deviceToken);
    const claimed = await claimCode(b, created.code.code, 'Alex');
    const seenByA = nextEvent<RoomView>(a, 'room:state', (v) => v.seats.find((s) => s.seat === 'B')?.presence === 'here');
    expect(seatsOf(await join(b, claimed.roomId, claimed.deviceToken))).toEqual(BOTH_HERE);
    expect(seatsOf(await seenByA)).toEqual(BOTH_HERE);
  });
});
