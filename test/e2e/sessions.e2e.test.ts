import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsCanRun, PHONE } from '../support/browser';
import { useBrowserHarness } from '../support/browserHarness';

const run = browserTestsCanRun();

describe.skipIf(!run)('A guided session in two browsers', () => {
  const h = useBrowserHarness();

  async function pairedPages(): Promise<[Page, Page]> {
    // The creator's device gets its seat through the app's own start screen, like a person would.
    const a = await h.device(PHONE);
    const link = await h.startRoom(a);
    const b = await h.device(PHONE);
    await h.comeIn(b, link, 'Alex');
    await b.getByText('You are both here').waitFor();
    return [a, b];
  }

  it('a written speaker-listener round: the floor, a starter chip, a reflection, "That’s it", the floor passes', async () => {
    const [a, b] = await pairedPages();
    const talkA = a.locator('section.talk');
    const talkB = b.locator('section.talk');

    await talkA.getByRole('button', { name: /Turning the page/ }).click();
    await talkA.getByLabel(/Write/).check();
    await talkA.getByRole('button', { name: 'Ask Alex to join' }).click();
    await talkB.getByRole('button', { name: 'Yes, let’s begin' }).click();

    // "Turning the page" starts with the partner who did not propose: Alex.
    await expect.poll(() => talkB.locator('.floor-title').innerText()).toBe('Your turn: you have the floor');
    await expect.poll(() => talkA.locator('.floor-title').innerText()).toBe('Listen. Alex has the floor.');
    await expect(talkA.getByLabel('What you want to say').count()).resolves.toBe(0);
    // The time-out button is on screen for both, without scrolling.
    for (const page of [a, b]) await expect(page.getByRole('button', { name: 'Time-out', exact: true }).isVisible()).resolves.toBe(true);

    await talkB.locator('button.chip').first().click();
    const box = talkB.getByLabel('What you want to say');
    await expect.poll(() => box.inputValue()).toMatch(/^For me, forgiving would mean $/);
    // The caret is after the chip's words as soon as they are in the box, so typing at once
    // goes on from there (no frame later moves it mid-word).
    await expect(box.evaluate((el: HTMLTextAreaElement) => el === document.activeElement && el.selectionStart === el.value.length)).resolves.toBe(true);
    await box.pressSequentially('being able to trust you again.');
    await expect.poll(() => box.inputValue()).toBe('For me, forgiving would mean being able to trust you again.');
    await talkB.getByRole('button', { name: 'Send', exact: true }).click();
    await talkA.getByText('being able to trust you again.').first().waitFor();
    await talkB.getByRole('button', { name: /I’m done/ }).click();

    await talkA.getByLabel('What you heard').fill('What I heard is that forgiving means trusting me again.');
    await talkA.getByRole('button', { name: 'Send what I heard' }).click();
    await talkB.getByText('forgiving means trusting me again.').first().waitFor();
    await talkB.getByRole('button', { name: 'That’s it' }).click();
    await talkB.getByRole('button', { name: 'Pass the floor to Sam' }).click();

    await expect.poll(() => talkA.locator('.floor-title').innerText()).toBe('Your turn: you have the floor');
    await expect.poll(() => talkB.locator('.floor-title').innerText()).toBe('Listen. Sam has the floor.');

    // A time-out is one tap, for the listener too; the other reads whose break it is and that
    // nothing is needed from them: no "I'm back" for a break they never left.
    await b.getByRole('button', { name: 'Time-out', exact: true }).click();
    await talkB.getByText(/^You are taking a break until/).waitFor();
    await talkA.getByText(/^Alex is taking a break until/).waitFor();
    await expect(talkA.getByRole('button', { name: 'I’m back' }).count()).resolves.toBe(0);
    await talkB.getByRole('button', { name: 'I’m back' }).click();
    // The caller is back: the session carries on exactly where it was.
    await expect.poll(() => talkA.locator('.floor-title').innerText()).toBe('Your turn: you have the floor');
    await expect.poll(() => talkB.locator('.floor-title').innerText()).toBe('Listen. Sam has the floor.');
  });
});
