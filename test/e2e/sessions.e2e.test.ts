import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium, PHONE } from '../support/browser';
import { startTestServer, type TestServer } from '../support/testServer';

const available = chromiumAvailable();
if (!available && process.env.CI) {
  throw new Error(`CI needs Chromium at ${CHROMIUM_PATH} for the browser tests (apt-get install chromium)`);
}
if (!available) console.warn(`\n*** SKIPPING guided-session browser test: no Chromium at ${CHROMIUM_PATH} ***\n`);

describe.skipIf(!available)('A guided session in two browsers', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.destroy();
  });

  async function pairedPages(): Promise<[Page, Page]> {
    const a = await (await browser.newContext({ viewport: PHONE })).newPage();
    await a.goto(`${server.url}/start`);
    await a.getByLabel('Your first name').fill('Sam');
    await a.getByLabel('I have read these').check();
    await a.getByRole('button', { name: 'Open our room' }).click();
    const link = await a.getByLabel('Invite link', { exact: true }).inputValue();
    const b = await (await browser.newContext({ viewport: PHONE })).newPage();
    await b.goto(link);
    await b.getByLabel('Your first name').fill('Alex');
    await b.getByLabel('I have read these').check();
    await b.getByRole('button', { name: 'Come in' }).click();
    await b.getByText('You are both here').waitFor();
    return [a, b];
  }

  it('a written speaker-listener round: the floor, a starter chip, a reflection, "That’s it", the floor passes', async () => {
    const [a, b] = await pairedPages();
    const talkA = a.locator('section.talk');
    const talkB = b.locator('section.talk');

    await talkA.getByRole('button', { name: /Turning the page/ }).click();
    await talkA.getByLabel(/Write/).check();
    await talkA.getByRole('button', { name: 'Ask Alex to join' }).click();
    await talkB.getByRole('button', { name: 'Yes, let’s begin' }).click();

    // "Turning the page" starts with the partner who did not propose: Alex.
    await expect.poll(() => talkB.locator('.floor-title').innerText()).toBe('You have the floor');
    await expect.poll(() => talkA.locator('.floor-title').innerText()).toBe('Listen: Alex has the floor');
    await expect(talkA.getByLabel('What you want to say').count()).resolves.toBe(0);
    // The time-out button is on screen for both, without scrolling.
    for (const page of [a, b]) await expect(page.getByRole('button', { name: 'Time-out', exact: true }).isVisible()).resolves.toBe(true);

    await talkB.locator('button.chip').first().click();
    const box = talkB.getByLabel('What you want to say');
    await expect.poll(() => box.inputValue()).toMatch(/^For me, forgiving would mean $/);
    await box.pressSequentially('being able to trust you again.');
    await talkB.getByRole('button', { name: 'Send', exact: true }).click();
    await talkA.getByText('being able to trust you again.').first().waitFor();
    await talkB.getByRole('button', { name: /I’m done/ }).click();

    await talkA.getByLabel('What you heard').fill('What I heard is that forgiving means trusting me again.');
    await talkA.getByRole('button', { name: 'Send what I heard' }).click();
    await talkB.getByText('forgiving means trusting me again.').first().waitFor();
    await talkB.getByRole('button', { name: 'That’s it' }).click();
    await talkB.getByRole('button', { name: 'Pass the floor to Sam' }).click();

    await expect.poll(() => talkA.locator('.floor-title').innerText()).toBe('You have the floor');
    await expect.poll(() => talkB.locator('.floor-title').innerText()).toBe('Listen: Sam has the floor');

    // A time-out is one tap, for the listener too; the other sees only until when.
    await b.getByRole('button', { name: 'Time-out', exact: true }).click();
    await talkB.getByText(/^You are taking a break until/).waitFor();
    await talkA.getByText(/^Taking a break until/).waitFor();
    await expect(talkA.getByText('Alex').filter({ hasText: /break/ }).count()).resolves.toBe(0);
    await talkA.getByRole('button', { name: 'I’m back' }).click();
    await talkB.getByRole('button', { name: 'I’m back' }).click();
    // Both back: the session carries on exactly where it was.
    await expect.poll(() => talkA.locator('.floor-title').innerText()).toBe('You have the floor');
    await expect.poll(() => talkB.locator('.floor-title').innerText()).toBe('Listen: Sam has the floor');
  });
});
