import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/a11y';
import { browserTestsCanRun, LAPTOP, PHONE } from '../support/browser';
import { useBrowserHarness } from '../support/browserHarness';

const run = browserTestsCanRun();

async function comeIn(page: Page, name: string, button: 'Come in' | 'Join the room'): Promise<void> {
  await page.getByLabel('Your first name').fill(name);
  await page.getByLabel('I have read these').check();
  await page.getByRole('button', { name: button }).click();
}

async function expectTogether(a: Page, b: Page): Promise<void> {
  await a.getByRole('heading', { name: 'You are both here' }).waitFor();
  await b.getByRole('heading', { name: 'You are both here' }).waitFor();
}

/** Every toast the page shows from now on, to read back: they last seconds, and go unseen otherwise. */
async function recordToasts(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { toastsSeen: string[] }).toastsSeen = seen;
    const take = (node: Node) => {
      if (node instanceof HTMLElement && node.classList.contains('toast')) seen.push(node.innerText);
    };
    new MutationObserver((changes) => changes.forEach((c) => c.addedNodes.forEach(take))).observe(document.body, { childList: true, subtree: true });
  });
  return () => page.evaluate(() => (window as unknown as { toastsSeen: string[] }).toastsSeen);
}

describe.skipIf(!run)('pairing in real browsers (phone and laptop)', () => {
  const h = useBrowserHarness();
  const startRoom = (page: Page) => h.startRoom(page);
  const { device } = h;
  const shoot = (page: Page, name: string) => h.shoot(page, name);

  /** Sam starts the room on a laptop; Alex comes in on a phone by its invite link. Returns both and the link. */
  async function pairedByLink(): Promise<{ laptop: Page; phone: Page; link: string }> {
    const laptop = await device(LAPTOP);
    const phone = await device(PHONE);
    const link = await startRoom(laptop);
    await phone.goto(link);
    await comeIn(phone, 'Alex', 'Come in');
    await expectTogether(laptop, phone);
    return { laptop, phone, link };
  }

  it('pairs by code: the laptop starts, the phone types six digits', async () => {
    const laptop = await device(LAPTOP);
    const phone = await device(PHONE);
    await startRoom(laptop);
    const code = (await laptop.locator('.pairing-code').innerText()).replace(/\D/g, '');
    expect(code).toMatch(/^\d{6}$/);
    const laptopToasts = await recordToasts(laptop);
    await phone.goto(`${h.server().url}/join`);
    await phone.getByLabel('The six digits your partner sees').fill(code);
    await comeIn(phone, 'Alex', 'Join the room');
    await expectTogether(laptop, phone);
    await expect(laptop.getByText('Alex is here.')).toBeTruthy();
    await shoot(phone, 'room-together');
    await shoot(laptop, 'room-together');
    // The join by code is told once, by its notice; "Yes, that’s Alex" folds it away on this device, for good.
    const notice = laptop.getByRole('heading', { name: 'Alex joined with the code' });
    await notice.waitFor();
    expect(await laptopToasts()).not.toContain('Alex joined with the code.');
    await laptop.getByRole('button', { name: 'Yes, that’s Alex' }).click();
    await notice.waitFor({ state: 'detached' });
    await laptop.reload();
    await laptop.getByRole('heading', { name: 'You are both here' }).waitFor();
    expect(await notice.count()).toBe(0);
  });

  it('shows the creator who joined with the code at once; "This is not my partner" signs them out and makes a new code', async () => {
    const laptop = await device(LAPTOP);
    const stranger = await device(PHONE);
    await startRoom(laptop);
    const code = (await laptop.locator('.pairing-code').innerText()).replace(/\D/g, '');
    await stranger.goto(`${h.server().url}/join`);
    await stranger.getByLabel('The six digits your partner sees').fill(code);
    await comeIn(stranger, 'Jo', 'Join the room');
    await stranger.getByRole('heading', { name: 'You are both here' }).waitFor();
    await laptop.getByRole('heading', { name: 'Jo joined with the code' }).waitFor();
    await shoot(laptop, 'joined-with-code');
    await laptop.getByRole('button', { name: 'This is not my partner' }).click();
    await stranger.getByRole('heading', { name: 'You were signed out of this room' }).waitFor();
    // The seat is open again with a new code; the old one no longer works.
    await laptop.getByRole('heading', { name: 'Bring your partner in' }).waitFor();
    const fresh = (await laptop.locator('.pairing-code').innerText()).replace(/\D/g, '');
    expect(fresh).toMatch(/^\d{6}$/);
    expect(fresh).not.toBe(code);
    await laptop.getByText('Room history').click();
    await laptop.locator('.room-history-list').getByText(/said Jo was not the right person/).waitFor();
    const phone = await device(PHONE);
    await phone.goto(`${h.server().url}/join`);
    await phone.getByLabel('The six digits your partner sees').fill(fresh);
    await comeIn(phone, 'Alex', 'Join the room');
    await expectTogether(laptop, phone);
  });

  it('moves a seat to a new phone from the old one: it keeps its name, the old phone is signed out, the partner is told', async () => {
    const { laptop, phone: oldPhone } = await pairedByLink();
    await oldPhone.getByText('Room', { exact: true }).click();
    await oldPhone.getByRole('button', { name: /Move to a new phone/ }).click();
    await oldPhone.getByRole('button', { name: 'Make a link and a code' }).click();
    const link = await oldPhone.getByLabel('Link for your new phone', { exact: true }).inputValue();
    await shoot(oldPhone, 'move-seat');
    const laptopToasts = await recordToasts(laptop);

    const newPhone = await device(PHONE);
    await newPhone.goto(link);
    // The seat keeps its name: the page says which, and asks for none.
    await newPhone.getByRole('heading', { name: 'Welcome back, Alex' }).waitFor();
    await newPhone.getByText('You will come in as Alex.').waitFor();
    expect(await newPhone.getByLabel('Your first name').count()).toBe(0);
    await newPhone.getByLabel('I have read these').check();
    await newPhone.getByRole('button', { name: 'Come in' }).click();
    await newPhone.getByRole('heading', { name: 'You are both here' }).waitFor();
    await oldPhone.getByRole('heading', { name: 'This device was signed out' }).waitFor();
    await laptop.getByText('Alex’s seat moved to a new device.').waitFor();
    await laptop.getByRole('heading', { name: 'You are both here' }).waitFor();
    await laptop.getByText('Room history').click();
    await laptop.locator('.room-history-list').getByText('Alex asked to move their seat to a new device').waitFor();
    // The move is told once: not also as the old phone leaving and the new one arriving.
    expect(await laptopToasts()).toEqual(['Alex’s seat moved to a new device.']);
  });

  it('"Move Alex’s seat to a new phone" from the partner: the one who did it is told that, not that Alex left', async () => {
    const { laptop, phone, link: usedLink } = await pairedByLink();
    const laptopToasts = await recordToasts(laptop);
    await laptop.locator('details.room-menu > summary').click();
    await laptop.getByRole('button', { name: /^Move Alex’s seat to a new phone/ }).click();
    await laptop.getByRole('button', { name: 'Make a new invite', exact: true }).click();
    await phone.getByRole('heading', { name: 'This device was signed out' }).waitFor();
    await laptop.getByText('You signed out Alex’s device, to move the seat to a new one.').waitFor();
    await laptop.getByRole('heading', { name: 'Bring your partner in' }).waitFor();
    expect(await laptopToasts()).toEqual(['You signed out Alex’s device, to move the seat to a new one.']);
    // The panel shows the new invite, not the one Alex already used: it opens Alex's seat on a new phone.
    const inviteLink = laptop.getByLabel('Invite link', { exact: true });
    await expect.poll(() => inviteLink.inputValue()).not.toBe(usedLink);
    const newPhone = await device(PHONE);
    await newPhone.goto(await inviteLink.inputValue());
    await newPhone.getByRole('heading', { name: 'Welcome back, Alex' }).waitFor();
  });

  it('pairs by link, and a third person with the used link sees the room is full', async () => {
    const laptop = await device(LAPTOP);
    const phone = await device(PHONE);
    await startRoom(laptop);
    const link = await laptop.getByLabel('Invite link', { exact: true }).inputValue();
    await phone.goto(link);
    await phone.getByRole('heading', { name: 'Sam invited you' }).waitFor();
    await comeIn(phone, 'Alex', 'Come in');
    await expectTogether(laptop, phone);

    const third = await device(PHONE);
    await third.goto(link);
    await third.getByRole('heading', { name: 'This room already has its two partners' }).waitFor();
    await shoot(third, 'room-full');
  });

  it('pairs by QR code: the phone scans what the laptop shows', async () => {
    const laptop = await device(LAPTOP);
    const phone = await device(PHONE);
    await startRoom(laptop);
    const qr = laptop.locator('.qr');
    await qr.locator('svg').waitFor();
    const png = PNG.sync.read(await qr.screenshot());
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(await laptop.getByLabel('Invite link', { exact: true }).inputValue());
    await phone.goto(decoded!.data);
    await comeIn(phone, 'Alex', 'Come in');
    await expectTogether(laptop, phone);
  });

  it('comes back to the same seat after a reload, and the partner is shown nothing of it', async () => {
    const { laptop, phone } = await pairedByLink();
    const laptopToasts = await recordToasts(laptop);
    await phone.reload();
    // The same seat: still Alex, asked for no name, with Sam.
    await phone.getByRole('heading', { name: 'You are both here' }).waitFor();
    expect(await phone.getByLabel('Your first name').count()).toBe(0);
    await phone.getByText(/Sam/).first().waitFor();
    // A reload comes back well within the 10 s the partner's device waits before telling of an
    // absence (presenceWatch.ts), so the laptop says nothing: not that Alex left, nor that Alex is back.
    await laptop.waitForTimeout(11_000);
    expect(await laptopToasts()).toEqual([]);
    expect(await laptop.getByText(/Alex (has left|stepped away|is back)/).count()).toBe(0);
    await laptop.getByRole('heading', { name: 'You are both here' }).waitFor();
  });

  it('shows each form error beside its field, marked invalid; Enter and Space tick the ground rules and never submit', async () => {
    const laptop = await device(LAPTOP);
    await laptop.goto(`${h.server().url}/start`);
    const name = laptop.getByLabel('Your first name');
    const rules = laptop.getByLabel('I have read these');
    await name.waitFor();
    // Enter on the checkbox ticks it, as Space does; neither submits the form nor shows an error.
    await rules.focus();
    await laptop.keyboard.press('Enter');
    expect(await rules.isChecked()).toBe(true);
    await laptop.keyboard.press('Enter');
    expect(await rules.isChecked()).toBe(false);
    await laptop.keyboard.press('Space');
    expect(await rules.isChecked()).toBe(true);
    await laptop.keyboard.press('Space');
    expect(await rules.isChecked()).toBe(false);
    expect(await laptop.getByRole('alert').count()).toBe(0);
    expect(new URL(laptop.url()).pathname).toBe('/start');

    // Submitting with neither: each error right below its own field, which names it and is marked invalid.
    await laptop.getByRole('button', { name: 'Open our room' }).click();
    const describedBy = async (field: typeof name) => {
      const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
      return Promise.all(ids.map((id) => field.page().locator(`[id="${id}"]`).innerText()));
    };
    await laptop.getByText('Please write your first name.').waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await describedBy(name)).toContain('Please write your first name.');
    expect(await rules.getAttribute('aria-invalid')).toBe('true');
    expect(await describedBy(rules)).toContain('Please read and accept the ground rules before you enter.');
    // the error sits in the field's own block, not at the bottom of the form
    expect(await laptop.locator('.field', { has: name }).getByRole('alert').innerText()).toBe('Please write your first name.');
    // the first field with a problem has the focus
    expect(await name.evaluate((el) => el === document.activeElement)).toBe(true);

    // A corrected field loses its error and its mark.
    await name.fill('Sam');
    expect(await name.getAttribute('aria-invalid')).toBeNull();
    expect(await laptop.getByText('Please write your first name.').count()).toBe(0);
    await rules.check();
    expect(await rules.getAttribute('aria-invalid')).toBeNull();
    expect(await laptop.getByRole('alert').count()).toBe(0);

    // The code page: a short code is told at the code field.
    const phone = await device(PHONE);
    await phone.goto(`${h.server().url}/join`);
    const code = phone.getByLabel('The six digits your partner sees');
    await code.fill('123');
    await phone.getByRole('button', { name: 'Join the room' }).click();
    await phone.getByText('The code has six digits.').waitFor();
    expect(await code.getAttribute('aria-invalid')).toBe('true');
    expect(await describedBy(code)).toContain('The code has six digits.');
    expect(await code.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('pairs by keyboard alone', async () => {
    const laptop = await device(LAPTOP);
    await laptop.goto(h.server().url);
    await laptop.getByRole('heading', { level: 1 }).waitFor();
    // From the landing page to an open room without a pointer: Tab until "Start a room".
    for (let i = 0; i < 8; i++) {
      await laptop.keyboard.press('Tab');
      if ((await laptop.evaluate(() => document.activeElement?.textContent ?? '')).includes('Start a room')) break;
    }
    await expect(laptop.evaluate(() => document.activeElement?.textContent)).resolves.toContain('Start a room');
    await laptop.keyboard.press('Enter');
    await laptop.getByLabel('Your first name').waitFor();
    await laptop.getByLabel('Your first name').focus();
    await laptop.keyboard.type('Sam');
    await laptop.keyboard.press('Tab'); // checkbox
    await laptop.keyboard.press('Space');
    await laptop.keyboard.press('Tab'); // submit
    await laptop.keyboard.press('Enter');
    await laptop.getByRole('heading', { name: 'Bring your partner in' }).waitFor();
    const code = (await laptop.locator('.pairing-code').innerText()).replace(/\D/g, '');

    const phone = await device(PHONE);
    await phone.goto(`${h.server().url}/join`);
    await phone.getByLabel('The six digits your partner sees').focus();
    await phone.keyboard.type(code);
    await phone.keyboard.press('Tab');
    await phone.keyboard.type('Alex');
    await phone.keyboard.press('Tab');
    await phone.keyboard.press('Space');
    await phone.keyboard.press('Tab');
    await phone.keyboard.press('Enter');
    await expectTogether(laptop, phone);
  });

  it('deleting the room tells the other partner it is gone', async () => {
    const { laptop, phone } = await pairedByLink();
    await phone.getByText('Room', { exact: true }).click();
    await phone.getByRole('button', { name: /Delete this room/ }).click();
    await phone.getByRole('heading', { name: 'Delete this room for good?' }).waitFor();
    await shoot(phone, 'delete-confirm');
    await phone.getByRole('button', { name: 'Delete everything' }).click();
    // The other partner is told who deleted it, and that everything in it is gone.
    await laptop.getByRole('heading', { name: 'Alex deleted this room' }).waitFor();
    await laptop.getByText(/^Everything in it is gone/).waitFor();
    await shoot(laptop, 'room-deleted');
    // The one who deleted it is told it is done, in a status rather than an alert.
    await phone.getByRole('status').getByRole('heading', { name: 'You deleted this room' }).waitFor();
    await phone.getByText(/^Everything in it is gone, for both of you/).waitFor();
    await shoot(phone, 'room-deleted-by-you');
  });

  it('has no serious or critical accessibility violations on the pairing screens', async () => {
    for (const viewport of [PHONE, LAPTOP]) {
      const page = await device(viewport);
      const problems: Record<string, string[]> = {};
      for (const [name, path] of [
        ['landing', '/'],
        ['help', '/help'],
        ['join-code', '/join'],
        ['start', '/start'],
        ['invite-broken', '/invite#AAAAAAAAAAAAAAAAAAAAAA'],
        ['not-found', '/nowhere'],
      ] as const) {
        await page.goto(`${h.server().url}${path}`);
        await page.locator('h1').first().waitFor();
        problems[name] = await seriousViolations(page);
        await shoot(page, name);
      }
      await startRoom(page);
      await page.locator('.qr svg').waitFor();
      problems.room = await seriousViolations(page);
      await shoot(page, 'room-waiting');
      expect(problems).toEqual(Object.fromEntries(Object.keys(problems).map((k) => [k, []])));
    }
  });
});
