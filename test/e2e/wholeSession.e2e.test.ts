import { mkdirSync } from 'node:fs';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsCanRun, PHONE, showRoomPart } from '../support/browser';
import { useBrowserHarness } from '../support/browserHarness';
import { counsellorInRoomWithCouple } from '../support/moderatedRoom';

const run = browserTestsCanRun();
const SHOTS = process.env.WHOLE_SESSION_SHOTS ?? 'test-results/screenshots/whole-session';
const NOTE = 'Let us pick this up on Thursday.';

const press = (talk: Locator, name: string) => talk.getByRole('button', { name, exact: true }).click();
const title = (talk: Locator) => talk.locator('.floor-title').innerText();

/** "How a turn works": its five pictures, each with words for a screen reader, and its captions. */
async function expectHowTurnsWork(talk: Locator, open: boolean): Promise<void> {
  const how = talk.locator('details.how-turns');
  await how.waitFor();
  await expect(how.evaluate((d) => (d as HTMLDetailsElement).open)).resolves.toBe(open);
  if (!open) await how.locator('summary').click();
  const pictures = how.getByRole('img');
  await expect(pictures.count()).resolves.toBe(5);
  for (const label of await pictures.evaluateAll((svgs) => svgs.map((s) => s.getAttribute('aria-label') ?? ''))) expect(label.length).toBeGreaterThan(10);
  for (const caption of ['Speak.', 'They say back.', 'You confirm.', 'The floor passes.', 'A time-out, any time.']) {
    await how.getByText(caption, { exact: true }).waitFor();
  }
  if (!open) await how.locator('summary').click();
}

/** The turn of the ten-minute pack's second step, aloud: the speaker speaks, the listener says back, the speaker confirms. */
async function oneTurnAloud(speaker: Locator, listener: Locator, listenerName: string): Promise<void> {
  await expect.poll(() => title(speaker)).toBe('Your turn: you have the floor');
  await press(speaker, `I’m done: ${listenerName}, say back what you heard`);
  await press(listener, 'I’ve said back what I heard');
  await press(speaker, 'That’s it');
}

/**
 * Each says their piece and is ready, `first` first: the second "ready" is also the ask to move
 * on, so `first` reads the question with no "Next step" pressed.
 */
async function readyThenAsk(first: Locator, second: Locator, secondName: string): Promise<void> {
  await press(first, 'I’ve said mine');
  await press(second, 'I’ve said mine');
  await press(first, 'I’m ready to move on');
  await press(second, 'I’m ready to move on');
  await expect.poll(() => title(first)).toBe(`Your turn: move on with ${secondName}?`);
}

