import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/a11y';
import { browserTestsCanRun, LAPTOP, PHONE, SCREENSHOT_DIR } from '../support/browser';
import { useBrowserHarness, type BrowserHarness } from '../support/browserHarness';

const run = browserTestsCanRun();

/** Pairing is not under test here: the laptop (Sam, seat A) opens a room and the phone (Alex, seat B) comes in by link. */
async function paired(h: BrowserHarness): Promise<[Page, Page]> {
  const laptop = await h.device(LAPTOP);
  await laptop.goto(`${h.server().url}/start`);
  await laptop.getByLabel('Your first name').fill('Sam');
  await laptop.getByLabel('I have read these').check();
  await laptop.getByRole('button', { name: 'Open our room' }).click();
  const link = await laptop.getByLabel('Invite link', { exact: true }).inputValue();
  const phone = await h.device(PHONE);
  await phone.goto(link);
  await phone.getByLabel('Your first name').fill('Alex');
  await phone.getByLabel('I have read these').check();
  await phone.getByRole('button', { name: 'Come in' }).click();
  await laptop.getByRole('heading', { name: 'You are both here' }).waitFor();
  await phone.getByRole('heading', { name: 'You are both here' }).waitFor();
  return [laptop, phone];
}

/** What the focused control must be: a CSS selector and, optionally, its exact words (decoration aside). */
interface Target {
  selector: string;
  text?: string;
}

/** Whether the focused element is the target, enabled. */
function focusIs(page: Page, target: Target): Promise<boolean> {
  return page.evaluate(({ selector, text }) => {
    const el = document.activeElement;
    if (!(el instanceof HTMLElement) || !el.matches(selector)) return false;
    if ((el as HTMLButtonElement).disabled) return false;
    if (text === undefined) return true;
    // The visible words, without decorative parts hidden from assistive technology.
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('[aria-hidden="true"]').forEach((n) => n.remove());
    return (copy.textContent ?? '').replace(/\s+/g, ' ').trim() === text;
  }, target);
}

/**
 * Moves the focus with Tab (or Shift+Tab) until it rests on the target, as a keyboard user
 * would, and fails if it never gets there in a bounded number of presses.
 */
async function tabTo(page: Page, target: Target, { back = false, max = 80 } = {}): Promise<void> {
  for (let i = 0; i <= max; i++) {
    if (await focusIs(page, target)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  const at = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200));
  throw new Error(`Could not reach ${JSON.stringify(target)} by keyboard in ${max} presses; the focus is on ${at}`);
}

/** The focused element shows it: an outline or a ring, not nothing. */
async function expectFocusVisible(page: Page, what: string): Promise<void> {
  const style = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const s = getComputedStyle(el);
    return { outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth, boxShadow: s.boxShadow, tag: el.tagName };
  });
  const outline = style.outlineStyle !== 'none' && style.outlineWidth !== '0px';
  expect(outline || style.boxShadow !== 'none', `focus is visible on ${what} (${JSON.stringify(style)})`).toBe(true);
}

/** Tab to a control, check that the focus shows, then press a key on it. */
async function press(page: Page, target: Target, key: 'Enter' | ' ', what = target.text ?? target.selector): Promise<void> {
  await tabTo(page, target);
  await expectFocusVisible(page, what);
  await page.keyboard.press(key === ' ' ? 'Space' : key);
}

const button = (text: string): Target => ({ selector: 'button', text });

