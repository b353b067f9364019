import { mkdirSync, writeFileSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import { layoutProblems, SCHEMES, SIZES, walkEverySize } from '../../scripts/everySize';
import { browserTestsCanRun, PHONE } from '../support/browser';
import { useBrowserHarness } from '../support/browserHarness';

const run = browserTestsCanRun();
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Issue 19: every screen at 320, 390, 768 and 1280 px and at 200% text, light and dark. Nothing
 * scrolls sideways or sits past the edge, no two controls lie on each other, and axe finds no
 * WCAG 2.2 AA violation of any impact. The counts per screen land in
 * test-results/every-size.json for the notes.
 */
describe.skipIf(!run)('every screen at every size, in both colour schemes', () => {
  const harness = useBrowserHarness();

  it('has no sideways scroll, nothing off-screen, no overlapping controls and no axe violations', async () => {
    const failures: string[] = [];
    const counts: Record<string, number> = {};
    await walkEverySize(harness.server(), harness.browser(), async ({ screen, size, scheme, page }) => {
      const where = `${screen} @${size.name} ${scheme}`;
      const layout = await layoutProblems(page);
      if (layout.sideScroll > 0) failures.push(`${where}: scrolls sideways by ${layout.sideScroll} px`);
      for (const o of layout.offScreen) failures.push(`${where}: off-screen ${o}`);
      for (const o of layout.overlapping) failures.push(`${where}: overlapping ${o}`);
      const axe = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
      counts[where] = axe.violations.length;
      for (const v of axe.violations) {
        failures.push(`${where}: axe ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
      }
    });
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/every-size.json', JSON.stringify({ counts, failures }, null, 2));
    expect(Object.keys(counts)).toHaveLength(10 * SIZES.length * SCHEMES.length);
    expect(failures).toEqual([]);
  }, 300_000);

  it('Getting help: numbers to tap, and a way out that stays in reach and leaves nothing to go Back to', async () => {
    const page = await harness.device(PHONE);
    await page.route('https://www.wikipedia.org/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Wikipedia</title>' }));
    const url = harness.server().url;
    await page.goto(`${url}/`);
    await page.goto(`${url}/help`);
    expect(await page.locator('a[href^="tel:"]').count()).toBeGreaterThanOrEqual(8);
    expect(await page.locator('a[href="sms:88788?&body=START"]').count()).toBe(1);
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const exit = page.getByRole('button', { name: 'Leave this site now' });
    const box = await exit.boundingBox();
    expect(box && box.y >= 0 && box.y + box.height <= PHONE.height).toBe(true);
    await exit.click();
    await page.waitForURL('https://www.wikipedia.org/');
    await page.goBack();
    expect(page.url()).toBe(`${url}/`);
    // With no room on this device there is no room to go back to.
    await page.goto(`${url}/help`);
    await expect(page.getByRole('link', { name: 'Back to our room' }).count()).resolves.toBe(0);
  });

  it('Getting help from the room menu leads back to that room, and the way out still leaves nothing to go Back to', async () => {
    const page = await harness.device(PHONE);
    await page.route('https://www.wikipedia.org/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Wikipedia</title>' }));
    await harness.startRoom(page);
    const room = page.url();
    await page.locator('.room-menu > summary').click();
    await page.locator('.room-menu').getByRole('link', { name: 'Getting help' }).click();
    await page.getByRole('heading', { name: 'Getting help' }).waitFor();
    await page.getByRole('link', { name: 'Back to our room' }).first().click();
    await page.waitForURL(room);
    await page.locator('.room-menu > summary').click();
    await page.locator('.room-menu').getByRole('link', { name: 'Getting help' }).click();
    // Read to the end, the way back is there too; the way out is still in reach.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect(page.getByRole('link', { name: 'Back to our room' }).last().isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Leave this site now' }).click();
    await page.waitForURL('https://www.wikipedia.org/');
    await page.goBack();
    expect(page.url()).toBe(room);
  });
});
