import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsCanRun, LAPTOP, PHONE } from '../support/browser';
import { useBrowserHarness } from '../support/browserHarness';

const run = browserTestsCanRun();

describe.skipIf(!run)('Our agreements in two browsers', () => {
  const h = useBrowserHarness();

  async function pairedPages(): Promise<[Page, Page]> {
    // The creator's device gets its seat through the app's own start screen, like a person would.
    const a = await h.device(PHONE);
    const link = await h.startRoom(a);
    const b = await h.device(LAPTOP);
    await h.comeIn(b, link, 'Alex');
    await b.getByText('You are both here').waitFor();
    // On the phone the room is two tabs; the laptop shows both parts at once.
    await a.getByRole('button', { name: 'Our agreements' }).click();
    return [a, b];
  }

  it('two partners pair, co-edit an agreement live, and both accept it', async () => {
    const [a, b] = await pairedPages();
    await a.getByText('A place to start').waitFor();

    await a.getByRole('button', { name: 'Start from this: We ask before we assume' }).click();
    const bodyB = b.getByRole('textbox', { name: /^What we agree:/ }).first();
    await bodyB.waitFor();

    // Both type into the same agreement at once.
    const bodyA = a.getByRole('textbox', { name: /^What we agree:/ }).first();
    await bodyA.click();
    await a.keyboard.press('Control+End');
    await bodyB.click();
    await b.keyboard.press('Control+End');
    await Promise.all([a.keyboard.type(' Sam adds this.'), b.keyboard.type(' Alex adds that.')]);
    for (const page of [a, b]) {
      await expect.poll(() => page.locator('.agreement-body').first().innerText(), { timeout: 10_000 }).toMatch(/Sam adds this\./);
      await expect.poll(() => page.locator('.agreement-body').first().innerText(), { timeout: 10_000 }).toMatch(/Alex adds that\./);
    }
    // The other's caret carries their name.
    await a.locator('.collaboration-carets__label', { hasText: 'Alex' }).waitFor();

    await a.getByRole('button', { name: 'I agree to this' }).click();
    await b.locator('.status-badge', { hasText: 'Sam agreed' }).waitFor();
    await b.getByRole('button', { name: 'I agree to this' }).click();
    for (const page of [a, b]) await page.locator('.status-badge', { hasText: 'Agreed by both' }).waitFor();
    await expect.poll(() => a.locator('.sync-status').innerText(), { timeout: 10_000 }).toMatch(/Saved/);

    // An edit clears it for both, visibly.
    await bodyB.click();
    await b.keyboard.press('Control+End');
    await b.keyboard.type(' And we listen.');
    await a.getByText('Changed since you both agreed: agree again?').waitFor();
  });
});
