import type { Locator, Page } from 'playwright-core';
import { LAPTOP, PHONE } from './browser';
import type { BrowserHarness } from './browserHarness';

/** Dr Lee sets up a workspace on this page and opens the room "J & R"; returns both partners' invite links and the workspace's recovery code. */
export async function openWorkspaceRoom(counsellor: Page, url: string): Promise<{ a: string; b: string; recoveryCode: string }> {
  await counsellor.goto(`${url}/counsellor`);
  await counsellor.getByLabel('Your name, as couples will see it').fill('Dr Lee');
  await counsellor.getByRole('button', { name: 'Set up my workspace' }).click();
  await counsellor.getByText('This is your recovery code').waitFor();
  const recoveryCode = (await counsellor.locator('.cn-recovery-code').textContent()) ?? '';
  await counsellor.getByLabel('I have written it down').check();
  await counsellor.getByRole('button', { name: 'Open my workspace' }).click();
  await counsellor.getByLabel('A label only you see').fill('J & R');
  await counsellor.getByRole('button', { name: 'Open the room' }).click();
  return {
    a: await counsellor.getByLabel('Invite link for the first partner').inputValue(),
    b: await counsellor.getByLabel('Invite link for the second partner').inputValue(),
    recoveryCode,
  };
}

/** A partner opens the counsellor's invite link on their phone and comes in by name. */
export async function comeIn(page: Page, link: string, name: string): Promise<void> {
  await page.goto(link);
  await page.getByLabel('Your first name').fill(name);
  await page.getByText('A counsellor is in this room.').waitFor();
  await page.getByLabel('I have read these').check();
  await page.getByRole('button', { name: 'Come in' }).click();
}

/** Jo and Rae come in on two phones by their links; the counsellor's workspace sees them arrive. */
export async function partnersComeIn(
  device: BrowserHarness['device'],
  counsellor: Page,
  links: { a: string; b: string },
): Promise<{ jo: Page; rae: Page }> {
  const jo = await device(PHONE);
  const rae = await device(PHONE);
  await comeIn(jo, links.a, 'Jo');
  await comeIn(rae, links.b, 'Rae');
  await jo.getByRole('heading', { name: 'You are both here' }).waitFor();
  await rae.getByRole('heading', { name: 'You are both here' }).waitFor();
  // The workspace shows them arriving, by itself.
  await counsellor.locator('.cn-room').getByText('Rae').waitFor();
  return { jo, rae };
}

/** Dr Lee on a laptop opens "J & R", Jo and Rae come in on their phones, and Dr Lee enters the room. */
export async function counsellorInRoomWithCouple(
  h: Pick<BrowserHarness, 'device' | 'server'>,
): Promise<{ counsellor: Page; jo: Page; rae: Page; talkC: Locator }> {
  const counsellor = await h.device(LAPTOP);
  const links = await openWorkspaceRoom(counsellor, h.server().url);
  const { jo, rae } = await partnersComeIn(h.device, counsellor, links);
  await counsellor.getByRole('button', { name: 'Open room' }).click();
  return { counsellor, jo, rae, talkC: counsellor.locator('section.talk') };
}

/** The counsellor enters the room "J & R" and writes a private note, saved. */
export async function writePrivateNote(counsellor: Page, text: string): Promise<void> {
  await counsellor.getByRole('button', { name: 'Open room' }).click();
  await counsellor.getByRole('heading', { name: 'J & R' }).waitFor();
  await counsellor.getByRole('button', { name: 'Open notes' }).click();
  await counsellor.getByLabel('Private notes for this room').click();
  await counsellor.keyboard.type(text);
  await counsellor.getByText('Saved. Only you can see these notes.').waitFor();
}
