// Crafted Yjs updates, sent as an attacker's script would: y-protocols frames over a real
// socket.io-client connection to a real server process. Every one must cost the server at most
// 20 ms of CPU (its main thread, the event loop), and /healthz must answer within 100 ms while
// they arrive. What Yjs itself would spend on them (25 s for a 15-byte delete range walked one
// clock at a time by the old guard; 2.7 s for 255 KB of structs with unknown origins; 90 ms per
// update once 255 KB wait in the document) is what the checks in server/documents refuse.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Ack } from '../../shared/protocol/errors';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { pairUp, type Pair } from '../support/sessionClient';
import type { ClientSocket } from '../support/socketClient';

const BUDGET_NS = 20_000_000;
const HEALTH_BUDGET_MS = 100;
const MAX_UPDATE = 255 * 1024;

let server: ServerProcess;
let control: ServerProcess;
let pair: Pair;

beforeAll(async () => {
  // The per-connection event limit is not what this test is about: it would refuse the flood
  // before the documents see it.
  server = await startServerProcess({ EVENTS_PER_SECOND: '5000', EVENTS_PER_SECOND_PER_ADDRESS: '20000', LOG_LEVEL: 'error' });
  control = await startServerProcess({ LOG_LEVEL: 'error' });
  pair = await pairUp(server.url);
}, 60_000);

afterAll(async () => {
  for (const socket of pair?.sockets ?? []) socket.disconnect();
  await Promise.all([server?.stop(), control?.stop()]);
});

// ---- crafted updates (format V1, as y-protocols carries it) ----

interface Struct {
  client: number;
  clock: number;
  write(encoder: encoding.Encoder): void;
}

/** An item holding one number, with the given origin and/or parent id (unknown ones are the attack). */
function anyItem(client: number, clock: number, refs: { origin?: [number, number]; parent?: [number, number] }): Struct {
  return {
    client,
    clock,
    write(e) {
      encoding.writeUint8(e, 8 | (refs.origin ? 128 : 0));
      if (refs.origin) {
        encoding.writeVarUint(e, refs.origin[0]);
        encoding.writeVarUint(e, refs.origin[1]);
      } else {
        encoding.writeVarUint(e, 0); // parent is an id
        encoding.writeVarUint(e, refs.parent?.[0] ?? 0);
        encoding.writeVarUint(e, refs.parent?.[1] ?? 0);
      }
      encoding.writeVarUint(e, 1);
      encoding.writeAny(e, 1);
    },
  };
}

/** One update: each struct as its own client run (so many clients), then the delete ranges. */
function craft(structs: Struct[], deletes: Array<[client: number, clock: number, length: number]> = []): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, structs.length);
  for (const struct of structs) {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, struct.client);
    encoding.writeVarUint(e, struct.clock);
    struct.write(e);
  }
  const byClient = new Map<number, Array<[number, number]>>();
  for (const [client, clock, length] of deletes) byClient.set(client, [...(byClient.get(client) ?? []), [clock, length]]);
  encoding.writeVarUint(e, byClient.size);
  for (const [client, ranges] of byClient) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, ranges.length);
    for (const [clock, length] of ranges) {
      encoding.writeVarUint(e, clock);
      encoding.writeVarUint(e, length);
    }
  }
  return encoding.toUint8Array(e);
}

/** One client, many structs in one run, each pointing at a parent nobody has. */
function unknownParentsOneClient(client: number, count: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, count);
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, 0);
  for (let i = 0; i < count; i++) anyItem(client, i, { parent: [client + 1, i] }).write(e);
  encoding.writeVarUint(e, 0);
  return encoding.toUint8Array(e);
}

/** Valid Yjs: what `edit` writes in one transaction on a fresh document of `clientID`. */
function madeBy(clientID: number, edit: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  doc.transact(() => edit(doc));
  return Y.encodeStateAsUpdate(doc);
}

/** Maps nested `levels` deep in one update. */
const deepNesting = (levels: number, clientID: number) =>
  madeBy(clientID, (doc) => {
    let map = doc.getMap('agreements');
    for (let i = 0; i < levels; i++) {
      const inner = new Y.Map();
      map.set('k', inner);
      map = inner;
    }
  });

