// The screens of pairing, the room, agreements and guided sessions at phone and laptop size.
// Used by scripts/screenshots.ts and test/e2e/screens.e2e.test.ts.
import type { Browser } from 'playwright-core';
import { agreementsScreenshots } from './agreementsScreenshots';
import { sessionScreenshots } from './sessionScreenshots';
import { LAPTOP, PHONE, settled } from '../test/support/browser';

export async function roomScreenshots(server: { url: string }, browser: Browser, out: string): Promise<void> {
  for (const [label, viewport] of [['phone', PHONE], ['laptop', LAPTOP]] as const) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const shot = async (name: string) => {
      await settled(page);
      await page.screenshot({ path: `${out}/${name}-${label}.png`, fullPage: true, animations: 'disabled' });
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
    const partner = await browser.newContext({ viewport });
    const p2 = await partner.newPage();
    await p2.goto(link);
    await p2.getByLabel('Your first name').waitFor();
    await p2.screenshot({ path: `${out}/invite-${label}.png`, fullPage: true, animations: 'disabled' });
    await p2.getByLabel('Your first name').fill('Alex');
    await p2.getByLabel('I have read these').check();
    await p2.getByRole('button', { name: 'Come in' }).click();
    await p2.getByText('You are both here').waitFor();
    await shot('room-together');
    await p2.screenshot({ path: `${out}/room-partner-${label}.png`, fullPage: true, animations: 'disabled' });
    await agreementsScreenshots(page, p2, out, label);
    await sessionScreenshots(page, p2, out, label, server.url);
    const third = await (await browser.newContext({ viewport })).newPage();
    await third.goto(link);
    await third.getByText('already has its two partners').waitFor();
    await third.screenshot({ path: `${out}/room-full-${label}.png`, fullPage: true, animations: 'disabled' });
    await page.getByText('Room', { exact: true }).click();
    await shot('room-menu');
    // The server cannot be reached: a room this device has seen opens as it was last seen…
    const cut = await context.newPage();
    await cut.route('**/socket.io/**', (route) => route.abort());
    await cut.routeWebSocket(/socket\.io/, (ws) => ws.close());
    await cut.goto(page.url());
    await cut.getByRole('heading', { name: 'Not connected just now' }).waitFor();
    await cut.screenshot({ path: `${out}/room-offline-${label}.png`, fullPage: true, animations: 'disabled' });
    await cut.close();
    // …and one it has no picture of says so, with what to do next.
    const blind = await context.newPage();
    await blind.addInitScript(() => {
      const key = 'commonground.seats.v1';
      const seats = JSON.parse(localStorage.getItem(key) ?? '{}') as Record<string, { lastView?: unknown }>;
      for (const seat of Object.values(seats)) delete seat.lastView;
      localStorage.setItem(key, JSON.stringify(seats));
    });
    await blind.route('**/socket.io/**', (route) => route.abort());
    await blind.routeWebSocket(/socket\.io/, (ws) => ws.close());
    await blind.goto(page.url());
    await blind.getByRole('heading', { name: /cannot reach Common Ground/ }).waitFor();
    await blind.screenshot({ path: `${out}/unreachable-${label}.png`, fullPage: true, animations: 'disabled' });
    await blind.close();
    await partner.close();
    await context.close();
  }
}
