/**
 * The benchmark's orchestrator: starts each system's server as its own process, a load
 * generator as another, runs fixed-length phases at several room counts, samples the server's
 * CPU and memory from /proc during each measured window, and returns everything measured.
 * `bench/run.ts` is the command line; test/load/benchSmoke.test.ts runs a small version in CI.
 */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { cpuTicks, rssKb, startGenerator, startOurNode, startPeer, TICKS_PER_SECOND, type ServerHandle } from './processes';
import { round } from './stats';
import { SYSTEMS, type PhaseResult, type SystemName } from './types';
import type { BrowserLatencyReport } from '../../bench/browserLatencyReport';

export const LATENCY_BUDGET_MS = 50;
/** so that the progress lines' columns line up whichever system they are about */
const LABEL_WIDTH = Math.max(...SYSTEMS.map((s) => s.length));

export interface BenchOptions {
  systems: SystemName[];
  sizes: number[];
  warmupMs: number;
  measureMs: number;
  drainMs: number;
  /** share of our rooms that run a guided session */
  turnShare: number;
  /** also run ours as two nodes over Redis */
  redis: boolean;
  /** which systems get a search for the largest room count under the budget */
  search: SystemName[];
  /** at most this many extra phases per searched system */
  searchSteps: number;
  /** never more rooms than this (two sockets each, in two processes) */
  maxRooms: number;
  profileDir?: string;
  seed: number;
  log(line: string): void;
}

export const defaultOptions: BenchOptions = {
  systems: ['ours', 'hocuspocus', 'y-websocket', 'relay', 'socket.io-relay'],
  sizes: [10, 100, 1000],
  warmupMs: 3000,
  measureMs: 10_000,
  drainMs: 5000,
  turnShare: 0.25,
  redis: false,
  // The two relays are floors to compare with, not systems to size.
  search: ['ours', 'hocuspocus', 'y-websocket'],
  searchSteps: 3,
  maxRooms: 4000,
  seed: 42,
  log: (line) => console.log(line),
};

export interface PhaseRow {
  rooms: number;
  /** part of the search for the largest room count under the budget, not one of the fixed sizes */
  search: boolean;
  result: PhaseResult;
  serverCpuPercent: number;
  /** median of the samples taken during the window, summed over nodes */
  serverRssKb: number;
  /** server CPU time over the window divided by the edits typed in it (awareness and turns included) */
  serverCpuMsPerEdit: number;
  /** (RSS with N rooms - RSS idle) / N */
  kbPerRoom: number;
  /** documents held in memory during the window and once every client left (ours only) */
  loadedDocsDuring: number | null;
  loadedDocsAfter: number | null;
  rssAfterKb: number;
  /** V8 heap in use at the end of the window, summed over nodes (ours only: read by the probe) */
  serverHeapUsedKb: number | null;
  /** the machine's 1-minute load average when the phase started: other work on the same cores */
  loadAverage: number;
}

export interface SystemRun {
  system: SystemName;
  label: string;
  nodes: number;
  idleRssKb: number;
  phases: PhaseRow[];
  /** the largest room count measured with edit p99 under the budget and nothing lost */
  maxRoomsUnderBudget: number | null;
  /** true when no measured size failed, so the real limit may be higher */
  maxRoomsIsLowerBound: boolean;
}

export interface MachineDescription {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  kernel: string;
  openFilesLimit: string;
}

export interface BenchReport {
  startedAt: string;
  durationS: number;
  machine: MachineDescription;
  options: Omit<BenchOptions, 'log'>;
  runs: SystemRun[];
  /** the browser phase (bench/browserLatency.ts), and the run it is compared with, if any */
  browser?: BrowserLatencyReport;
  browserBaseline?: BrowserLatencyReport;
}

