import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsCanRun, LAPTOP, PHONE, SCREENSHOT_DIR } from '../support/browser';
import { useBrowserHarness, type BrowserHarness, type Viewport } from '../support/browserHarness';

const run = browserTestsCanRun();
const SHOTS = process.env.W3_SHOTS ?? `${SCREENSHOT_DIR}/your-turn`;

interface Reads {
  title: string;
  ack?: string;
  /** The focused control: a selector, or a button's words. */
  focus: string;
}
const BOX = 'textarea#session-text';
const BANNER = '.floor-banner';

/** Sam (A) and Alex (B) in one room, Sam's proposal of "Turning the page" in `mode` accepted by Alex. */
async function twoPartners(h: BrowserHarness, viewport: Viewport, size: string, mode: 'Write' | 'Speak aloud') {
  mkdirSync(SHOTS, { recursive: true });
  const { sam, alex, talkS, talkA } = await h.pairInRoom(viewport);
  const shoot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${size}-${name}.png` });

  const focused = (page: Page, selector: string) => page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector);
  /** The banner and the focused control are both on screen, without scrolling. */
  async function inView(page: Page): Promise<void> {
    const boxes = await page.evaluate(() =>
      [document.querySelector('.floor-banner'), document.activeElement].map((el) => {
        const r = el!.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom };
      }),
    );
    for (const b of boxes) {
      expect(b.top).toBeGreaterThanOrEqual(0);
      expect(b.bottom).toBeLessThanOrEqual(viewport.height);
    }
  }
  /** What each partner reads at the top, what the focus is on, and a picture of it. */
  async function phase(name: string, each: { sam: Reads; alex: Reads }): Promise<void> {
    for (const [who, page, talk] of [
      ['sam', sam, talkS],
      ['alex', alex, talkA],
    ] as const) {
      const want = each[who];
      await expect.poll(() => talk.locator('.floor-title').innerText()).toBe(want.title);
      if (want.ack) await expect.poll(() => talk.locator('.floor-ack').innerText()).toBe(want.ack);
      if (want.focus.startsWith('.') || want.focus.startsWith('textarea')) {
        await expect.poll(() => focused(page, want.focus)).toBe(true);
      } else {
        await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe(want.focus);
      }
      await inView(page);
      await shoot(page, `${name}-${who}`);
    }
  }

  await talkS.getByRole('button', { name: /Turning the page/ }).click();
  await talkS.getByLabel(new RegExp(mode)).check();
  await talkS.getByRole('button', { name: 'Ask Alex to join' }).click();
  await talkA.getByRole('button', { name: 'Yes, let’s begin' }).waitFor();
  // A proposal waiting: no repair words yet, for either.
  for (const talk of [talkS, talkA]) await expect(talk.locator('.repair-bar, .repair-card').count()).resolves.toBe(0);
  await talkA.getByRole('button', { name: 'Yes, let’s begin' }).click();
  return { sam, alex, talkS, talkA, phase, shoot };
}

/**
 * Each partner reads, at the top of the session, what they do now; their control sits right
 * under it, in view, with the focus on it. "Not quite" and "That's it" are acknowledged, and
 * the repair words show only while the conversation runs.
 */
describe.skipIf(!run)('the "your turn" line, for each partner, on a phone and a laptop', () => {
  const h = useBrowserHarness();

  for (const [size, viewport] of [
    ['phone', PHONE],
    ['laptop', LAPTOP],
  ] as [string, Viewport][]) {
    it(`${size}: every phase of a written turn says what each does, with the focus on it`, { timeout: 150_000 }, async () => {
      const { sam, alex, talkS, talkA, phase, shoot } = await twoPartners(h, viewport, size, 'Write');

      // Alex speaks first ("the other partner" starts this pack); Sam listens.
      await phase('speak', {
        alex: { title: 'Your turn: you have the floor', focus: BOX },
        sam: { title: 'Listen. Alex has the floor.', focus: BANNER },
      });
      // Sentence starters are for the one who speaks; the listener has no box to write in.
      await expect(talkA.locator('.starters').count()).resolves.toBe(1);
      await expect(talkS.locator('.starters, textarea').count()).resolves.toBe(0);
      // The repair words are there while the conversation runs, folded away.
      await expect(talkS.locator('details.repair-bar:not([open])').count()).resolves.toBe(1);

      await alex.keyboard.type('I want us to stop keeping score.');
      await talkA.getByRole('button', { name: 'Send', exact: true }).click();
      await talkS.getByText('I want us to stop keeping score.').first().waitFor();
      await talkA.getByRole('button', { name: /I’m done/ }).click();
      await phase('reflect', {
        sam: { title: 'Your turn: say back what Alex said', focus: BOX },
        alex: { title: 'Sam is saying back what they heard: is it right?', focus: BANNER },
      });
      // What Alex said sits right above Sam's box; Alex has nothing to write.
      await expect(talkS.locator('.your-move .quoted').innerText()).resolves.toContain('I want us to stop keeping score.');
      await expect(talkA.locator('.starters, textarea').count()).resolves.toBe(0);

      await sam.keyboard.type('You want us to keep score.');
      await talkS.getByRole('button', { name: 'Send what I heard' }).click();
      await phase('check', {
        alex: { title: 'Your turn: did Sam get it?', focus: 'That’s it' },
        sam: { title: 'Alex is checking what you said back', focus: BANNER },
      });

      // "Not quite": Sam is told, gently, and has the box again.
      await talkA.getByRole('button', { name: 'Not quite: try again' }).click();
      await phase('not-quite', {
        sam: { ack: 'Alex would like you to try again. Take your time.', title: 'Your turn: say back what Alex said', focus: BOX },
        alex: { ack: 'You asked Sam to try again.', title: 'Sam is saying back what they heard: is it right?', focus: BANNER },
      });

      await sam.keyboard.type('You want us to stop keeping score.');
      await talkS.getByRole('button', { name: 'Send what I heard' }).click();
      await talkA.getByRole('button', { name: 'That’s it' }).click();
      // "That's it": Sam is thanked; he may say why it makes sense (optional).
      await phase('thats-it', {
        sam: { ack: 'Alex feels heard. Thank you for listening.', title: 'Your turn: say why it makes sense', focus: BOX },
        alex: { ack: 'You told Sam they got it.', title: 'Sam may say why it makes sense', focus: BANNER },
      });

      await talkA.getByRole('button', { name: 'Pass the floor to Sam' }).click();
      await phase('floor-passed', {
        sam: { ack: 'Alex passed the floor to you.', title: 'Your turn: you have the floor', focus: BOX },
        alex: { ack: 'You passed the floor to Sam.', title: 'Listen. Sam has the floor.', focus: BANNER },
      });

      // A repair card reaches the other partner while the conversation runs...
      await talkA.locator('.repair-bar > summary').click();
      await talkA.getByRole('button', { name: 'I need a moment' }).click();
      await talkS.locator('.repair-card').waitFor();
      // ...and neither the card nor the repair words stay through a time-out.
      await alex.getByRole('button', { name: 'Time-out', exact: true }).click();
      await talkS.getByText(/break/).first().waitFor();
      for (const talk of [talkS, talkA]) await expect.poll(() => talk.locator('.repair-bar, .repair-card').count()).toBe(0);
      await shoot(sam, 'break-other');
    });

    it(`${size}: aloud, a whole step to moving on together, then an open step`, { timeout: 150_000 }, async () => {
      const { talkS, talkA, phase } = await twoPartners(h, viewport, size, 'Speak aloud');
      const press = async (talk: typeof talkS, name: string) => talk.getByRole('button', { name, exact: true }).click();

      await phase('aloud-speak', {
        alex: { title: 'Your turn: you have the floor', focus: 'I’m done: Sam, say back what you heard' },
        sam: { title: 'Listen. Alex has the floor.', focus: BANNER },
      });
      // Said aloud: the speaker's starters are there to read; the listener has none.
      await expect(talkA.locator('.starters .chip.static').count()).resolves.toBeGreaterThan(0);
      await expect(talkS.locator('.starters').count()).resolves.toBe(0);
      await press(talkA, 'I’m done: Sam, say back what you heard');
      await phase('aloud-reflect', {
        sam: { title: 'Your turn: say back what Alex said', focus: 'I’ve said back what I heard' },
        alex: { title: 'Sam is saying back what they heard: is it right?', focus: BANNER },
      });
      await press(talkS, 'I’ve said back what I heard');
      await press(talkA, 'That’s it');
      await press(talkA, 'Pass the floor to Sam');
      await press(talkS, 'I’m done: Alex, say back what you heard');
      await press(talkA, 'I’ve said back what I heard');
      await press(talkS, 'That’s it');
      // Alex may say why it makes sense (optional); Sam may finish his turn without waiting for it.
      await phase('aloud-validate', {
        sam: { ack: 'You told Alex they got it.', title: 'Alex may say why it makes sense', focus: BANNER },
        alex: { ack: 'Sam feels heard. Thank you for listening.', title: 'Your turn: say why it makes sense', focus: 'I said why it makes sense' },
      });
      await press(talkS, 'Finish my turn');
      await phase('aloud-complete', {
        sam: { title: 'You have both been heard', focus: 'Next step' },
        alex: { title: 'You have both been heard', focus: 'Next step' },
      });
      // Moving on asks the other partner.
      await press(talkA, 'Next step');
      await phase('aloud-next-asked', {
        sam: { title: 'Your turn: move on with Alex?', focus: 'Yes, move on together' },
        alex: { title: 'Waiting for Sam', focus: BANNER },
      });
      await press(talkS, 'Yes, move on together');
      // Step 2, "When the past comes up": Sam proposed, so Sam adds first.
      await phase('aloud-open-step', {
        sam: { title: 'Your turn: add something, or say you are ready', focus: 'I’ve said mine' },
        alex: { title: 'Listen. It is Sam’s turn.', focus: BANNER },
      });
    });
  }
});
