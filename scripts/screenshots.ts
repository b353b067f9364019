// Takes a picture of every screen, for a person to look at: the walk through pairing, the room,
// agreements, sessions and the counsellor at phone and laptop size (light, then dark in
// <outDir>/dark), then every screen at 320,
// 390, 768 and 1280 px and at 200% text, light and dark (in <outDir>/every-size).
// Usage: npm run screenshots [-- outDir] [--every-size]   (--every-size takes only the second set)
// test/e2e/screens.e2e.test.ts keeps the first set as test artefacts.
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { counsellorScreenshots } from './counsellorScreenshots';
import { walkEverySize } from './everySize';
import { roomScreenshots } from './roomScreenshots';
import { launchChromium } from '../test/support/browser';
import { startTestServer } from '../test/support/testServer';

const args = process.argv.slice(2);
const onlyEverySize = args.includes('--every-size');
const out = args.find((a) => !a.startsWith('--')) ?? 'test-results/screenshots';
mkdirSync(`${out}/every-size`, { recursive: true });
const server = await startTestServer();
const browser = await launchChromium();
try {
  if (!onlyEverySize) {
    await roomScreenshots(server, browser, out);
    await counsellorScreenshots(server, browser, out);
    // the same walk at night, in <outDir>/dark: every context it opens prefers the dark scheme
    mkdirSync(`${out}/dark`, { recursive: true });
    const night: Browser = Object.create(browser);
    night.newContext = (options) => browser.newContext({ ...options, colorScheme: 'dark' });
    await roomScreenshots(server, night, `${out}/dark`);
    await counsellorScreenshots(server, night, `${out}/dark`);
  }
  await walkEverySize(server, browser, async ({ screen, size, scheme, page }) => {
    await page.screenshot({ path: `${out}/every-size/${screen}-${size.name}-${scheme}.png`, fullPage: true });
  });
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
  await server.destroy();
}
