import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Debian's redis-server; override with REDIS_SERVER_BIN. */
export const REDIS_SERVER_BIN = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

/**
 * Whether tests that need a real redis-server can run. In CI a missing binary is a failure,
 * not a skip: a suite that silently skips its multi-node tests proves nothing.
 */
export function redisServerAvailable(): boolean {
  if (existsSync(REDIS_SERVER_BIN)) return true;
  if (process.env.CI) throw new Error(`CI: ${REDIS_SERVER_BIN} is missing (apt-get install redis-server); the Redis tests cannot run.`);
  console.warn(`\n*** SKIPPING Redis tests: ${REDIS_SERVER_BIN} not found (apt-get install redis-server) ***\n`);
  return false;
}

/** A free TCP port on loopback, chosen by the kernel. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** SIGTERM: Redis flushes its append-only file and exits. */
  stop(): Promise<void>;
  /** SIGKILL: no chance to flush anything. */
  kill(): Promise<void>;
  /** Starts again on the same port and folder (stops the running one first, with SIGTERM). */
  restart(): Promise<void>;
  /** Stops and removes the folder. */
  destroy(): Promise<void>;
}

export interface RedisServerOptions {
  appendOnly?: boolean;
  /** 'always' makes every acknowledged write survive a SIGKILL of redis-server */
  appendFsync?: 'always' | 'everysec' | 'no';
}

/** A real redis-server on a free loopback port, with its own temporary folder. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'cg-redis-'));
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--save', '',
    '--appendonly', options.appendOnly ? 'yes' : 'no',
    '--appendfsync', options.appendFsync ?? 'everysec',
    '--dir', dir,
    '--protected-mode', 'no',
    '--loglevel', 'warning',
  ];
  let child: ChildProcess | null = null;

  async function launch(): Promise<void> {
    const proc = spawn(REDIS_SERVER_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let output = '';
    proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitForPing(port, proc, () => output);
  }

  async function signal(sig: NodeJS.Signals): Promise<void> {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill(sig);
    });
  }

  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    async restart() {
      await signal('SIGTERM');
      await launch();
    },
    async destroy() {
      await signal('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits for the server to answer PING (and so to have loaded its append-only file). */
async function waitForPing(port: number, proc: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`redis-server exited (${proc.exitCode}): ${output()}`);
    if (await rawPing(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`redis-server on port ${port} did not answer within 10 s: ${output()}`);
}

async function rawPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
