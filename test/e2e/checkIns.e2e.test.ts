import type { Locator, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/a11y';
import { browserTestsCanRun, LAPTOP, PHONE, SCREENSHOT_DIR, settled } from '../support/browser';
import { useBrowserHarness } from '../support/browserHarness';
import { openWorkspaceRoom, partnersComeIn } from '../support/moderatedRoom';
import { pairOnAgreements } from '../support/pairOnAgreements';
import { manualClock } from '../support/testServer';

const run = browserTestsCanRun();
const STARTER = 'We ask before we assume';
const DAY = 86_400_000;
// Monday 4 January 2027, 10:00 UTC: the first week runs to Sunday 10 January. Later than the
// machine's own clock, so what the pages check against their own time (an invite's expiry) holds.
const START = Date.UTC(2027, 0, 4, 10);

describe.skipIf(!run)('Check-ins between sessions, over several weeks on the server clock', () => {
  let clock = manualClock(START);
  beforeEach(() => {
    clock = manualClock(START);
  });
  const h = useBrowserHarness({ clock: { now: () => clock.now() } });

  const card = (page: Page) => page.locator('article.agreement').first();
  const checkIn = (page: Page) => card(page).locator('section.check-in');

  /** Pictures of `part` at 320, 390x844 and 1280x800, light and dark. */
  async function pictures(page: Page, name: string, part: Locator): Promise<void> {
    const own = page.viewportSize()!;
    for (const [w, hgt] of [[320, 720], [390, 844], [1280, 800]] as const) {
      await page.setViewportSize({ width: w, height: hgt });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await part.scrollIntoViewIfNeeded();
        await settled(page);
        await part.screenshot({ path: `${SCREENSHOT_DIR}/${name}-${w}-${scheme}.png`, animations: 'disabled' });
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize(own);
  }

  async function agreeTogether(first: Page, second: Page): Promise<void> {
    await first.getByRole('button', { name: `Start from this: ${STARTER}` }).click();
    await card(second).waitFor();
    await card(first).getByRole('button', { name: 'I agree to this' }).click();
    await card(second).getByRole('button', { name: 'I agree to this' }).click();
    for (const page of [first, second]) await card(page).locator('section.commitment').waitFor();
  }

  async function answer(page: Page, mark: 'We kept it' | 'Mostly' | 'We struggled', words?: string, share = true): Promise<void> {
    const part = checkIn(page);
    await part.getByLabel(mark).check();
    if (words) await part.getByLabel(/^A few words, if you like/).fill(words);
    if (!share) await part.getByRole('checkbox', { name: /Share my words with/ }).uncheck();
    await part.getByRole('button', { name: 'Check in' }).click();
  }

  it('a couple sets a weekly rhythm, checks in for three weeks and sees the way so far', async () => {
    const [sam, alex] = await pairOnAgreements(h);
    await agreeTogether(sam, alex);

    // Sam chooses how often they look at it; Alex sees it too, with who chose it.
    await checkIn(sam).getByRole('heading', { name: 'How often shall we look at this together?' }).waitFor();
    await pictures(sam, 'checkins-rhythm', checkIn(sam));
    await checkIn(sam).getByLabel('We look back on').selectOption('sunday');
    await checkIn(sam).getByRole('button', { name: 'Choose this rhythm' }).click();
    for (const page of [sam, alex]) await checkIn(page).getByRole('heading', { name: 'We look at this together every Sunday.' }).waitFor();
    await checkIn(alex).getByText('Chosen by Sam.').waitFor();

    // Week 1: Sam answers first; Alex sees only that Sam has, not how.
    await checkIn(sam).locator('.check-in-question').getByText('How did we do this week?').waitFor();
    await pictures(sam, 'checkins-question', checkIn(sam));
    await answer(sam, 'We kept it', 'We walked on Tuesday and Thursday');
    await checkIn(sam).getByText(/^You have checked in\./).waitFor();
    await expect.poll(() => checkIn(alex).innerText()).not.toContain('Tuesday');
    await answer(alex, 'We kept it', 'I still felt a bit rushed', false);
    for (const page of [sam, alex]) await checkIn(page).getByText('You both kept it this week. Small steps like this are how trust grows back.').waitFor();
    await checkIn(alex).getByText('We walked on Tuesday and Thursday').waitFor();
    await checkIn(sam).getByText('Alex kept their words to themselves.').waitFor();
    expect(await checkIn(sam).innerText()).not.toContain('rushed');
    await pictures(sam, 'checkins-both', checkIn(sam));

    // Weeks 2 and 3, a week apart on the server's clock.
    const weeks: Array<['We kept it' | 'Mostly' | 'We struggled', 'We kept it' | 'Mostly' | 'We struggled']> = [
      ['Mostly', 'We kept it'],
      ['We struggled', 'Mostly'],
    ];
    for (const [s, a] of weeks) {
      clock.advance(7 * DAY);
      for (const page of [sam, alex]) await page.reload();
      await answer(sam, s);
      await answer(alex, a);
      await checkIn(sam).locator('.both-marks').waitFor();
    }
    await checkIn(sam).getByText('a harder week').waitFor();
    expect(await checkIn(sam).innerText()).not.toMatch(/broke|fail|missed/i);

    // A small step, and the way so far on the phone.
    await sam.getByRole('button', { name: 'Our way so far' }).click();
    const way = sam.locator('section.way-so-far');
    await way.getByRole('heading', { name: 'Our way so far' }).waitFor();
    // Three tabs on a phone, at its narrowest too.
    for (const width of [320, 390]) {
      await sam.setViewportSize({ width, height: 720 });
      await settled(sam);
      await sam.locator('nav.room-tabs').screenshot({ path: `${SCREENSHOT_DIR}/checkins-tabs-${width}.png` });
    }
    await sam.setViewportSize(PHONE);
    await way.getByLabel('Note a small step').fill('We walked before we talked, twice');
    await way.getByRole('button', { name: 'Add this step' }).click();
    await way.locator('.small-steps-list').getByText('We walked before we talked, twice').waitFor();
    const row = way.getByRole('img', { name: new RegExp(`^${STARTER}:`) });
    const label = (await row.getAttribute('aria-label')) ?? '';
    expect(label).toContain('You kept it, Alex kept it');
    expect(label).toContain('You a harder week, Alex mostly kept it');
    const table = way.locator('table');
    expect(await table.locator('tbody tr').count()).toBe(3);
    expect(await table.innerText()).toContain('a harder week');
    expect(await seriousViolations(sam)).toEqual([]);
    await pictures(sam, 'checkins-way', way);
    // On the laptop the way so far shows below the agreements, the small step there too.
    await alex.locator('section.way-so-far .small-steps-list').getByText('We walked before we talked, twice').waitFor();
  });

  it('the counsellor sees the marks both partners chose to share, never their words', async () => {
    const counsellor = await h.device(LAPTOP);
    const links = await openWorkspaceRoom(counsellor, h.server().url);
    const { jo, rae } = await partnersComeIn(h.device, counsellor, links);
    for (const page of [jo, rae]) await page.getByRole('button', { name: 'Our agreements' }).click();
    await agreeTogether(jo, rae);
    await checkIn(jo).getByRole('button', { name: 'Choose this rhythm' }).click();
    await checkIn(rae).getByRole('heading', { name: /^We look at this together every/ }).waitFor();
    await answer(jo, 'We kept it', 'words only Rae may read');
    await answer(rae, 'Mostly', 'words only Jo may read');
    await checkIn(jo).locator('.both-marks').waitFor();

    // Nothing in the workspace until both say yes.
    await checkIn(jo).getByRole('checkbox', { name: /Show our marks for this to our counsellor/ }).check();
    await checkIn(rae).getByText('Jo said yes. Nothing is shown unless you both do.').waitFor();
    await counsellor.reload();
    await counsellor.locator('.cn-room').getByText('Rae').waitFor();
    expect(await counsellor.locator('.cn-check-ins').count()).toBe(0);
    await checkIn(rae).getByRole('checkbox', { name: /Show our marks for this to our counsellor/ }).check();
    await checkIn(rae).getByText('You both said yes: your counsellor sees the marks, not the words.').waitFor();
    await pictures(rae, 'checkins-consent', checkIn(rae));

    // The workspace hears that what it may see changed, and shows it without a reload.
    const shared = counsellor.locator('.cn-check-ins');
    await shared.getByText('Check-ins they share with you').waitFor();
    const label = (await shared.getByRole('img').getAttribute('aria-label')) ?? '';
    expect(label).toContain('Jo kept it, Rae mostly kept it');
    expect(await counsellor.locator('body').innerText()).not.toContain('words only');
    await pictures(counsellor, 'checkins-counsellor', counsellor.locator('.cn-room').first());
  });
});
