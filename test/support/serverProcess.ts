import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './redisServer';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  readonly port: number;
  readonly url: string;
  readonly pid: number;
  /** what the process printed so far, for failure messages */
  output(): string;
  /** SIGKILL: the node dies as a crashed machine would, with no shutdown code run. */
  kill(): Promise<void>;
  /** SIGTERM: the node shuts down cleanly. */
  stop(): Promise<void>;
}

/**
 * The real server (server/main.ts) as a child process, as production runs it. A free port is
 * chosen first because a child on PORT=0 would have to tell us its port.
 */
export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cg-node-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => rmSync(dataDir, { recursive: true, force: true }), () => undefined);

  const url = `http://127.0.0.1:${port}`;
  await waitUntilHealthy(url, child, () => output);

  async function signal(sig: NodeJS.Signals): Promise<void> {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  }
  return {
    port,
    url,
    pid: child.pid ?? -1,
    output: () => output,
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
  };
}

/** The node has printed that it listens, and /healthz answers 200. */
async function waitUntilHealthy(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 30 s:\n${output()}`)), 30_000);
    const check = () => {
      if (output().includes('Common Ground is running at')) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? sig}) before listening:\n${output()}`));
    });
    check();
  });
  const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())) });
  if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`);
}