describe.skipIf(!run)('a whole first session, on phones and a laptop (issue 23)', () => {
  const h = useBrowserHarness();

  it('the ten-minute pack end to end for a couple, with "how a turn works" before it', { timeout: 180_000 }, async () => {
    mkdirSync(SHOTS, { recursive: true });
    const { sam, alex, talkS, talkA } = await h.pairInRoom(PHONE);

    // Before their first session the pictures are open in the library.
    await expectHowTurnsWork(talkS, true);
    for (const scheme of ['light', 'dark'] as const) {
      await sam.emulateMedia({ colorScheme: scheme });
      for (const width of [320, 390, 1280]) {
        await sam.setViewportSize({ width, height: width === 1280 ? 800 : 844 });
        await talkS.locator('details.how-turns').scrollIntoViewIfNeeded();
        await talkS.locator('details.how-turns').screenshot({ path: `${SHOTS}/how-turns-${width}-${scheme}.png` });
      }
    }
    await sam.emulateMedia({ colorScheme: 'light' });
    await sam.setViewportSize(PHONE);

    await talkS.getByRole('button', { name: /Our first ten minutes/ }).click();
    await press(talkS, 'Ask Alex to join');
    await press(talkA, 'Yes, let’s begin');

    // During the session it is one tap away, folded.
    await expectHowTurnsWork(talkA, false);

    // Step 1: one kind word each, then ready, then moving on together.
    await readyThenAsk(talkS, talkA, 'Alex');
    await press(talkS, 'Yes, move on together');

    // Step 2: two rounds of speaking and saying back.
    await oneTurnAloud(talkS, talkA, 'Alex');
    await talkA.locator('.floor-ack').getByText('Sam feels heard. Thank you for listening.').waitFor();
    await press(talkS, 'Pass the floor to Alex');
    await talkA.locator('.floor-ack').getByText('Sam passed the floor to you.').waitFor();
    await oneTurnAloud(talkA, talkS, 'Sam');
    await press(talkA, 'Finish my turn');
    await expect.poll(() => title(talkS)).toContain('You have both been heard');
    await press(talkA, 'Next step');
    await press(talkS, 'Yes, move on together');

    // Step 3, open, the other partner starts: both say theirs, both ready, and they finish together.
    await talkS.getByText('Step 3 of 3').first().waitFor();
    await press(talkA, 'I’ve said mine');
    await press(talkS, 'I’ve said mine');
    await press(talkA, 'I’m ready to move on');
    await press(talkS, 'I’m ready to move on');
    await press(talkA, 'Yes, finish together');
    for (const talk of [talkS, talkA]) await talk.getByRole('heading', { name: 'You finished the session together' }).waitFor();
    await talkA.getByText('You said back what Sam shared, and Sam said “That’s it”.').waitFor();
    await talkS.getByText('Alex said back what you shared, and you said “That’s it”.').waitFor();
    await h.shoot(alex, 'whole-couple-finished');
  });

  it('two phones and a counsellor’s laptop: a time-out from the agreements tab, a "not quite", a next step agreed, an early end with a reason', { timeout: 240_000 }, async () => {
    mkdirSync(SHOTS, { recursive: true });
    const { counsellor, jo, rae, talkC } = await counsellorInRoomWithCouple(h);
    const talkJ = jo.locator('section.talk');
    const talkR = rae.locator('section.talk');
    const status = counsellor.locator('.cn-status');

    // The counsellor offers the ten-minute pack; both partners accept.
    await talkC.getByRole('button', { name: /Our first ten minutes/ }).click();
    await talkC.getByRole('button', { name: 'Offer this session' }).click();
    await press(talkJ, 'Yes, let’s begin');
    await press(talkR, 'Yes, let’s begin');
    await status.getByText(/step 1 of 3/).waitFor();

    // Step 1: Jo's turn first; each reader is told whose turn it is.
    await expect.poll(() => title(talkJ)).toBe('Your turn: add something, or say you are ready');
    await expect.poll(() => title(talkR)).toBe('Listen. It is Jo’s turn.');
    await expect.poll(() => title(talkC)).toBe('Jo’s turn');

    // Jo looks at the agreements tab and calls a time-out from there.
    await showRoomPart(jo, 'Our agreements');
    await jo.getByRole('button', { name: 'Time-out', exact: true }).click();
    await jo.getByRole('heading', { name: /^You are taking a break until .+\.$/ }).waitFor();
    // The tapped Time-out goes away with the tab: the focus is on the break's heading, not the page.
    await expect.poll(() => jo.evaluate(() => document.activeElement?.closest('.break-screen h3') !== null)).toBe(true);
    await rae.getByRole('heading', { name: /^Jo is taking a break until .+\.$/ }).waitFor();
    await talkC.getByRole('heading', { name: /^Jo is taking a break until .+\.$/ }).waitFor();
    await expect(rae.getByText('You don’t need to do anything.', { exact: false }).isVisible()).resolves.toBe(true);
    await expect(jo.getByText(/^Take the time you need\./).isVisible()).resolves.toBe(true);
    await expect(rae.getByRole('button', { name: 'I’m back', exact: true }).count()).resolves.toBe(0);
    await jo.getByRole('button', { name: 'I’m back', exact: true }).click();
    // The break ends when the server says so; until then the tabs are hidden. Jo comes back to the tab they left.
    await jo.locator('nav.room-tabs').getByRole('button', { name: 'Our agreements' }).and(jo.locator('[aria-current="page"]')).waitFor();
    await showRoomPart(jo, 'Talk');
    await expect.poll(() => title(talkJ)).toBe('Your turn: add something, or say you are ready');

    // A next step both agree to: Rae's "ready" after Jo's asks, Jo is asked, the counsellor reads the request.
    await readyThenAsk(talkJ, talkR, 'Rae');
    await expect.poll(() => title(talkR)).toBe('Waiting for Jo');
    await talkC.getByText('Rae would like to move to the next step.').first().waitFor();
    await press(talkJ, 'Yes, move on together');
    await status.getByText(/step 2 of 3/).waitFor();
    await talkJ.getByText('You both agreed to move on.').waitFor();

    // Step 2: Jo speaks; Rae says back; Jo says "not quite": each reads it in words for them.
    await expect.poll(() => title(talkJ)).toBe('Your turn: you have the floor');
    await expect.poll(() => title(talkR)).toBe('Listen. Jo has the floor.');
    await expect.poll(() => title(talkC)).toBe('Jo has the floor');
    await press(talkJ, 'I’m done: Rae, say back what you heard');
    await expect.poll(() => title(talkR)).toBe('Your turn: say back what Jo said');
    await expect.poll(() => title(talkJ)).toBe('Rae is saying back what they heard: is it right?');
    await press(talkR, 'I’ve said back what I heard');
    await expect.poll(() => title(talkJ)).toBe('Your turn: did Rae get it?');
    await press(talkJ, 'Not quite: try again');
    await talkR.locator('.floor-ack').getByText('Jo would like you to try again. Take your time.').waitFor();
    await talkJ.locator('.floor-ack').getByText('You asked Rae to try again.').waitFor();
    await expect.poll(() => title(talkR)).toBe('Your turn: say back what Jo said');
    await press(talkR, 'I’ve said back what I heard');
    await press(talkJ, 'That’s it');
    await talkR.locator('.floor-ack').getByText('Jo feels heard. Thank you for listening.').waitFor();

    // The counsellor ends the session early and says why.
    await press(talkC, 'End the session');
    const confirm = talkC.locator('form.end-confirm');
    await confirm.getByText('End the session for Jo and Rae now?').waitFor();
    await expect.poll(() => counsellor.evaluate(() => document.activeElement?.matches('form.end-confirm input[type=radio]') ?? false)).toBe(true);
    await confirm.getByRole('radio', { name: 'This needs more time another day' }).check();
    await confirm.getByLabel('A few words of your own').fill(NOTE);
    await counsellor.screenshot({ path: `${SHOTS}/end-confirm-1280.png` });
    await press(talkC, 'Yes, end it');

    // Each reader learns who ended it and why.
    const why = 'ended the session early: this needs more time another day';
    await talkJ.getByRole('heading', { name: `Dr Lee ${why}` }).waitFor();
    await talkR.getByRole('heading', { name: `Dr Lee ${why}` }).waitFor();
    await talkC.getByRole('heading', { name: `You ${why}` }).waitFor();
    for (const talk of [talkJ, talkR]) await talk.getByText(`Dr Lee added: “${NOTE}”`).waitFor();
    await talkC.getByText(`You added: “${NOTE}”`).waitFor();
    await status.getByText('Ended early by you: this needs more time another day. 1 of 3 steps done together.').waitFor();
    await talkJ.getByText('Rae said back what you shared, and you said “That’s it”.').waitFor();
    await talkR.getByText('You said back what Jo shared, and Jo said “That’s it”.').waitFor();
    // Each partner is asked privately how they feel now; the counsellor is not.
    await talkJ.getByText('What do you take with you from today?').waitFor();
    await expect(talkC.getByText('What do you take with you from today?').count()).resolves.toBe(0);
    for (const [name, page] of [['jo-390', jo], ['counsellor-1280', counsellor]] as const) {
      await page.locator('section.talk .summary').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/ended-with-reason-${name}.png` });
    }
  });
});
