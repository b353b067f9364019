// Pictures of the counsellor's screens and of a partner's view of a moderated room, at phone
// and laptop size, for a person to look at.
// Used by scripts/screenshots.ts and test/e2e/screens.e2e.test.ts.
import type { Browser, Page } from 'playwright-core';
import { LAPTOP, PHONE, settled } from '../test/support/browser';
import { connectClient, request } from '../test/support/socketClient';

export async function counsellorScreenshots(server: { url: string }, browser: Browser, out: string): Promise<void> {
  async function shot(page: Page, name: string, label: string) {
    await settled(page);
    await page.screenshot({ path: `${out}/${name}-${label}.png`, fullPage: true, animations: 'disabled' });
  }
  for (const [label, viewport] of [['phone', PHONE], ['laptop', LAPTOP]] as const) {
    const counsellorContext = await browser.newContext({ viewport: label === 'phone' ? LAPTOP : viewport, deviceScaleFactor: 1 });
    const c = await counsellorContext.newPage();
    // The counsellor's screens at this size too.
    await c.setViewportSize(viewport);
    await c.goto(`${server.url}/counsellor`);
    await c.getByLabel('Your name, as couples will see it').fill('Dr Lee');
    await shot(c, 'counsellor-setup', label);
    await c.getByRole('button', { name: 'Set up my workspace' }).click();
    await c.getByText('This is your recovery code').waitFor();
    await shot(c, 'counsellor-recovery-code', label);
    await c.getByLabel('I have written it down').check();
    await c.getByRole('button', { name: 'Open my workspace' }).click();
    await c.getByLabel('A label only you see').fill('J & R');
    await c.getByRole('button', { name: 'Open the room' }).click();
    await c.getByLabel('Invite link for the first partner').waitFor();
    await c.locator('.cn-qr svg').first().waitFor();
    await shot(c, 'counsellor-workspace-new-room', label);
    const linkA = await c.getByLabel('Invite link for the first partner').inputValue();
    const linkB = await c.getByLabel('Invite link for the second partner').inputValue();

    // Partner A on a phone-sized browser; partner B as a plain socket.
    const partnerContext = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1 });
    const a = await partnerContext.newPage();
    await a.goto(linkA);
    await a.getByLabel('Your first name').fill('Jo');
    await a.getByText('A counsellor is in this room').waitFor();
    await shot(a, 'partner-invite-moderated', label);
    await a.getByLabel('I have read these').check();
    await a.getByRole('button', { name: 'Come in' }).click();
    const b = await connectClient(server.url);
    const claimed = await request<{ roomId: string; deviceToken: string }>(b, 'invite:claim', {
      invite: linkB.split('#')[1],
      displayName: 'Rae',
      acceptedGroundRules: true,
    });
    if (!claimed.ok) throw new Error(claimed.error.code);
    await request(b, 'room:join', { roomId: claimed.roomId, deviceToken: claimed.deviceToken });
    await request(b, 'privateLine:send', { choice: 'talkAlone', text: 'Could we have ten minutes on our own next week?' });

    await c.getByRole('button', { name: 'Open room' }).first().click();
    await c.getByRole('heading', { name: 'The session at a glance' }).waitFor();
    await c.getByRole('button', { name: 'Open notes' }).click();
    await c.getByLabel('Private notes for this room').click();
    await c.keyboard.type('Jo seemed tired tonight. Come back to the holiday plans.');
    await shot(c, 'counsellor-room', label);
    // The counsellor's second device (a plain socket with the same key) drives the session,
    // so these pictures do not depend on the live session screen's buttons.
    const key = await c.evaluate(() => (JSON.parse(localStorage.getItem('commonground.counsellor.v1')!) as { key: string }).key);
    const desk = await connectClient(server.url);
    await request(desk, 'room:join', { roomId: claimed.roomId, deviceToken: key });
    const packs = await request<{ packs: Array<{ id: string }> }>(desk, 'session:packs', {});
    await request(desk, 'session:command', { type: 'choosePack', packId: packs.ok ? packs.packs[0]!.id : '', mode: 'aloud' });
    await request(b, 'session:command', { type: 'accept' });
    await a.getByRole('button', { name: 'Yes, let’s begin' }).click();
    await c.getByText('step 1 of').first().waitFor();
    await shot(c, 'counsellor-room-live', label);
    await request(b, 'session:command', { type: 'pause' });
    await c.getByText('Paused for a time-out').waitFor();
    await shot(c, 'counsellor-room-paused', label);
    await request(desk, 'session:command', { type: 'resume' });
    await request(desk, 'session:command', { type: 'endSession' });
    desk.disconnect();
    await c.getByRole('button', { name: 'Suggest it' }).click();

    await a.getByText('Your counsellor suggests:').waitFor();
    await a.getByText('Tell Dr Lee something privately').click();
    await a.getByLabel('I need a break soon').check();
    await a.getByRole('button', { name: 'Send to Dr Lee only' }).click();
    await a.getByText('Sent. Only Dr Lee can see it.').waitFor();
    await shot(a, 'partner-moderated-room', label);

    await c.getByRole('link', { name: '← All your rooms' }).click();
    await c.getByText('Your rooms').waitFor();
    await c.getByText('private messages').waitFor();
    await shot(c, 'counsellor-workspace-live', label);
    b.disconnect();
    await partnerContext.close();
    await counsellorContext.close();
  }
}
