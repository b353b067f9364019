import type { Locator, Page } from 'playwright-core';
import { LAPTOP, PHONE } from './browser';
import type { BrowserHarness } from './browserHarness';

/** The words in `where` as its reader sees them, without the other person's caret and its name label. */
export const wordsWithoutCarets = (where: Locator): Promise<string> =>
  where.evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
    return copy.textContent ?? '';
  });

/** Sam on a phone opens a room, Alex comes in on a laptop; Sam opens the agreements tab (the laptop shows both parts). */
export async function pairOnAgreements(h: BrowserHarness): Promise<[Page, Page]> {
  const sam = await h.device(PHONE);
  const link = await h.startRoom(sam);
  const alex = await h.device(LAPTOP);
  await h.comeIn(alex, link, 'Alex');
  await alex.getByText('You are both here').waitFor();
  await sam.getByRole('button', { name: 'Our agreements' }).click();
  await sam.getByText('A place to start').waitFor();
  return [sam, alex];
}
