// Takes a picture of every screen at phone and laptop size, for a person to look at.
// Usage: npx tsx scripts/screenshots.ts [outDir]
import { mkdirSync } from 'node:fs';
import { agreementsScreenshots } from './agreementsScreenshots';
import { sessionScreenshots } from './sessionScreenshots';
import { launchChromium, LAPTOP, PHONE } from '../test/support/browser';
import { createRoomOverHttp } from '../test/support/socketClient';
import { startTestServer } from '../test/support/testServer';

const out = process.argv[2] ?? 'test-results/screenshots';
mkdirSync(out, { recursive: true });
const server = await startTestServer();
const browser = await launchChromium();
try {
  for (const [label, viewport] of [['phone', PHONE], ['laptop', LAPTOP]] as const) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const shot = async (name: string) => {
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${out}/${name}-${label}.png`, fullPage: true });
    };
    await page.goto(server.url);
    await shot('landing');
    await page.goto(`${server.url}/help`);
    await shot('help');
    await page.goto(`${server.url}/join`);
    await shot('join-code');
    await page.goto(`${server.url}/start`);
    await page.getByLabel('Your first name').fill('Sam');
    await page.getByLabel('I have read these').check();
    await shot('start');
    await page.getByRole('button', { name: 'Open our room' }).click();
    await page.getByText('Bring your partner in').waitFor();
    await page.locator('.qr svg').waitFor();
    await shot('room-waiting');
    const link = await page.getByLabel('Invite link', { exact: true }).inputValue();
    const partner = await context.browser()!.newContext({ viewport });
    const p2 = await partner.newPage();
    await p2.goto(link);
    await p2.getByLabel('Your first name').waitFor();
    await p2.screenshot({ path: `${out}/invite-${label}.png`, fullPage: true });
    await p2.getByLabel('Your first name').fill('Alex');
    await p2.getByLabel('I have read these').check();
    await p2.getByRole('button', { name: 'Come in' }).click();
    await p2.getByText('You are both here').waitFor();
    await shot('room-together');
    await p2.screenshot({ path: `${out}/room-partner-${label}.png`, fullPage: true });
    await agreementsScreenshots(page, p2, out, label);
    await sessionScreenshots(page, p2, out, label, server.url);
    const third = await (await context.browser()!.newContext({ viewport })).newPage();
    await third.goto(link);
    await third.getByText('already has its two partners').waitFor();
    await third.screenshot({ path: `${out}/room-full-${label}.png`, fullPage: true });
    await page.getByText('Room', { exact: true }).click();
    await shot('room-menu');
    await partner.close();
    await context.close();
  }
  const created = await createRoomOverHttp(server.url);
  console.log(`screenshots in ${out} (room ${created.roomId.slice(0, 4)}…)`);
} finally {
  await browser.close();
  await server.destroy();
}
