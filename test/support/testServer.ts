import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp, type RunningApp } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import { createLogger } from '../../server/logger';
import { createLevelStorage } from '../../server/storage/level/levelStorage';
import type { Clock } from '../../server/util/clock';
import type { DestinationStream } from 'pino';

export interface TestServer {
  app: RunningApp;
  url: string;
  dataDir: string;
  config: Config;
  /** Stops the server but keeps its data folder, so a new server can start on it. */
  stop(): Promise<void>;
  /** Stops and removes the data folder. */
  destroy(): Promise<void>;
}

export function tempDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'cg-test-'));
}

export interface TestServerOptions {
  dataDir?: string;
  env?: Record<string, string>;
  clock?: Clock;
  logSink?: DestinationStream;
}

/** A real server on port 0 with the embedded store in a temporary folder. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...options.env });
  const storage = await createLevelStorage(dataDir);
  const app = await startApp({ config, storage, log: createLogger(config.logLevel, options.logSink), clock: options.clock });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await app.close();
  };
  return {
    app,
    url: app.url,
    dataDir,
    config,
    stop,
    async destroy() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A clock a test moves by hand. */
export function manualClock(start = Date.UTC(2026, 10, 21, 12)): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}
