import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { dayOf } from '../../shared/agreements';
import { browserTestsCanRun, LAPTOP, PHONE, showRoomPart } from '../support/browser';
import { useBrowserHarness } from '../support/browserHarness';

const run = browserTestsCanRun();
const SHOTS = process.env.W6_SHOTS ?? 'test-results/screenshots/signed';
const TITLE = 'Phones and passwords';

/**
 * Agreements that feel signed (issue 20), in two browsers, Sam on a phone (390×844) and Alex on a
 * laptop (1280×800): a commitment, a change proposed and compared word by word, accepted, its
 * history opened; a review whose day has come on the first screen; the agreements downloaded from
 * the delete dialog, the room deleted, and the other partner told who did it, also after a reload.
 */
describe.skipIf(!run)('agreements that feel signed, and a room deleted with care for both', () => {
  const h = useBrowserHarness();
  mkdirSync(SHOTS, { recursive: true });
  const shoot = (page: Page, name: string) =>
    page.screenshot({ path: `${SHOTS}/${name}-${page.viewportSize()!.width < 600 ? 'phone' : 'laptop'}.png`, fullPage: true });
  const card = (page: Page) => page.locator('article.agreement', { hasText: TITLE }).first();
  const badge = (page: Page) => card(page).locator('.status-badge');

  it('agree, propose a change, compare words, accept it, open the history, see the review due, download, withdraw together, delete and be told', async () => {
    const sam = await h.device(PHONE);
    const link = await h.startRoom(sam);
    const alex = await h.device(LAPTOP);
    await h.comeIn(alex, link, 'Alex');
    await alex.getByText('You are both here').waitFor();
    await showRoomPart(sam, 'Our agreements');

    // Sam proposes it, with a review day that has already come.
    const yesterday = dayOf(Date.now() - 86_400_000);
    const form = sam.locator('form.add-agreement');
    await form.getByLabel('Title').fill(TITLE);
    await form.getByLabel('Look at it again on (optional)').fill(yesterday);
    await form.getByRole('button', { name: 'Add it' }).click();
    await card(alex).waitFor();
    const body = card(alex).getByRole('textbox', { name: /^What we agree:/ });
    await body.click();
    await alex.keyboard.type('We never read each other’s messages.');
    await expect.poll(() => card(sam).innerText()).toContain('We never read each other’s messages.');

    // Sam agrees; the one still to agree is told it is theirs, not that they are awaited.
    await card(sam).getByRole('button', { name: 'I agree to this' }).click();
    await badge(sam).getByText('You agreed · Alex has not yet').waitFor();
    await badge(alex).getByText('Sam agreed · agree too when you are ready').waitFor();
    await shoot(sam, '01-one-agreed');
    await shoot(alex, '01-one-agreed');
    await card(alex).getByRole('button', { name: 'I agree to this' }).click();
    for (const page of [sam, alex]) {
      await badge(page).getByText(/^Agreed by Sam and Alex on \S/).waitFor();
      expect(await card(page).locator('section.commitment [contenteditable]').count()).toBe(0);
      await shoot(page, '02-commitment');
    }

    // Alex proposes a change and agrees to it: Sam reads "Alex proposes a change", word by word.
    await card(alex).getByRole('button', { name: 'Propose a change' }).click();
    await card(alex).getByRole('textbox', { name: /^What we agree:/ }).click();
    await alex.keyboard.press('Control+End');
    await alex.keyboard.type(' We ask first.');
    await card(alex).getByRole('button', { name: 'I agree to the new words' }).click();
    await badge(sam).getByText('Alex proposes a change').waitFor();
    await badge(alex).getByText('You propose a change · Sam has not agreed yet').waitFor();
    for (const page of [sam, alex]) {
      const changes = card(page).locator('.word-changes');
      await expect.poll(async () => (await changes.locator('ins').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual(['added: We ask first.']);
      // the words alone: no second label repeating what the heading says
      expect(await changes.innerText()).not.toMatch(/Words:/);
      // in force until both accept
      expect(await card(page).locator('section.commitment').innerText()).not.toContain('We ask first.');
      await shoot(page, '03-change-proposed');
    }

    // Sam accepts: the new words are in force and the old ones are in the history, which opens.
    await card(sam).getByRole('button', { name: 'I agree to the new words' }).click();
    for (const page of [sam, alex]) {
      await expect.poll(() => card(page).locator('section.commitment').innerText()).toContain('We ask first.');
      const history = card(page).locator('details.agreement-history');
      await history.locator('summary').click();
      const earlier = await history.locator('li').first().innerText();
      expect(earlier).toContain('We never read each other’s messages.');
      expect(earlier).not.toContain('We ask first.');
      expect(earlier).toMatch(/Agreed by Sam and Alex on .+; replaced by new words on /);
      await shoot(page, '04-history');
    }

    // The review day has come: the room's first screen says so, on both.
    for (const page of [sam, alex]) {
      await page.reload();
      if (page === sam) await showRoomPart(sam, 'Talk');
      const note = page.locator('.welcome .due-reviews');
      await note.getByText(`Time to look again at: ${TITLE}`).waitFor();
      await shoot(page, '05-review-due');
    }
    await sam.locator('.welcome .due-reviews').getByRole('button', { name: 'Open our agreements' }).click();
    await card(sam).waitFor();

    // The delete dialog says what it does for both, and offers the agreements first.
    await alex.locator('details.room-menu > summary').click();
    await alex.getByRole('button', { name: /^Delete this room/ }).click();
    await alex.locator('dialog[open]').getByText('Sam will be told you deleted it.').waitFor();
    await shoot(alex, '06-delete-dialog');
    await alex.locator('dialog[open]').getByRole('button', { name: 'Cancel' }).click();
    await sam.locator('details.room-menu > summary').click();
    await sam.getByRole('button', { name: /^Delete this room/ }).click();
    const dialog = sam.locator('dialog[open]');
    await dialog.getByText('removes everything in it for both of you').waitFor();
    await dialog.getByText('Alex will be told you deleted it.').waitFor();
    await shoot(sam, '06-delete-dialog');
    const [download] = await Promise.all([sam.waitForEvent('download'), dialog.getByRole('button', { name: 'Download our agreements first' }).click()]);
    await dialog.getByRole('status').getByText(`Downloaded: ${download.suggestedFilename()}`, { exact: true }).waitFor();
    const markdown = readFileSync(await download.path(), 'utf8');
    expect(markdown).toContain(`### ${TITLE}`);
    expect(markdown).toContain('We never read each other’s messages. We ask first.');
    expect(markdown).toMatch(/- Status: Agreed by Sam and Alex on \d{4}-\d{2}-\d{2}/);
    expect(markdown).toContain('#### Earlier agreements on this');
    expect(markdown).toMatch(/- Phones and passwords: We never read each other’s messages\. \(agreed by Sam and Alex on .+, replaced by new words on .+\)/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // Withdrawn together: one asks, the other ends it for both; it reads as ended, not as a new proposal.
    await card(sam).getByRole('button', { name: 'Ask to end this agreement' }).click();
    await card(alex).getByRole('button', { name: 'End it for both of us' }).click();
    for (const page of [sam, alex]) {
      await badge(page).getByText(/^Ended by you both on .+ · not in force$/).waitFor();
      expect(await card(page).getAttribute('class')).toContain('agreement-ended');
      await shoot(page, '06b-ended-together');
    }
    await card(sam).getByRole('button', { name: 'Agree to it again' }).waitFor();

    // Deleting is one step from the menu, at once.
    await sam.locator('details.room-menu > summary').click();
    await sam.getByRole('button', { name: /^Delete this room/ }).click();
    await dialog.getByRole('button', { name: 'Delete everything' }).click();
    // Sam reads, calmly, that it is done.
    await sam.getByRole('status').getByRole('heading', { name: 'You deleted this room' }).waitFor();
    await sam.getByText('Everything in it is gone, for both of you').waitFor();

    // Alex is told once, kindly, who deleted it; a reload says the same, and the room is forgotten.
    await alex.getByRole('heading', { name: 'Sam deleted this room' }).waitFor();
    await alex.getByText('Everything in it is gone').waitFor();
    await shoot(alex, '07-deleted-notice');
    await alex.reload();
    await alex.getByRole('heading', { name: 'Sam deleted this room' }).waitFor();
    await shoot(alex, '08-deleted-after-reload');
    expect(await alex.evaluate(() => localStorage.getItem('commonground.seats.v1') ?? '')).not.toContain(new URL(alex.url()).pathname.split('/').pop()!);

    // The same notice on a phone: Alex's words at phone size.
    await alex.setViewportSize(PHONE);
    await shoot(alex, '08-deleted-after-reload');
    await sam.setViewportSize(LAPTOP);
  });
});
