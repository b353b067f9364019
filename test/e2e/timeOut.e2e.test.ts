import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsCanRun, LAPTOP, PHONE, showRoomPart } from '../support/browser';
import { useBrowserHarness } from '../support/browserHarness';
import { counsellorInRoomWithCouple } from '../support/moderatedRoom';

const run = browserTestsCanRun();
const SHOTS = process.env.TIME_OUT_SHOTS ?? 'test-results/screenshots/time-out';

/** The sizes of issue 23: a phone, a laptop, the narrowest phone, and a phone with text twice as large. */
const SIZES = [
  { name: '390x844', viewport: PHONE, text: 1 },
  { name: '1280x800', viewport: LAPTOP, text: 1 },
  { name: '320', viewport: { width: 320, height: 640 }, text: 1 },
  { name: '390-text200', viewport: PHONE, text: 2 },
] as const;

async function setSize(page: Page, size: (typeof SIZES)[number]): Promise<void> {
  await page.setViewportSize(size.viewport);
  await page.evaluate((factor) => {
    const root = document.documentElement;
    root.style.fontSize = '';
    if (factor !== 1) root.style.fontSize = `${parseFloat(getComputedStyle(root).fontSize) * factor}px`;
    window.scrollTo(0, 0);
  }, size.text);
}

/**
 * Where the time-out button lies against every other visible control: at the top of the page,
 * then with each control scrolled into view in turn (as tapping or tabbing to it would). Gives
 * what is wrong, in words.
 */
function timeOutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const button = document.querySelector<HTMLElement>('button.timeout-button');
    if (!button) return ['no time-out button'];
    const shown = (el: Element) => {
      if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return null;
      const r = el.getBoundingClientRect();
      return r.width > 1 && r.height > 1 ? r : null;
    };
    const name = (el: Element) => `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40)}"`;
    const inView = () => {
      const r = shown(button);
      return !!r && r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= document.documentElement.clientWidth;
    };
    const overlaps = (a: DOMRect, b: DOMRect) =>
      Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
    const controls = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])')].filter(
      (el) => el !== button && !button.contains(el) && shown(el) !== null,
    );
    window.scrollTo(0, 0);
    if (!inView()) problems.push('not in sight at the top of the page');
    for (const el of controls) {
      const b = shown(button)!;
      const r = shown(el);
      if (r && overlaps(b, r)) problems.push(`at the top, lies on ${name(el)}`);
    }
    for (const el of controls) {
      el.scrollIntoView({ block: 'nearest' });
      const r = shown(el);
      const b = shown(button);
      if (!b || !inView()) problems.push(`out of sight with ${name(el)} in view`);
      else if (r && overlaps(b, r)) problems.push(`covers ${name(el)} when it is scrolled to`);
    }
    window.scrollTo(0, 0);
    return problems;
  });
}

/** Every vibration this page asks for, counted (navigator.vibrate, where the browser has it). */
async function countVibrations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { vibrations: number };
    w.vibrations = 0;
    Object.defineProperty(navigator, 'vibrate', { configurable: true, value: () => ((w.vibrations += 1), true) });
  });
}
const vibrations = (page: Page) => page.evaluate(() => (window as unknown as { vibrations: number }).vibrations);

