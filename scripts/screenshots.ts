// Takes a picture of every screen at phone and laptop size, for a person to look at.
// Usage: npm run screenshots [-- outDir]   (test/e2e/screens.e2e.test.ts keeps the same set as test artefacts)
import { mkdirSync } from 'node:fs';
import { counsellorScreenshots } from './counsellorScreenshots';
import { roomScreenshots } from './roomScreenshots';
import { launchChromium } from '../test/support/browser';
import { startTestServer } from '../test/support/testServer';

const out = process.argv[2] ?? 'test-results/screenshots';
mkdirSync(out, { recursive: true });
const server = await startTestServer();
const browser = await launchChromium();
try {
  await roomScreenshots(server, browser, out);
  await counsellorScreenshots(server, browser, out);
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
  await server.destroy();
}