/** `count` sibling maps in one update. */
const wideTypes = (count: number, clientID: number) =>
  madeBy(clientID, (doc) => {
    const root = doc.getMap('agreements');
    for (let i = 0; i < count; i++) root.set(`a${i}`, new Y.Map([['t', 'x']]));
  });

/** One long text, up to the update size limit. */
const bigText = (chars: number, clientID: number) => madeBy(clientID, (doc) => doc.getText('big').insert(0, 'y'.repeat(chars)));

/** Valid Yjs: a device typing `length` characters, one update each; the first is never sent. */
function pendingChain(length: number, clientID: number): Uint8Array[] {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const text = doc.getText('chain');
  for (let i = 0; i < length + 1; i++) text.insert(i, 'x');
  return updates.slice(1);
}

/** `make(n)` for the largest n up to `n` whose update fits the size limit: every shape is one the server must read. */
function fitting(make: (n: number) => Uint8Array, n: number): Uint8Array {
  for (let count = n; ; ) {
    const update = make(count);
    if (update.byteLength <= MAX_UPDATE) return update;
    count = Math.max(1, Math.floor((count * MAX_UPDATE) / update.byteLength) - 1);
  }
}

const unknownOrigins = (firstClient: number) => (count: number) =>
  craft(Array.from({ length: count }, (_, i) => anyItem(firstClient + i, 0, { origin: [7, 5 + i] })));

const TWO_53 = Number.MAX_SAFE_INTEGER;
const clientId = fc.integer({ min: 10_000, max: 2 ** 31 });
const hugeNumber = fc.oneof(fc.constant(TWO_53 - 1), fc.integer({ min: 2 ** 40, max: TWO_53 - 1 }), fc.integer({ min: 1, max: 2 ** 32 }));

type Shape = { name: string; updates: Uint8Array[] };

const shapes: fc.Arbitrary<Shape> = fc.oneof(
  fc.tuple(clientId, fc.nat(), hugeNumber).map(([client, clock, length]) => ({
    name: `a delete range of ${length} clocks`,
    updates: [craft([], [[client, clock, Math.max(1, Math.min(length, TWO_53 - clock))]])],
  })),
  fc.tuple(clientId, fc.integer({ min: 1, max: 50_000 })).map(([client, count]) => ({
    name: `${count} delete ranges beyond what anyone wrote`,
    updates: [fitting((n) => craft([], Array.from({ length: n }, (_, i) => [client + (i % 7), 2 ** 40 + i * 2 ** 20, 2 ** 19] as [number, number, number])), count)],
  })),
  fc.tuple(clientId, fc.integer({ min: 1, max: 29_000 })).map(([client, count]) => ({
    name: `${count} clients' structs with unknown origins`,
    updates: [fitting(unknownOrigins(client), count)],
  })),
  fc.tuple(clientId, fc.integer({ min: 1, max: 40_000 })).map(([client, count]) => ({
    name: `${count} structs of one client under an unknown parent`,
    updates: [fitting((n) => unknownParentsOneClient(client, n), count)],
  })),
  fc.tuple(clientId, hugeNumber).map(([client, clock]) => ({
    name: `a struct at clock ${clock}`,
    updates: [craft([anyItem(client, clock, { parent: [client, 0] })])],
  })),
  fc.tuple(fc.integer({ min: 10, max: 24_000 }), clientId).map(([levels, client]) => ({
    name: `maps nested ${levels} deep`,
    updates: [fitting((n) => deepNesting(n, client), levels)],
  })),
  fc.tuple(fc.integer({ min: 100, max: 7_000 }), clientId).map(([count, client]) => ({
    name: `${count} sibling maps`,
    updates: [fitting((n) => wideTypes(n, client), count)],
  })),
  fc.tuple(fc.integer({ min: 2, max: 120 }), clientId).map(([length, client]) => ({
    name: `a chain of ${length} updates whose first never arrives`,
    updates: pendingChain(length, client),
  })),
  fc.tuple(fc.integer({ min: 1, max: MAX_UPDATE - 64 }), clientId).map(([chars, client]) => ({
    name: `a text of ${chars} characters`,
    updates: [bigText(chars, client)],
  })),
);

// ---- measuring the server ----

/** CPU time of the server's main thread (the event loop), in nanoseconds. */
function serverCpuNs(): number {
  return Number(readFileSync(`/proc/${server.pid}/schedstat`, 'utf8').split(' ')[0]);
}

