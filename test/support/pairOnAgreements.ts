import type { Page } from 'playwright-core';
import { LAPTOP, PHONE } from './browser';
import type { BrowserHarness } from './browserHarness';

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
