import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { launchChromium, SCREENSHOT_DIR } from './browser';
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
 * One Chromium for the test file, a fresh server and fresh devices for each test: the set-up
 * every browser test shares. Call it inside the test file's describe block.
 */
export function useBrowserHarness(): BrowserHarness {
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
    server = await startTestServer();
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
    await server.destroy();
  });

  const harness: BrowserHarness = {
    server: () => server,
    browser: () => browser,
    async device(viewport) {
      const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
      contexts.push(context);
      return context.newPage();
    },
    async shoot(page, name) {
      const size = page.viewportSize()!.width < 600 ? 'phone' : 'laptop';
      await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}-${size}.png`, fullPage: true });
    },
    async startRoom(page, name = 'Sam') {
      await page.goto(`${server.url}/start`);
      await page.getByLabel('Your first name').fill(name);
      await page.getByLabel('I have read these').check();
      await page.getByRole('button', { name: 'Open our room' }).click();
      await page.getByRole('heading', { name: 'Bring your partner in' }).waitFor();
      return page.getByLabel('Invite link', { exact: true }).inputValue();
    },
    async comeIn(page, link, name) {
      await page.goto(link);
      await page.getByLabel('Your first name').fill(name);
      await page.getByLabel('I have read these').check();
      await page.getByRole('button', { name: 'Come in' }).click();
    },
    async pairInRoom(viewport) {
      const sam = await harness.device(viewport);
      const link = await harness.startRoom(sam);
      const alex = await harness.device(viewport);
      await harness.comeIn(alex, link, 'Alex');
      await alex.getByText('You are both here').waitFor();
      return { sam, alex, talkS: sam.locator('section.talk'), talkA: alex.locator('section.talk') };
    },
  };
  return harness;
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