function frame(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

const QUERY_AWARENESS = new Uint8Array([3]);

function send(socket: ClientSocket, message: Uint8Array): Promise<Ack> {
  return new Promise((resolve) =>
    (socket as unknown as { emit(e: string, p: unknown, ack: (a: Ack) => void): void }).emit('doc:message', { doc: 'agreements', message }, resolve),
  );
}

const answers: Array<Promise<Ack>> = [];

/**
 * Sends one update and a tiny message after it on the same socket: the server handles a
 * socket's messages in order, so once the second is answered the first has been checked (and
 * refused, applied, or set aside to wait). The CPU the server spent between is the update's
 * cost, the framing and the probe included.
 */
async function costOf(update: Uint8Array): Promise<number> {
  const before = serverCpuNs();
  answers.push(send(pair.a, frame(update)));
  const probe = await send(pair.a, QUERY_AWARENESS);
  expect(probe.ok).toBe(true);
  return serverCpuNs() - before;
}

interface HealthFigures {
  worstMs: number;
  /** the same asked of an idle server on the same machine at the same time */
  controlWorstMs: number;
  asked: number;
}

/**
 * /healthz asked every 20 ms by a process of its own (so this test's own work does not delay
 * the asking), of the attacked server and, alternately, of an idle one: on a machine shared
 * with other work, the idle server's answers show what the machine alone adds.
 */
function watchHealth(url: string, controlUrl: string): { ready: Promise<void>; stop(): Promise<HealthFigures> } {
  const script = `
    const urls = [${JSON.stringify(`${url}/healthz`)}, ${JSON.stringify(`${controlUrl}/healthz`)}];
    const worst = [0, 0];
    let asked = 0, stopping = false;
    const timed = async (i) => {
      const t = performance.now();
      const res = await fetch(urls[i]);
      await res.text();
      return performance.now() - t;
    };
    const ask = async () => {
      while (!stopping) {
        for (const i of [0, 1]) worst[i] = Math.max(worst[i], await timed(i));
        asked++;
        await new Promise((r) => setTimeout(r, 20));
      }
      process.stdout.write(JSON.stringify({ worstMs: worst[0], controlWorstMs: worst[1], asked }));
    };
    process.stdin.on('end', () => (stopping = true));
    process.stdin.resume();
    // The first fetches of a process load its HTTP client: not the servers' time.
    Promise.all([timed(0), timed(1)]).then(() => { process.stdout.write('ready' + String.fromCharCode(10)); ask(); });
  `;
  const child: ChildProcess = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve) => child.stdout?.on('data', () => out.startsWith('ready\n') && resolve()));
  return {
    ready,
    async stop() {
      child.stdin?.end();
      await exited;
      return JSON.parse(out.slice('ready\n'.length)) as HealthFigures;
    },
  };
}

const figures: Array<{ name: string; bytes: number; ms: number }> = [];

async function attack(shape: Shape): Promise<void> {
  for (const update of shape.updates) {
    expect(update.byteLength).toBeLessThanOrEqual(MAX_UPDATE);
    const ns = await costOf(update);
    figures.push({ name: shape.name, bytes: update.byteLength, ms: ns / 1e6 });
    expect(ns, `${shape.name} (${update.byteLength} bytes) cost ${(ns / 1e6).toFixed(1)} ms`).toBeLessThanOrEqual(BUDGET_NS);
  }
}

