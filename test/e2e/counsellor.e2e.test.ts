import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/a11y';
import { browserTestsCanRun, LAPTOP, SCREENSHOT_DIR } from '../support/browser';
import { useBrowserHarness } from '../support/browserHarness';
import { partnersComeIn, writePrivateNote } from '../support/moderatedRoom';

const run = browserTestsCanRun();

const NOTE = 'Private-note-marker-Zq81';
const LINE = 'Private-line-marker-Wx44';

/** Everything the page shows or keeps where scripts can read it. */
async function everythingOn(page: Page): Promise<string> {
  return page.evaluate(() => `${document.documentElement.outerHTML}\n${JSON.stringify({ ...localStorage })}\n${JSON.stringify({ ...sessionStorage })}`);
}

describe.skipIf(!run)('a moderated room in real browsers (counsellor laptop, two partner phones)', () => {
  const h = useBrowserHarness();
  const { device } = h;

  it('the counsellor opens a room, the partners join by link, a private note and a moderated step; the partners never see the note', async () => {
    const counsellor = await device(LAPTOP);
    await counsellor.goto(`${h.server().url}/counsellor`);
    await counsellor.getByLabel('Your name, as couples will see it').fill('Dr Lee');
    await counsellor.getByRole('button', { name: 'Set up my workspace' }).click();
    await expect.poll(() => counsellor.locator('.cn-recovery-code').textContent()).toMatch(/^[A-Z2-7]{5}(-[A-Z2-7]{5}){3}$/);
    await counsellor.getByLabel('I have written it down').check();
    await counsellor.getByRole('button', { name: 'Open my workspace' }).click();
    await counsellor.getByLabel('A label only you see').fill('J & R');
    await counsellor.getByRole('button', { name: 'Open the room' }).click();
    const linkA = await counsellor.getByLabel('Invite link for the first partner').inputValue();
    const linkB = await counsellor.getByLabel('Invite link for the second partner').inputValue();
    expect(await seriousViolations(counsellor)).toEqual([]);

    const { jo, rae } = await partnersComeIn(device, counsellor, { a: linkA, b: linkB });
    await writePrivateNote(counsellor, `Session one. ${NOTE}`);

    // Moderating: offer a pack, both accept, the counsellor skips the first step.
    await counsellor.locator('.pack-card').first().click();
    await counsellor.getByRole('button', { name: 'Offer this session' }).click();
    await jo.getByRole('button', { name: 'Yes, let’s begin' }).click();
    await rae.getByRole('button', { name: 'Yes, let’s begin' }).click();
    await counsellor.getByText(/step 1 of \d+/).first().waitFor();
    await counsellor.getByRole('button', { name: 'Skip this step' }).click();
    await counsellor.getByText(/step 2 of \d+/).first().waitFor();
    await jo.getByText(/Step 2 of \d+/).first().waitFor();
    await rae.getByText(/Step 2 of \d+/).first().waitFor();

    // Rae writes to the counsellor privately; Jo never sees it.
    await rae.getByText('Tell Dr Lee something privately').click();
    await rae.getByLabel('I need a break soon').check();
    await rae.getByLabel('A few words, if you like (optional)').fill(LINE);
    await rae.getByRole('button', { name: 'Send to Dr Lee only' }).click();
    await rae.getByText('Sent. Only Dr Lee can see it.').waitFor();
    await counsellor.locator('.cn-inbox').getByText(LINE).waitFor();
    await counsellor.screenshot({ path: `${SCREENSHOT_DIR}/e2e-counsellor-room-laptop.png`, fullPage: true });

    // After a reload too.
    await jo.reload();
    await jo.getByRole('heading', { name: 'You are both here' }).waitFor();
    await jo.getByText(/Step 2 of \d+/).first().waitFor();
    for (const [page, name] of [
      [jo, 'Jo'],
      [rae, 'Rae'],
    ] as const) {
      const seen = await everythingOn(page);
      expect(seen, name).not.toContain(NOTE);
      expect(seen, name).not.toContain('J &amp; R');
      expect(await page.getByRole('heading', { name: 'Your private notes' }).count(), name).toBe(0);
    }
    expect(await everythingOn(jo)).not.toContain(LINE);
    expect(await seriousViolations(rae)).toEqual([]);
  });
});
