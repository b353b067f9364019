import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsCanRun, LAPTOP, PHONE } from '../support/browser';
import { useBrowserHarness } from '../support/browserHarness';

const run = browserTestsCanRun();
const SHOTS = process.env.W4_SHOTS_DIR;

/**
 * The ten-minute first session in two browsers: the second "ready" (or "Next step") asks the
 * other partner, who can say "Not yet" or agree; the partner who ends it early is named on the ending screen; each
 * partner's private answer at the end stays on their own screen.
 */
describe.skipIf(!run)('Moving on together and a warm ending', () => {
  const h = useBrowserHarness();

  for (const [size, viewport] of [
    ['phone', PHONE],
    ['laptop', LAPTOP],
  ] as const) {
    it(`next-step consent and the ending screen (${size})`, async () => {
      const shoot = async (page: Page, name: string) => {
        await h.shoot(page, `moving-on-${size}-${name}`);
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/${size}-${name}.png`, fullPage: false });
      };
      const { sam: a, alex: b, talkS: talkA, talkA: talkB } = await h.pairInRoom(viewport);
      const press = (talk: Locator, name: string) => talk.getByRole('button', { name, exact: true }).click();

      // The ten-minute pack is the first one in the library.
      const first = talkA.locator('.pack-list button, .pack-card button, button').filter({ hasText: /Our first ten minutes/ }).first();
      await first.waitFor();
      await shoot(a, 'library');
      await first.click();
      await talkA.getByRole('button', { name: 'Ask Alex to join' }).click();
      await talkB.getByRole('button', { name: 'Yes, let’s begin' }).click();

      // One kind word each, aloud; then Sam says they are ready, and Alex reads it.
      await press(talkA, 'I’ve said mine');
      await press(talkB, 'I’ve said mine');
      await press(talkA, 'I’m ready to move on');
      await talkB.getByText('Sam is ready to move on.', { exact: false }).first().waitFor();

      // Alex's "ready" is also the ask: Sam is asked, nobody is moved yet, and no one pressed "Next step".
      await press(talkB, 'I’m ready to move on');
      await expect.poll(() => talkA.locator('.floor-title').innerText()).toBe('Your turn: move on with Alex?');
      await talkA.getByText('Alex would like to move to the next step.', { exact: false }).first().waitFor();
      await expect.poll(() => talkB.locator('.floor-title').innerText()).toContain('Waiting for Sam');
      await shoot(a, 'asked');
      await shoot(b, 'asking');
      await expect(talkA.getByText('Step 1 of 3').count()).resolves.toBeGreaterThan(0);

      // Sam says not yet: both stay; either can ask again.
      await press(talkA, 'Not yet');
      await talkB.getByRole('button', { name: 'Next step', exact: true }).waitFor();
      await expect(talkB.getByText('Step 1 of 3').count()).resolves.toBeGreaterThan(0);
      await press(talkA, 'Next step');
      await press(talkB, 'Yes, move on together');
      for (const talk of [talkA, talkB]) await talk.getByText('Something small that matters to me').first().waitFor();
      await talkA.getByText('You both agreed to move on.').waitFor();

      // Sam ends the session early.
      await press(talkA, 'End the session');
      await press(talkA, 'Yes, end it');
      await talkB.getByRole('heading', { name: 'Sam ended the session early' }).waitFor();
      await talkA.getByRole('heading', { name: 'You ended the session early' }).waitFor();
      await talkB.getByText('What was heard').waitFor();
      await shoot(b, 'ended');

      // Alex answers privately: it stays on Alex's screen only.
      const TAKE = 'I want to listen like this more often.';
      await talkB.getByRole('radio', { name: 'Lighter' }).check();
      await talkB.getByLabel('A few words, if you like').fill('calmer than before');
      await talkB.getByLabel('What do you take with you from today?').fill(TAKE);
      await shoot(b, 'answering');
      await press(talkB, 'Keep it');
      await talkB.getByText(`You take with you: “${TAKE}”`).waitFor();
      await shoot(b, 'answered');
      await a.reload();
      await a.locator('section.talk').getByRole('heading', { name: 'You ended the session early' }).waitFor();
      await expect(a.content()).resolves.not.toContain(TAKE);
      await expect(a.content()).resolves.not.toContain('calmer than before');
      await shoot(a, 'ended-own');
      // After a reload Alex still reads their own answer.
      await b.reload();
      await b.locator('section.talk').getByText(`You take with you: “${TAKE}”`).waitFor();
    });
  }
});