describe('adversarial updates cost the server at most 20 ms each', () => {
  beforeAll(async () => {
    // A server that has been running: the checks' code is compiled before it is timed.
    for (let i = 0; i < 3; i++) {
      for (const update of [craft([], [[99, 0, 5]]), unknownParentsOneClient(98, 500), deepNesting(100, 97 + i * 1000), bigText(2000, 96 + i * 1000), ...pendingChain(3, 95 + i * 1000)]) {
        answers.push(send(pair.a, frame(update)));
      }
      await send(pair.a, QUERY_AWARENESS);
    }
  });

  it('[RD-04, RD-05] fuzzed shapes up to the size limit, while /healthz keeps answering', async () => {
    const health = watchHealth(server.url, control.url);
    await health.ready;
    let figuresOfHealth: HealthFigures;
    try {
      await fc.assert(fc.asyncProperty(shapes, attack), { numRuns: 40, seed: 17 });
    } finally {
      figuresOfHealth = await health.stop();
      const worst = [...figures].sort((a, b) => b.ms - a.ms).slice(0, 3);
      const { worstMs, controlWorstMs, asked } = figuresOfHealth;
      console.info(
        `worst: ${worst.map((f) => `${f.name} ${f.bytes} B ${f.ms.toFixed(1)} ms`).join('; ')}; ` +
          `/healthz worst ${worstMs.toFixed(1)} ms (idle server meanwhile ${controlWorstMs.toFixed(1)} ms) over ${asked}`,
      );
    }
    expect(figuresOfHealth.asked).toBeGreaterThan(0);
    // What the attack adds to an answer: within 100 ms (on an idle machine the idle server's
    // worst is a few ms, so this is the issue's bound; on a shared one it does not count the
    // time the machine keeps any process waiting).
    expect(figuresOfHealth.worstMs).toBeLessThan(HEALTH_BUDGET_MS + figuresOfHealth.controlWorstMs);
    // Every refusal is a named one (the held updates are answered when dropped, within 10 s).
    const refusals = new Set((await Promise.all(answers)).flatMap((ack) => (ack.ok ? [] : [ack.error.code])));
    for (const code of refusals) expect(['UPDATE_MALFORMED', 'UPDATE_INCOMPLETE', 'UPDATE_TOO_COMPLEX', 'DOC_TOO_LARGE']).toContain(code);
  }, 180_000);

  // The largest of each shape, as regression tests of their own.
  it.each<[string, () => Uint8Array[]]>([
    ['a 13-byte delete range of 2^53 clocks (froze the server 25 s)', () => [craft([], [[123_456, 0, TWO_53]])]],
    ['255 KB of structs of 21,000 clients with unknown origins (3.7 s before)', () => [fitting(unknownOrigins(500_000), 29_000)]],
    ['255 KB of structs under an unknown parent (2.1 s before)', () => [fitting((n) => unknownParentsOneClient(600_000, n), 40_000)]],
    ['maps nested 20,000 deep in 247 KB (1.9 s before)', () => [fitting((n) => deepNesting(n, 700_000), 24_000)]],
    ['7,000 sibling maps', () => [wideTypes(7_000, 800_000)]],
    ['512 sibling maps, the most one update may add (applied)', () => [wideTypes(512, 810_000)]],
    ['maps nested 500 deep, within the type count but not the depth', () => [deepNesting(500, 820_000)]],
    ['a text of 255 KB', () => [bigText(MAX_UPDATE - 64, 900_000)]],
  ])('%s', async (name, make) => {
    await attack({ name, updates: make() });
  }, 60_000);
});

describe('updates that wait for parts that never arrive', () => {
  it('[RD-07] are bounded: past 64 updates or 256 KB waiting they are refused with UPDATE_INCOMPLETE, and memory stays flat', async () => {
    const rssKb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1]);
    const before = rssKb();
    const codes = new Map<string, number>();
    // 2,000 updates of 60 KB each (120 MB in all), every one building on something nobody sends.
    const acks: Array<Promise<Ack>> = [];
    for (let i = 0; i < 2_000; i++) {
      acks.push(send(pair.b, frame(craft(Array.from({ length: 6_000 }, (_, j) => anyItem(1_000_000 + i * 10_000 + j, 0, { origin: [3, i] }))))));
      // Answered once the update before it was checked: the server is not sent faster than it reads.
      await send(pair.b, QUERY_AWARENESS);
    }
    const grownMb = (rssKb() - before) / 1024;
    // The few held are answered when they are dropped, after 10 s; the rest were refused at once.
    for (const ack of await Promise.all(acks)) {
      const code = ack.ok ? 'ok' : ack.error.code;
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    console.info(`pending loop: RSS ${Math.round(before / 1024)} MB -> ${Math.round(before / 1024 + grownMb)} MB; answers ${JSON.stringify(Object.fromEntries(codes))}`);
    expect(codes.get('UPDATE_INCOMPLETE')).toBe(2_000);
    // Keeping them would take more than the 120 MB sent; alone this grows about 20 MB, and up to
    // about 55 MB when a loaded machine delays the server's garbage collection.
    expect(grownMb).toBeLessThan(80);
  }, 120_000);
});
