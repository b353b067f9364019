import { describe, it } from 'vitest';
import { browserTestsCanRun, PHONE } from '../support/browser';
import { browserAndServerPerFile } from '../support/browserHarness';

const run = browserTestsCanRun();

describe.skipIf(!run)('the start page at the room limit', () => {
  const { browser, server } = browserAndServerPerFile({ env: { ROOMS_PER_ADDRESS_PER_HOUR: '1' } });

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