export function describeMachine(): MachineDescription {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1]) cpuModel = match[1].trim();
  } catch {
    // not Linux: os.cpus() it is
  }
  let openFilesLimit = 'unknown';
  try {
    openFilesLimit = execSync('ulimit -n', { shell: '/bin/sh' }).toString().trim();
  } catch {
    // leave unknown
  }
  return {
    cpuModel,
    cores: os.availableParallelism(),
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
    openFilesLimit,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function passes(row: PhaseRow): boolean {
  const { edits } = row.result;
  return edits.latencyMs.count > 0 && edits.latencyMs.p99 < LATENCY_BUDGET_MS && edits.lost === 0;
}

async function startSystem(system: SystemName, nodes: number, redis: RedisServer | null): Promise<ServerHandle[]> {
  if (system !== 'ours') return [await startPeer(system)];
  const prefix = `bench${Date.now().toString(36)}:`;
  const started: ServerHandle[] = [];
  for (let i = 0; i < nodes; i++) {
    started.push(
      await startOurNode({
        redisUrl: redis?.url,
        redisPrefix: prefix,
      }),
    );
  }
  return started;
}

interface SystemContext {
  run: SystemRun;
  phase(rooms: number, search: boolean): Promise<PhaseRow>;
  stop(): Promise<void>;
}

/** Starts a system's server(s) and its generator; phases run later, interleaved with the other systems. */
async function prepareSystem(system: SystemName, nodes: number, options: BenchOptions): Promise<SystemContext> {
  const label = nodes > 1 ? `${system} (${nodes} nodes, Redis)` : system;
  const redis = nodes > 1 ? await startRedisServer() : null;
  const servers = await startSystem(system, nodes, redis);
  const pids = servers.flatMap((s) => s.pids);
  const sumRss = () => pids.reduce((sum, pid) => sum + rssKb(pid), 0);
  const sumTicks = () => pids.reduce((sum, pid) => sum + cpuTicks(pid), 0);
  const loadedDocs = async () => {
    const counts = await Promise.all(servers.map((s) => s.loadedDocs()));
    return counts.some((c) => c === null) ? null : counts.reduce<number>((a, c) => a + (c ?? 0), 0);
  };
  const generator = await startGenerator(system, servers.flatMap((s) => s.urls), options.profileDir);
  await sleep(1000);
  const idleRssKb = sumRss();
  const run: SystemRun = { system, label, nodes, idleRssKb, phases: [], maxRoomsUnderBudget: null, maxRoomsIsLowerBound: false };
  options.log(`${label}: started, idle RSS ${Math.round(idleRssKb / 1024)} MB`);

  async function phase(rooms: number, search: boolean): Promise<PhaseRow> {
    let ticksAt = 0;
    let ticks = 0;
    let windowStarted = 0;
    let windowSeconds = 0;
    const rssSamples: number[] = [];
    let sampler: NodeJS.Timeout | null = null;
    let during: Promise<number | null> = Promise.resolve(null);
    let heap: Promise<Array<number | null>> = Promise.resolve([]);
    const loadAverage = round(os.loadavg()[0] ?? NaN, 2);
    const result = await generator.run(
      {
        type: 'phase',
        rooms,
        warmupMs: options.warmupMs,
        measureMs: options.measureMs,
        drainMs: options.drainMs,
        turnShare: options.turnShare,
        seed: options.seed + rooms,
      },
      (mark) => {
        if (mark === 'measureStart') {
          ticksAt = sumTicks();
          windowStarted = performance.now();
          sampler = setInterval(() => rssSamples.push(sumRss()), 250);
          if (options.profileDir) for (const s of servers) s.profile?.('start');
        } else {
          if (options.profileDir) {
            servers.forEach((s, i) => s.profile?.('stop', path.join(options.profileDir ?? '', `${label.replace(/\W+/g, '-')}-${rooms}-node${i}.cpuprofile`)));
          }
          ticks = sumTicks() - ticksAt;
          windowSeconds = (performance.now() - windowStarted) / 1000;
          if (sampler) clearInterval(sampler);
          rssSamples.push(sumRss());
          during = loadedDocs();
          heap = Promise.all(servers.map((s) => s.heapUsedKb()));
        }
      },
    );
    const loadedDocsDuring = await during;
    const heaps = await heap;
    const serverHeapUsedKb = heaps.length && heaps.every((h) => h !== null) ? heaps.reduce<number>((a, h) => a + (h ?? 0), 0) : null;
    // Every client has left: wait for the server to let go of the rooms' documents.
    let loadedDocsAfter = await loadedDocs();
    for (let waited = 0; loadedDocsAfter !== null && loadedDocsAfter > 0 && waited < 10_000; waited += 100) {
      await sleep(100);
      loadedDocsAfter = await loadedDocs();
    }
    await sleep(500);
    const sorted = rssSamples.sort((a, b) => a - b);
    const serverRssKb = sorted[Math.floor(sorted.length / 2)] ?? NaN;
    const row: PhaseRow = {
      rooms,
      search,
      result,
      serverCpuPercent: round((ticks / TICKS_PER_SECOND / windowSeconds) * 100, 1),
      serverCpuMsPerEdit: round((ticks / TICKS_PER_SECOND) * 1000 / Math.max(1, result.edits.sent), 3),
      serverRssKb,
      kbPerRoom: round((serverRssKb - idleRssKb) / rooms, 1),
      loadedDocsDuring,
      loadedDocsAfter,
      rssAfterKb: sumRss(),
      serverHeapUsedKb,
      loadAverage,
    };
    const e = result.edits;
    const t = result.turns;
    options.log(
      `${label.padEnd(LABEL_WIDTH)} ${String(rooms).padStart(5)} rooms${search ? ' (search)' : ''}: edit p50/p95/p99 ${e.latencyMs.p50}/${e.latencyMs.p95}/${e.latencyMs.p99} ms ` +
        `(${e.delivered}/${e.sent} delivered, ${e.perSecond}/s)` +
        (t.rooms > 0 ? `, turn p99 ${t.latencyMs.p99} ms (${t.completed}/${t.sent})` : '') +
        `, server CPU ${row.serverCpuPercent}% (${row.serverCpuMsPerEdit} ms/edit), RSS ${Math.round(serverRssKb / 1024)} MB${serverHeapUsedKb !== null ? ` (heap ${Math.round(serverHeapUsedKb / 1024)} MB)` : ''}, ${row.kbPerRoom} KB/room, ` +
        `generator CPU ${result.generatorCpuPercent}% (loop delay p99 ${result.generatorLoopDelayP99Ms} ms), load ${loadAverage}` +
        (loadedDocsAfter !== null ? `, docs loaded during/after ${loadedDocsDuring}/${loadedDocsAfter}` : '') +
        (result.errors.length ? `\n    errors: ${result.errors.join('; ')}` : '') +
        (Object.keys(result.refusals).length ? `\n    refusals: ${JSON.stringify(result.refusals)}` : ''),
    );
    run.phases.push(row);
    return row;
  }

  return {
    run,
    phase,
    async stop() {
      const passing = run.phases.filter(passes).map((p) => p.rooms);
      run.maxRoomsUnderBudget = passing.length ? Math.max(...passing) : null;
      const failing = run.phases.filter((p) => !passes(p)).map((p) => p.rooms);
      run.maxRoomsIsLowerBound = run.maxRoomsUnderBudget !== null && !failing.some((f) => f > (run.maxRoomsUnderBudget ?? 0));
      await generator.stop();
      for (const server of servers) await server.stop();
      await redis?.destroy();
    },
  };
}

/** Doubles past the largest passing size until one fails (or the cap), then bisects. */
async function search(run: SystemRun, options: BenchOptions, probe: (rooms: number) => Promise<PhaseRow>): Promise<void> {
  for (let step = 0; step < options.searchSteps; step++) {
    const pass = Math.max(0, ...run.phases.filter(passes).map((p) => p.rooms));
    const fails = run.phases.filter((p) => !passes(p) && p.rooms > pass).map((p) => p.rooms);
    const fail = fails.length ? Math.min(...fails) : null;
    let next: number;
    if (fail === null) {
      if (pass >= options.maxRooms) return;
      next = Math.min(options.maxRooms, Math.max(10, pass * 2));
    } else {
      if (fail - pass <= Math.max(10, pass * 0.1)) return;
      next = Math.round((pass + fail) / 2 / 10) * 10;
    }
    if (next <= pass || run.phases.some((p) => p.rooms === next)) return;
    await probe(next);
  }
}

export async function runBenchmark(partial: Partial<BenchOptions> = {}): Promise<BenchReport> {
  const options: BenchOptions = { ...defaultOptions, ...partial };
  const started = Date.now();
  const machine = describeMachine();
  options.log(
    `Common Ground benchmark on ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ulimit -n ${machine.openFilesLimit}`,
  );
  // Every system stays up for the whole run and the sizes go round the systems in turn, so
  // whatever else the machine is doing at a given moment weighs on all of them alike.
  const contexts: SystemContext[] = [];
  try {
    for (const system of options.systems) contexts.push(await prepareSystem(system, 1, options));
    if (options.redis && options.systems.includes('ours')) contexts.push(await prepareSystem('ours', 2, options));
    for (const size of options.sizes) {
      if (size > options.maxRooms) continue;
      for (const context of contexts) await context.phase(size, false);
    }
    for (const context of contexts) {
      if (context.run.nodes === 1 && options.search.includes(context.run.system)) {
        await search(context.run, options, (rooms) => context.phase(rooms, true));
      }
    }
  } finally {
    for (const context of contexts) await context.stop();
  }
  const runs = contexts.map((c) => c.run);
  const { log: _log, ...recorded } = options;
  return { startedAt: new Date(started).toISOString(), durationS: Math.round((Date.now() - started) / 1000), machine, options: recorded, runs };
}
