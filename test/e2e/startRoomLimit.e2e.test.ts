import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { browserTestsCanRun, launchChromium, PHONE } from '../support/browser';
import { startTestServer, type TestServer } from '../support/testServer';

const run = browserTestsCanRun();

describe.skipIf(!run)('the start page at the room limit', () => {
  let browser: Browser;
  let server: TestServer;
  beforeAll(async () => {
    browser = await launchChromium();
    server = await startTestServer({ env: { ROOMS_PER_ADDRESS_PER_HOUR: '1' } });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.destroy();
  });

  it('says the limit is per hour, not "wait a few minutes"', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    const openRoom = async () => {
      await page.goto(`${server.url}/start`);
      await page.getByLabel('Your first name').fill('Sam');
      await page.getByLabel('I have read these').check();
      await page.getByRole('button', { name: 'Open our room' }).click();
    };
    await openRoom();
    await page.getByRole('heading', { name: 'Bring your partner in' }).waitFor();
    // the second room of the hour, with a limit of one
    await openRoom();
    await page.getByRole('alert').getByText(/in the last hour.*try again in an hour/).waitFor();
    await page.screenshot({ path: 'test-results/screenshots/start-room-limit-phone.png', fullPage: true });
    await context.close();
  });
});
