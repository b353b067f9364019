import type { Browser, BrowserContext } from 'playwright-core';
import { SCREENSHOT_DIR } from './browser';
import type { BrowserHarness } from './browserHarness';
import type { TestServer } from './testServer';

/**
 * Devices on `getBrowser()` talking to `getServer()`, each a context kept in `contexts` for the
 * caller to close: the steps every browser test shares, without a test runner's hooks, so the
 * benchmark's browser phase (bench/browserLatency.ts) walks the same way in.
 */
export function devicesOn(getBrowser: () => Browser, getServer: () => TestServer, contexts: BrowserContext[]): BrowserHarness {
  const harness: BrowserHarness = {
    server: getServer,
    browser: getBrowser,
    async device(viewport) {
      const context = await getBrowser().newContext({ viewport, reducedMotion: 'reduce' });
      contexts.push(context);
      return context.newPage();
    },
    async shoot(page, name) {
      const size = page.viewportSize()!.width < 600 ? 'phone' : 'laptop';
      await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}-${size}.png`, fullPage: true });
    },
    async startRoom(page, name = 'Sam') {
      await page.goto(`${getServer().url}/start`);
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
