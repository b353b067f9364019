import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/redisServer';
import type { GeneratorCommand, GeneratorMessage, PhaseRequest, PhaseResult, ProbeStats, SystemName } from './types';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const here = path.dirname(fileURLToPath(import.meta.url));

// ---- every child, so that none outlives the run (exit, Ctrl-C, a thrown error) ----

const children = new Set<ChildProcess>();
let cleanupInstalled = false;

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (!cleanupInstalled) {
    cleanupInstalled = true;
    process.once('exit', killAllChildren);
  }
  return child;
}

/** SIGKILL for every child still running; synchronous, so it also works from an 'exit' handler. */
export function killAllChildren(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
}

async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

// ---- /proc readings, the same for every system ----

/** utime + stime of a process, in clock ticks (USER_HZ, 100 on Linux). */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
export const TICKS_PER_SECOND = 100;

export function rssKb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : NaN;
}

// ---- servers ----

export interface ServerHandle {
  readonly label: string;
  /** what clients connect to: one URL per node */
  readonly urls: string[];
  /** the processes whose CPU and memory count as the server */
  readonly pids: number[];
  /** documents held in memory, summed over nodes (ours only) */
  loadedDocs(): Promise<number | null>;
  /** V8 heap in use (ours only) */
  heapUsedKb(): Promise<number | null>;
  /** ours only: record a V8 CPU profile between 'start' and 'stop', written to `file` */
  profile?(mark: 'start' | 'stop', file?: string): void;
  stop(): Promise<void>;
}

function nodeArgs(script: string, extra: string[] = []): string[] {
  return ['--import', 'tsx', ...extra, script];
}

function waitFor(child: ChildProcess, ready: (output: string) => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = (chunk?: Buffer) => {
      if (chunk) output += chunk.toString();
      if (!ready(output)) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('message', (m: { type?: string }) => {
      if (m.type === 'listening') {
        output += '\n<listening>';
        check();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
}

export interface OurServerOptions {
  redisUrl?: string;
  redisPrefix?: string;
  env?: Record<string, string>;
}

/** server/main.ts as production runs it, with the probe preloaded and a fresh data folder. */
export async function startOurNode(options: OurServerOptions = {}): Promise<ServerHandle & { probe(): Promise<ProbeStats | null> }> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cg-bench-'));
  // BENCH_SERVER_NODE_FLAGS: extra V8/Node flags for our server only, to compare settings.
  const flags = (process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const extra = [...flags, '--import', path.join(here, 'servers', 'ourProbe.ts')];
  const child = track(
    spawn(process.execPath, nodeArgs('server/main.ts', extra), {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        // One address creates every room of the run and holds every socket of it.
        ROOMS_PER_ADDRESS_PER_HOUR: '1000000',
        SOCKETS_PER_ADDRESS: '1000000',
        EVENTS_PER_SECOND_PER_ADDRESS: '1000000',
        ...(options.redisUrl ? { REDIS_URL: options.redisUrl, REDIS_KEY_PREFIX: options.redisPrefix ?? 'bench:' } : {}),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    }),
  );
  child.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  await waitFor(child, (out) => out.includes('Common Ground is running at'), 'our server');
  const url = `http://127.0.0.1:${port}`;
  const probe = () =>
    new Promise<ProbeStats | null>((resolve) => {
      if (!child.connected) return resolve(null);
      const timer = setTimeout(() => resolve(null), 2000);
      const listener = (m: ProbeStats) => {
        if (m.type !== 'stats') return;
        clearTimeout(timer);
        child.off('message', listener);
        resolve(m);
      };
      child.on('message', listener);
      child.send({ type: 'stats' });
    });
  return {
    label: 'ours',
    urls: [url],
    pids: [child.pid ?? -1],
    probe,
    profile(mark, file) {
      if (child.connected) child.send(mark === 'start' ? { type: 'profile-start' } : { type: 'profile-stop', file });
    },
    async loadedDocs() {
      return (await probe())?.loadedDocs ?? null;
    },
    async heapUsedKb() {
      const stats = await probe();
      return stats ? Math.round(stats.heapUsed / 1024) : null;
    },
    stop: () => stopChild(child, 15_000),
  };
}

export async function startPeer(kind: Exclude<SystemName, 'ours'>): Promise<ServerHandle> {
  const port = await freePort();
  const child = track(
    spawn(process.execPath, [...nodeArgs(path.join(here, 'servers', 'peerServers.ts')), kind, String(port)], {
      cwd: repoRoot,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    }),
  );
  await waitFor(child, (out) => out.includes('<listening>'), kind);
  return {
    label: kind,
    urls: [`http://127.0.0.1:${port}`],
    pids: [child.pid ?? -1],
    loadedDocs: async () => null,
    heapUsedKb: async () => null,
    stop: () => stopChild(child),
  };
}

// ---- the generator ----

export interface GeneratorHandle {
  readonly pid: number;
  run(request: PhaseRequest, onMark: (mark: 'measureStart' | 'measureEnd') => void): Promise<PhaseResult>;
  stop(): Promise<void>;
}

/** `profileDir`: the generator writes a CPU profile of each measured window there (see WindowProfiler). */
export async function startGenerator(system: SystemName, urls: string[], profileDir?: string): Promise<GeneratorHandle> {
  const child = track(
    spawn(process.execPath, nodeArgs(path.join(here, 'generator.ts')), {
      cwd: repoRoot,
      env: { ...process.env, BENCH_SYSTEM: system, BENCH_URLS: JSON.stringify(urls), ...(profileDir ? { BENCH_PROFILE_DIR: profileDir } : {}) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  await new Promise<void>((resolve, reject) => {
    child.once('message', (m: GeneratorMessage) => (m.type === 'ready' ? resolve() : reject(new Error('generator: unexpected first message'))));
    child.once('exit', (code) => reject(new Error(`generator exited (${code}) before it was ready`)));
  });
  return {
    pid: child.pid ?? -1,
    run(request, onMark) {
      return new Promise((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`generator exited (${code}) during a phase`));
        const listener = (m: GeneratorMessage) => {
          if (m.type === 'mark') return onMark(m.mark);
          child.off('message', listener);
          child.off('exit', onExit);
          if (m.type === 'result') resolve(m);
          else if (m.type === 'failure') reject(new Error(`generator: ${m.message}`));
        };
        child.on('message', listener);
        child.once('exit', onExit);
        const command: GeneratorCommand = request;
        child.send(command);
      });
    },
    async stop() {
      if (child.connected) child.send({ type: 'exit' } satisfies GeneratorCommand);
      await stopChild(child);
    },
  };
}
