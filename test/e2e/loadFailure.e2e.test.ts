import { describe, expect, it } from 'vitest';
import { browserTestsCanRun, PHONE } from '../support/browser';
import { browserAndServerPerFile } from '../support/browserHarness';

const run = browserTestsCanRun();

describe.skipIf(!run)('a screen whose part of the app cannot be loaded', () => {
  const { browser, server } = browserAndServerPerFile();

  it('says so and offers a reload instead of a blank page', async () => {
    const context = await browser.newContext({ viewport: PHONE, serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.route(/\/assets\/JoinCodePage-[^/]+\.js$/, (route) => route.abort());
    await page.goto(`${server.url}/join`);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'This page did not open' }).isVisible(), { timeout: 15_000 }).toBe(true);
    await page.unroute(/\/assets\/JoinCodePage-[^/]+\.js$/);
    await page.getByRole('button', { name: 'Reload the app' }).click();
    await expect.poll(() => page.getByLabel('Your first name').isVisible(), { timeout: 15_000 }).toBe(true);
    await context.close();
  });

  it('gets a 404 for an asset that is not in this build', async () => {
    const res = await fetch(`${server.url}/assets/JoinCodePage-notInThisBuild.js`);
    expect(res.status).toBe(404);
  });
});
