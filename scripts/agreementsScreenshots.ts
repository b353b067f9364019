// The "Our agreements" screens, for scripts/screenshots.ts: two paired pages in one room.
import type { Page } from 'playwright-core';
import { showRoomPart, settled } from '../test/support/browser';

export async function agreementsScreenshots(a: Page, b: Page, out: string, label: string): Promise<void> {
  const shot = async (page: Page, name: string) => {
    await settled(page);
    await page.screenshot({ path: `${out}/${name}-${label}.png`, fullPage: true, animations: 'disabled' });
  };
  await showRoomPart(a, 'Our agreements');
  await showRoomPart(b, 'Our agreements');
  await a.getByText('A place to start').waitFor();
  await shot(a, 'agreements-empty');

  await a.getByRole('button', { name: /Start from this: Time-outs are allowed/ }).click();
  await b.getByRole('textbox', { name: 'Agreement title' }).first().waitFor();
  const bodyB = b.getByRole('textbox', { name: /^What we agree:/ }).first();
  await bodyB.click();
  await b.keyboard.press('Control+End');
  await b.keyboard.type(' We text when we are on our way.');
  await a.locator('.agreement-body', { hasText: 'We text when we are on our way.' }).waitFor();
  await shot(a, 'agreements-coediting');
  await a.locator('.agreement').first().screenshot({ path: `${out}/agreements-card-coediting-${label}.png`, animations: 'disabled' });

  await a.getByRole('button', { name: 'I agree to this' }).first().click();
  await b.getByRole('button', { name: 'I agree to this' }).first().click();
  await a.locator('.status-badge', { hasText: /Agreed by .+ and .+ on / }).first().waitFor();
  await a.getByRole('button', { name: 'Save this version' }).click();
  await a.locator('.version-name').first().waitFor();
  await shot(a, 'agreements-agreed');
  await a.locator('.agreement').first().screenshot({ path: `${out}/agreements-card-agreed-${label}.png`, animations: 'disabled' });

  // What both agreed is read only; a change is proposed beside it.
  await b.getByRole('button', { name: 'Propose a change' }).first().click();
  await bodyB.click();
  await b.keyboard.press('Control+End');
  await b.keyboard.type(' Or we call.');
  await a.locator('.agreement-changed').first().waitFor();
  await a.getByRole('button', { name: 'What changed since' }).first().click();
  await shot(a, 'agreements-changed');
  await a.locator('.agreement').first().screenshot({ path: `${out}/agreements-card-changed-${label}.png`, animations: 'disabled' });
  await a.locator('.versions').screenshot({ path: `${out}/agreements-versions-${label}.png`, animations: 'disabled' });
  await shot(b, 'agreements-partner');

  await a.emulateMedia({ media: 'print' });
  await a.screenshot({ path: `${out}/agreements-print-${label}.png`, fullPage: true, animations: 'disabled' });
  await a.emulateMedia({ media: 'screen' });
}
