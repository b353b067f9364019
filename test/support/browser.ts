import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; no test tool ever downloads a browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** `extraArgs` join the defaults (a fake microphone for the voice tests); every other test launches with the defaults alone. */
export async function launchChromium(options: { extraArgs?: readonly string[] } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...(options.extraArgs ?? []),
    ],
  });
}

export const PHONE = { width: 390, height: 844 } as const;
export const LAPTOP = { width: 1280, height: 800 } as const;

/**
 * Browser tests must run in CI. Elsewhere, without Chromium they skip, saying so loudly.
 * Returns true when the tests can run.
 */
export function browserTestsCanRun(): boolean {
  if (chromiumAvailable()) return true;
  if (process.env.CI) throw new Error(`Chromium is required in CI but ${CHROMIUM_PATH} is missing (apt-get install chromium).`);
  console.warn(`\n!!! SKIPPING BROWSER TESTS: ${CHROMIUM_PATH} not found (apt-get install chromium) !!!\n`);
  return false;
}

export const SCREENSHOT_DIR = 'test-results/screenshots';

/** On a phone the room is two tabs; on a wide screen both parts show and there is nothing to click. */
export async function showRoomPart(page: import('playwright-core').Page, part: 'Talk' | 'Our agreements'): Promise<void> {
  const tab = page.locator('nav.room-tabs').getByRole('button', { name: part });
  if (await tab.isVisible()) await tab.click();
}

/**
 * Waits until the page has painted what it just rendered: two animation frames, so a picture
 * taken next shows the settled screen (with `animations: 'disabled'`, transitions end at once).
 */
export async function settled(page: import('playwright-core').Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
}
