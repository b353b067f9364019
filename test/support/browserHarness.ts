import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { launchChromium, SCREENSHOT_DIR } from './browser';
import { devicesOn } from './browserDevices';
import { standIn } from './standIn';
import { startTestServer, type TestServer, type TestServerOptions } from './testServer';

export interface Viewport {
  width: number;
  height: number;
}

export interface BrowserHarness {
  /** the server of the current test */
  server(): TestServer;
  /** the one Chromium of the test file, for a walk that makes its own contexts */
  browser(): Browser;
  /** A new device: its own browser context (storage, cookies), reduced motion on. */
  device(viewport: Viewport): Promise<Page>;
  /** A screenshot kept in test-results/screenshots, named for the device's size. */
  shoot(page: Page, name: string): Promise<void>;
  /** Opens a room from the start screen; returns the invite link it shows. */
  startRoom(page: Page, name?: string): Promise<string>;
  /** Opens an invite link, writes a name and accepts the ground rules. */
  comeIn(page: Page, link: string, name: string): Promise<void>;
  /** Sam opens a room and Alex comes in, each on a device of `viewport`, until both are there. */
  pairInRoom(viewport: Viewport): Promise<PairInRoom>;
}

/** Two partners in one room: Sam (seat A) opened it, Alex (seat B) came in by the invite link. */
export interface PairInRoom {
  sam: Page;
  alex: Page;
  /** each one's talk section */
  talkS: Locator;
  talkA: Locator;
}

/**
 * One Chromium for the test file, a fresh server (started with `options`) and fresh devices for
 * each test: the set-up every browser test shares. Call it inside the test file's describe block.
 */
export function useBrowserHarness(options: TestServerOptions = {}): BrowserHarness {
  let browser: Browser;
  let server: TestServer;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    server = await startTestServer(options);
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
    await server.destroy();
  });

  return devicesOn(() => browser, () => server, contexts);
}

/**
 * One Chromium and one server for the whole test file, for a file whose tests build on each
 * other or share one configuration. Call it inside the describe block; read `browser` and
 * `server` inside hooks and tests (they stand for the ones running then).
 */
export function browserAndServerPerFile(options: TestServerOptions = {}): { readonly browser: Browser; readonly server: TestServer } {
  let browser: Browser | undefined;
  let server: TestServer | undefined;
  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    browser = await launchChromium();
    server = await startTestServer(options);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.destroy();
    browser = undefined;
    server = undefined;
  });
  return { browser: standIn('the browser', () => browser), server: standIn('the test server', () => server) };
}
