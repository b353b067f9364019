import { createServer, connect, type Server, type Socket } from 'node:net';
import { startApp, type RunningApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { createLogger, type Logger } from '../../server/logger';
import { createRedisStorage, type RedisStorage } from '../../server/storage/redis/redisStorage';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { freePort, startRedisServer, type RedisServer, type RedisServerOptions } from '../support/redisServer';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import type { YjsDocClient } from '../support/yjsDocClient';
import { connectClient, createRoomOverHttp, request, type ClientSocket } from '../support/socketClient';
import type { RoomView } from '../../shared/protocol/rooms';

let prefixes = 0;
/** A fresh key prefix per test, so tests never see each other's keys. */
export function freshPrefix(): string {
  return `mn${process.pid}-${++prefixes}-${Date.now().toString(36)}:`;
}

export interface InProcessNode {
  app: RunningApp;
  storage: RedisStorage;
  url: string;
  close(): Promise<void>;
}

/** One node: the real composition root on port 0, with the Redis store (and so the Redis adapter and limiters). */
export async function startNode(
  redisUrl: string,
  prefix: string,
  options: { log?: Logger; env?: Record<string, string> } = {},
): Promise<InProcessNode> {
  const config = loadConfig({ ...options.env, PORT: '0', HOST: '127.0.0.1', REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'silent' });
  const storage = await createRedisStorage(redisUrl, { prefix });
  const app = await startApp({ config, storage, log: options.log ?? createLogger('silent') });
  let closed = false;
  return {
    app,
    storage,
    url: app.url,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}

/**
 * A load balancer we can steer: a TCP proxy whose target can change, and which can cut every
 * open connection (as a dead node or a health-check failover would).
 */
export interface TcpProxy {
  readonly port: number;
  readonly url: string;
  target: number;
  dropAll(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: number): Promise<TcpProxy> {
  const port = await freePort();
  const open = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = connect(proxy.target, '127.0.0.1');
    for (const s of [inbound, outbound]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const proxy: TcpProxy = {
    port,
    url: `http://127.0.0.1:${port}`,
    target,
    dropAll() {
      for (const s of open) s.destroy();
    },
    async close() {
      this.dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}

export const seatsOf = (view: RoomView) => view.seats.map((s) => [s.seat, s.displayName, s.presence]);

/** Joins the room with the device token and returns the view the join answered with. */
export async function join(socket: ClientSocket, roomId: string, deviceToken: string): Promise<RoomView> {
  const joined = await request<{ room: RoomView; you: string }>(socket, 'room:join', { roomId, deviceToken });
  if (!joined.ok) throw new Error(`join refused: ${joined.error.code}`);
  return joined.room;
}

/** What `seatsOf` gives once Sam and Alex are both in the room. */
export const BOTH_HERE = [
  ['A', 'Sam', 'here'],
  ['B', 'Alex', 'here'],
];

/**
 * Sam opens a room through `urlA` and joins there; Alex claims its code through `urlB` and joins
 * there. Both sockets go into `sockets`; `joinedB` is the room as B's join answered it.
 */
export async function pairByCode(urlA: string, urlB: string, sockets: ClientSocket[]) {
  const created = await createRoomOverHttp(urlA, 'Sam');
  const a = await connectClient(urlA);
  const b = await connectClient(urlB);
  sockets.push(a, b);
  await join(a, created.roomId, created.deviceToken);
  const claimed = await claimCode(b, created.code.code, 'Alex');
  const joinedB = await join(b, claimed.roomId, claimed.deviceToken);
  return { created, a, b, claimed, joinedB };
}

export async function claimCode(socket: ClientSocket, code: string, displayName: string): Promise<{ roomId: string; seat: string; deviceToken: string }> {
  const claimed = await request<{ roomId: string; seat: string; deviceToken: string }>(socket, 'code:claim', {
    code,
    displayName,
    acceptedGroundRules: true,
  });
  if (!claimed.ok) throw new Error(`claim refused: ${claimed.error.code}`);
  return claimed;
}

/**
 * A logger for nodes under test that keeps every line at error level or above: a passing run
 * logs none, so a test fails on any (an error in a run that passes is a defect, not noise).
 */
export function errorLog(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger('error', { write: (line: string) => void lines.push(line) }), lines };
}

/** What a multi-node test opens, closed after each test in this order. */
export interface ClusterFixture {
  readonly redis: RedisServer;
  nodes: InProcessNode[];
  readonly clients: YjsDocClient[];
  readonly sockets: ClientSocket[];
  readonly proxies: TcpProxy[];
  /** server processes (server/main.ts), killed with SIGKILL after the test */
  readonly processes: ServerProcess[];
  /** Starts `count` in-process nodes on a fresh key prefix of this Redis; closed after the test. */
  startNodes(count?: number, options?: Parameters<typeof startNode>[2]): Promise<InProcessNode[]>;
  /** Starts `count` server processes on a fresh key prefix of this Redis; killed after the test. */
  startProcesses(count?: number, env?: Record<string, string>): Promise<ServerProcess[]>;
  /** Two server processes; clients reach the first (the one to kill) through a proxy a test can turn to the survivor. */
  startDoomedAndSurvivor(): Promise<{ doomed: ServerProcess; survivor: ServerProcess; proxy: TcpProxy }>;
}

/**
 * One real redis-server for the describe block; nodes, devices, sockets and proxies that a test
 * puts in the fixture are closed after it. Call inside `describe`.
 */
export function redisClusterPerTest(options: RedisServerOptions = {}): ClusterFixture {
  let redis: RedisServer | null = null;
  const fixture: ClusterFixture = {
    get redis(): RedisServer {
      if (!redis) throw new Error('redis-server is not running yet');
      return redis;
    },
    nodes: [] as InProcessNode[],
    clients: [] as YjsDocClient[],
    sockets: [] as ClientSocket[],
    proxies: [] as TcpProxy[],
    processes: [] as ServerProcess[],
    async startNodes(count = 2, nodeOptions: Parameters<typeof startNode>[2] = {}): Promise<InProcessNode[]> {
      const prefix = freshPrefix();
      const started = await Promise.all(Array.from({ length: count }, () => startNode(fixture.redis.url, prefix, nodeOptions)));
      fixture.nodes.push(...started);
      return started;
    },
    async startProcesses(count = 2, env: Record<string, string> = {}): Promise<ServerProcess[]> {
      const shared = { ...env, REDIS_URL: fixture.redis.url, REDIS_KEY_PREFIX: freshPrefix() };
      const started = await Promise.all(Array.from({ length: count }, () => startServerProcess(shared)));
      fixture.processes.push(...started);
      return started;
    },
    async startDoomedAndSurvivor() {
      const [doomed, survivor] = (await fixture.startProcesses(2)) as [ServerProcess, ServerProcess];
      const proxy = await startTcpProxy(doomed.port);
      fixture.proxies.push(proxy);
      return { doomed, survivor, proxy };
    },
  };
  beforeAll(async () => {
    redis = await startRedisServer(options);
  });
  afterAll(async () => {
    await redis?.destroy();
  });
  afterEach(async () => {
    for (const c of fixture.clients.splice(0)) c.close();
    for (const s of fixture.sockets.splice(0)) s.disconnect();
    for (const p of fixture.proxies.splice(0)) await p.close();
    await Promise.all(fixture.processes.splice(0).map((p) => p.kill()));
    for (const n of fixture.nodes.splice(0)) await n.close();
  });
  return fixture;
}

/** Resolves the next time the node says its subscriptions are back after an outage. */
export function restored(node: InProcessNode): Promise<void> {
  return new Promise((resolve) => {
    const stop = node.app.link.onRestored(() => {
      stop();
      resolve();
    });
  });
}
