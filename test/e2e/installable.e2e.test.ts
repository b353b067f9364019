import { describe, expect, it } from 'vitest';
import { browserTestsCanRun, PHONE } from '../support/browser';
import { browserAndServerPerFile } from '../support/browserHarness';

const run = browserTestsCanRun();

describe.skipIf(!run)('installable web app', () => {
  const { browser, server } = browserAndServerPerFile();

  it('has a manifest with icons, and its offline shell opens without a network', async () => {
    const manifest = (await (await fetch(`${server.url}/manifest.webmanifest`)).json()) as {
      name: string;
      display: string;
      icons: Array<{ sizes: string; purpose?: string }>;
    };
    expect(manifest.name).toBe('Common Ground');
    expect(manifest.display).toBe('standalone');
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);

    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // The worker controls the page once it has reloaded under it.
    await page.reload();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await context.setOffline(true);
    await page.goto(`${server.url}/help`);
    await page.getByRole('heading', { name: 'Getting help' }).waitFor();
    await context.setOffline(false);
    await context.close();
  });
});