describe.skipIf(!run)('a whole speaker-listener turn by keyboard alone (phone and laptop)', () => {
  const h = useBrowserHarness();

  it('proposes, accepts, speaks, reflects, confirms and passes the floor, then a time-out and back, without a pointer', { timeout: 120_000 }, async () => {
    const [laptop, phone] = await paired(h);
    const talkL = laptop.locator('section.talk');
    const talkP = phone.locator('section.talk');

    // Sam proposes "Turning the page", in writing.
    await talkL.locator('button.pack-card').first().waitFor();
    await press(laptop, { selector: 'button.pack-card[aria-label^="Turning the page"]' }, 'Enter', 'the pack card');
    await talkL.getByText('How would you like to talk?').waitFor();
    // A radio group is one Tab stop; the arrow keys choose within it (the standard radio pattern).
    await tabTo(laptop, { selector: 'input[type="radio"][value="aloud"]' });
    await expectFocusVisible(laptop, 'the mode choice');
    await laptop.keyboard.press('ArrowDown');
    await expect.poll(() => talkL.getByLabel(/Write/).isChecked()).toBe(true);
    await press(laptop, button('Ask Alex to join'), 'Enter');

    // Alex accepts on the phone.
    await talkP.getByRole('button', { name: 'Yes, let’s begin' }).waitFor();
    await press(phone, button('Yes, let’s begin'), 'Enter');

    // "Turning the page" starts with the partner who did not propose: Alex speaks, Sam listens.
    await expect.poll(() => talkP.locator('.floor-title').innerText()).toBe('Your turn: you have the floor');
    await expect.poll(() => talkL.locator('.floor-title').innerText()).toBe('Listen. Alex has the floor.');

    // A sentence starter by keyboard, then typing after it.
    await talkP.locator('button.chip').first().waitFor();
    await press(phone, { selector: 'button.chip' }, 'Enter', 'a sentence starter');
    const box = talkP.getByLabel('What you want to say');
    await expect.poll(() => box.inputValue()).toMatch(/^For me, forgiving would mean $/);
    await tabTo(phone, { selector: 'textarea#session-text' });
    await expectFocusVisible(phone, 'the speaker’s text box');
    await phone.keyboard.press('End');
    await phone.keyboard.type('being able to trust you again.');
    await expect.poll(() => box.inputValue()).toBe('For me, forgiving would mean being able to trust you again.');

    // The live screens, speaker's and listener's, with no serious or critical problems.
    expect(await seriousViolations(phone), 'speaker (phone)').toEqual([]);
    expect(await seriousViolations(laptop), 'listener (laptop)').toEqual([]);
    await phone.screenshot({ path: `${SCREENSHOT_DIR}/keyboard-speaker-phone.png`, fullPage: true });
    await laptop.screenshot({ path: `${SCREENSHOT_DIR}/keyboard-listener-laptop.png`, fullPage: true });

    await press(phone, button('Send'), 'Enter');
    await talkL.getByText('being able to trust you again.').first().waitFor();
    await talkP.getByRole('button', { name: /I’m done/ }).waitFor();
    await press(phone, button('I’m done: Sam, say back what you heard'), 'Enter');

    // Sam writes what he heard and sends it.
    const heard = talkL.getByLabel('What you heard');
    await heard.waitFor();
    await tabTo(laptop, { selector: 'textarea#session-text' });
    await expectFocusVisible(laptop, 'the listener’s text box');
    await laptop.keyboard.type('What I heard is that forgiving means trusting me again.');
    await expect.poll(() => heard.inputValue()).toBe('What I heard is that forgiving means trusting me again.');
    expect(await seriousViolations(laptop), 'listener reflecting (laptop)').toEqual([]);
    await press(laptop, button('Send what I heard'), 'Enter');
    await talkP.getByText('forgiving means trusting me again.').first().waitFor();

    // Alex: "That’s it" (with Space), then passes the floor.
    await talkP.getByRole('button', { name: 'That’s it' }).waitFor();
    await press(phone, button('That’s it'), ' ');
    await talkP.getByRole('button', { name: 'Pass the floor to Sam' }).waitFor();
    await press(phone, button('Pass the floor to Sam'), 'Enter');
    await expect.poll(() => talkL.locator('.floor-title').innerText()).toBe('Your turn: you have the floor');
    await expect.poll(() => talkP.locator('.floor-title').innerText()).toBe('Listen. Sam has the floor.');

    // Alex calls a time-out by keyboard; both see the break screen.
    await press(phone, { selector: 'button.timeout-button', text: 'Time-out' }, 'Enter', 'the time-out button');
    await talkP.getByText(/^You are taking a break until/).waitFor();
    await talkL.getByText(/^Alex is taking a break until/).waitFor();
    expect(await seriousViolations(phone), 'break, caller (phone)').toEqual([]);
    expect(await seriousViolations(laptop), 'break, other (laptop)').toEqual([]);
    await phone.screenshot({ path: `${SCREENSHOT_DIR}/keyboard-break-phone.png`, fullPage: true });

    // Alex, who called it, is back by keyboard; the session carries on where it was. Sam never
    // left, so Sam has no "I’m back" to press.
    await expect(talkL.getByRole('button', { name: 'I’m back' }).count()).resolves.toBe(0);
    await press(phone, button('I’m back'), ' ');
    await expect.poll(() => talkL.locator('.floor-title').innerText()).toBe('Your turn: you have the floor');
    await expect.poll(() => talkP.locator('.floor-title').innerText()).toBe('Listen. Sam has the floor.');
    await talkL.getByLabel('What you want to say').waitFor();
  });
});