describe.skipIf(!run)('a time-out one tap away, and the break it brings (issue 23)', () => {
  const h = useBrowserHarness();

  async function session(): Promise<[Page, Page]> {
    const sam = await h.device(PHONE);
    await countVibrations(sam);
    const link = await h.startRoom(sam);
    const alex = await h.device(PHONE);
    await countVibrations(alex);
    await h.comeIn(alex, link, 'Alex');
    await alex.getByText('You are both here').waitFor();
    await sam.locator('section.talk').getByRole('button', { name: /Turning the page/ }).click();
    await sam.locator('section.talk').getByLabel(/Write/).check();
    await sam.locator('section.talk').getByRole('button', { name: 'Ask Alex to join' }).click();
    return [sam, alex];
  }

  it('is in sight and covers no control, on every screen and tab of a session, at every size', { timeout: 240_000 }, async () => {
    mkdirSync(SHOTS, { recursive: true });
    const [sam, alex] = await session();
    const problems: string[] = [];
    const check = async (page: Page, screen: string) => {
      for (const size of SIZES) {
        await setSize(page, size);
        for (const p of await timeOutProblems(page)) problems.push(`${screen} @${size.name}: ${p}`);
        await page.screenshot({ path: `${SHOTS}/bar-${screen.replace(/\W+/g, '-')}-${size.name}.png` });
      }
      await setSize(page, SIZES[0]);
    };
    // A proposal waiting: for the one who asked, and the one asked.
    await alex.locator('section.talk').getByRole('button', { name: 'Yes, let’s begin' }).waitFor();
    await check(sam, 'proposal, asker');
    await check(alex, 'proposal, asked');
    await alex.locator('section.talk').getByRole('button', { name: 'Yes, let’s begin' }).click();
    await alex.locator('section.talk').getByLabel('What you want to say').waitFor();
    await check(alex, 'speaking');
    await check(sam, 'listening');
    // The phone's other tab, during the session.
    await showRoomPart(sam, 'Our agreements');
    await check(sam, 'agreements tab');
    await showRoomPart(sam, 'Talk');
    expect(problems).toEqual([]);

    // By keyboard from the top of the page (the first Tab stop is the skip link): skip, and the
    // time-out is the next stop.
    await sam.locator('a.skip-link').focus();
    await sam.keyboard.press('Enter');
    await sam.keyboard.press('Tab');
    await expect(sam.evaluate(() => document.activeElement?.classList.contains('timeout-button'))).resolves.toBe(true);

    // The shortcut is named where assistive technology reads it.
    await expect(sam.locator('button.timeout-button').getAttribute('aria-keyshortcuts')).resolves.toBe('Alt+P');
  });

  it('called by shortcut on one phone, it takes over the other phone on the agreements tab, in words for each', { timeout: 120_000 }, async () => {
    mkdirSync(SHOTS, { recursive: true });
    const [sam, alex] = await session();
    await alex.locator('section.talk').getByRole('button', { name: 'Yes, let’s begin' }).click();
    await alex.locator('section.talk').getByLabel('What you want to say').waitFor();
    await showRoomPart(alex, 'Our agreements');
    await expect.poll(() => alex.locator('.room-panel').nth(1).isVisible()).toBe(true);

    // Sam: Alt+P, from wherever the focus is, once Sam's screen has the running session.
    await sam.locator('section.talk .floor-title').waitFor();
    await sam.getByRole('button', { name: 'Time-out', exact: true }).waitFor();
    await sam.keyboard.press('Alt+KeyP');
    await sam.getByRole('heading', { name: /^You are taking a break until .+\.$/ }).waitFor();
    await alex.getByRole('heading', { name: /^Sam is taking a break until .+\.$/ }).waitFor();

    // Alex's whole screen is the break: no tabs, no agreements, nothing to do.
    await expect(alex.locator('nav.room-tabs').isVisible()).resolves.toBe(false);
    await expect(alex.getByRole('button', { name: 'Our agreements' }).isVisible()).resolves.toBe(false);
    await expect(alex.getByText('You don’t need to do anything.', { exact: false }).isVisible()).resolves.toBe(true);
    for (const label of ['I’m back', 'I need longer', 'Need longer?', 'Time-out']) {
      await expect(alex.getByRole('button', { name: label, exact: true }).count(), `Alex is not offered "${label}"`).resolves.toBe(0);
    }
    await expect(alex.locator('.break-screen').isVisible()).resolves.toBe(true);
    // The one who did not call it feels it, once; the caller does not.
    await expect.poll(() => vibrations(alex)).toBe(1);
    await expect(vibrations(sam)).resolves.toBe(0);

    // Sam's screen: their own words and their two ways on.
    await expect(sam.getByText(/^Take the time you need\./).isVisible()).resolves.toBe(true);
    await expect(sam.getByRole('button', { name: 'I’m back', exact: true }).isVisible()).resolves.toBe(true);
    await expect(sam.getByRole('button', { name: 'I need longer', exact: true }).isVisible()).resolves.toBe(true);

    for (const size of [SIZES[0], SIZES[1]]) {
      for (const [who, page] of [['caller', sam], ['partner', alex]] as const) {
        await setSize(page, size);
        await page.screenshot({ path: `${SHOTS}/break-${who}-${size.name}.png`, fullPage: true });
      }
    }
    await setSize(sam, SIZES[0]);
    await setSize(alex, SIZES[0]);

    // Longer: Alex sees the new time, still with nothing to do.
    const before = await alex.getByRole('heading', { name: /taking a break until/ }).innerText();
    await sam.getByRole('button', { name: 'I need longer', exact: true }).click();
    await sam.getByRole('button', { name: '30 min' }).click();
    await expect.poll(() => alex.getByRole('heading', { name: /taking a break until/ }).innerText()).not.toBe(before);

    // Sam is back: both are where they were, Alex on the agreements tab again.
    await sam.getByRole('button', { name: 'I’m back', exact: true }).click();
    await sam.locator('section.talk .floor-title').waitFor();
    await alex.locator('nav.room-tabs').waitFor();
    await expect(alex.locator('.break-screen').count()).resolves.toBe(0);
    await expect(alex.getByRole('button', { name: 'Time-out', exact: true }).isVisible()).resolves.toBe(true);
  });

  it('in a moderated room, the counsellor reads whose break it is and what they may do', { timeout: 120_000 }, async () => {
    mkdirSync(SHOTS, { recursive: true });
    const { counsellor, jo, rae, talkC } = await counsellorInRoomWithCouple(h);
    await talkC.getByRole('button', { name: /Turning the page/ }).click();
    await talkC.getByRole('button', { name: 'Offer this session' }).click();
    await jo.locator('section.talk').getByRole('button', { name: 'Yes, let’s begin' }).click();
    await rae.locator('section.talk').getByRole('button', { name: 'Yes, let’s begin' }).click();
    await rae.locator('section.talk .floor-title').waitFor();

    await jo.getByRole('button', { name: 'Time-out', exact: true }).click();
    await jo.getByRole('heading', { name: /^You are taking a break until .+\.$/ }).waitFor();
    await rae.getByRole('heading', { name: /^Jo is taking a break until .+\.$/ }).waitFor();
    await talkC.getByRole('heading', { name: /^Jo is taking a break until .+\.$/ }).waitFor();
    await expect(talkC.getByText(/you may also resume it for both of them, or end it/).isVisible()).resolves.toBe(true);
    await expect(talkC.getByRole('button', { name: 'I’m back', exact: true }).count()).resolves.toBe(0);
    for (const size of [SIZES[1], SIZES[0]]) {
      await setSize(counsellor, size);
      await counsellor.screenshot({ path: `${SHOTS}/break-counsellor-${size.name}.png`, fullPage: true });
    }
    await setSize(counsellor, SIZES[1]);
    await talkC.getByRole('button', { name: 'Resume the session', exact: true }).click();
    await rae.locator('section.talk .floor-title').waitFor();

    // A break the counsellor calls: both partners read that, and each comes back.
    await counsellor.getByRole('button', { name: 'Time-out', exact: true }).click();
    await jo.getByRole('heading', { name: /^Dr Lee called a break until .+\.$/ }).waitFor();
    await talkC.getByRole('heading', { name: /^You called a break until .+\.$/ }).waitFor();
    await jo.screenshot({ path: `${SHOTS}/break-called-by-counsellor-390x844.png`, fullPage: true });
    await jo.getByRole('button', { name: 'I’m back', exact: true }).click();
    await jo.getByText('You are back. Waiting for Rae.').waitFor();
    await rae.getByRole('button', { name: 'I’m back', exact: true }).click();
    await jo.locator('section.talk .floor-title').waitFor();
  });

  it('a reload of one phone shows the other nothing', { timeout: 60_000 }, async () => {
    const sam = await h.device(PHONE);
    const link = await h.startRoom(sam);
    const alex = await h.device(PHONE);
    await h.comeIn(alex, link, 'Alex');
    await alex.getByText('You are both here').waitFor();
    await sam.getByText('You are both here').waitFor();
    // Alex's arrival is news ("Alex is here."): let it go by first.
    await expect.poll(() => sam.locator('.toast').count(), { timeout: 15_000 }).toBe(0);
    // Every toast and every presence word Sam's screen shows from now on.
    await sam.evaluate(() => {
      const w = window as unknown as { seen: string[] };
      w.seen = [];
      new MutationObserver(() => {
        for (const t of document.querySelectorAll('.toast')) if (!w.seen.includes(t.textContent ?? '')) w.seen.push(t.textContent ?? '');
        const heading = document.getElementById('welcome-title')?.textContent ?? '';
        if (heading.startsWith('Waiting') && !w.seen.includes(heading)) w.seen.push(heading);
        for (const s of document.querySelectorAll('.presence-state')) if (s.textContent && s.textContent !== 'here' && !w.seen.includes(s.textContent)) w.seen.push(s.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await alex.reload();
    await alex.getByText('You are both here').waitFor();
    // Past the ten seconds a longer absence would wait for.
    await sam.waitForTimeout(11_000);
    await expect(sam.evaluate(() => (window as unknown as { seen: string[] }).seen)).resolves.toEqual([]);
  });
});
