import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsCanRun, LAPTOP } from '../support/browser';
import { useBrowserHarness } from '../support/browserHarness';
import { openWorkspaceRoom, partnersComeIn, writePrivateNote } from '../support/moderatedRoom';

const run = browserTestsCanRun();

const NOTE = 'Moderated-note-marker-Kp27';
const JO_LINE = 'Jo-private-line-Hv63';
const RAE_LINE = 'Rae-private-line-Tm58';

/** A partner's private line to the counsellor, from the form their room shows. */
async function sendPrivateLine(page: Page, choice: string, text: string): Promise<void> {
  await page.getByText('Tell Dr Lee something privately').click();
  await page.getByLabel(choice).check();
  await page.getByLabel('A few words, if you like (optional)').fill(text);
  await page.getByRole('button', { name: 'Send to Dr Lee only' }).click();
  await page.getByText('Sent. Only Dr Lee can see it.').waitFor();
}

/** Fails if the page's markup or storage holds any of the strings it must never have. */
async function expectNoneOf(page: Page, who: string, when: string, forbidden: string[]): Promise<void> {
  const seen = `${await page.content()}\n${await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))}`;
  for (const s of forbidden) expect(seen.includes(s), `${who}'s page holds "${s}" ${when}`).toBe(false);
}

describe.skipIf(!run)('a moderated session end to end (counsellor laptop, two partner phones)', () => {
  const h = useBrowserHarness();
  const { device } = h;
  const shoot = (page: Page, name: string) => h.shoot(page, `moderated-${name}`);

  it('offer, accept, a full round, floor granted, pause and resume, steps skipped, ended; private things stay private', { timeout: 180_000 }, async () => {
    // The counsellor sets up a workspace and opens a room.
    const counsellor = await device(LAPTOP);
    const links = await openWorkspaceRoom(counsellor, h.server().url);
    await shoot(counsellor, 'workspace');

    // The partners come in by their own links.
    const { jo, rae } = await partnersComeIn(device, counsellor, links);

    // The counsellor enters the room and writes a private note.
    await writePrivateNote(counsellor, `Before the session. ${NOTE}`);
    await expectNoneOf(jo, 'Jo', 'after the note was written', [NOTE]);
    await expectNoneOf(rae, 'Rae', 'after the note was written', [NOTE]);

    // Each partner writes to the counsellor privately; the counsellor gets both.
    await sendPrivateLine(jo, 'Could we slow down a little?', JO_LINE);
    await sendPrivateLine(rae, 'I need a break soon', RAE_LINE);
    const inbox = counsellor.locator('.cn-inbox');
    await inbox.getByText(JO_LINE).waitFor();
    await inbox.getByText(RAE_LINE).waitFor();
    await expectNoneOf(jo, 'Jo', 'after the private lines', [NOTE, RAE_LINE]);
    await expectNoneOf(rae, 'Rae', 'after the private lines', [NOTE, JO_LINE]);

    // The counsellor offers "Turning the page", in writing; both partners accept.
    const talkC = counsellor.locator('section.talk');
    const talkJ = jo.locator('section.talk');
    const talkR = rae.locator('section.talk');
    await talkC.getByRole('button', { name: /Turning the page/ }).click();
    await talkC.getByLabel(/Write/).check();
    await talkC.getByRole('button', { name: 'Offer this session' }).click();
    await counsellor.locator('.cn-status').getByText('Waiting for Jo and Rae to accept.').waitFor();
    await talkJ.getByText('Your counsellor would like to begin “Turning the page”').waitFor();
    await shoot(jo, 'offered');
    await talkJ.getByRole('button', { name: 'Yes, let’s begin' }).click();
    await talkJ.getByText('Waiting for Rae to say yes.').waitFor();
    await talkR.getByRole('button', { name: 'Yes, let’s begin' }).click();
    await counsellor.locator('.cn-status').getByText(/step 1 of 4/).waitFor();

    // A counsellor's proposal counts A as the proposer, so "the other" partner, Rae, speaks first.
    await expect.poll(() => talkR.locator('.floor-title').innerText()).toBe('Your turn: you have the floor');
    await expect.poll(() => talkJ.locator('.floor-title').innerText()).toBe('Listen. Rae has the floor.');
    await expect.poll(() => talkC.locator('.floor-title').innerText()).toBe('Rae has the floor');

    // A full round: Rae speaks, Jo says back what he heard, Rae confirms and passes the floor.
    await talkR.getByLabel('What you want to say').fill('I want us to stop keeping score of old mistakes.');
    await talkR.getByRole('button', { name: 'Send', exact: true }).click();
    await talkJ.getByText('stop keeping score of old mistakes.').first().waitFor();
    await talkC.getByText('stop keeping score of old mistakes.').first().waitFor();
    await shoot(rae, 'speaker');
    await shoot(counsellor, 'live');
    await talkR.getByRole('button', { name: /I’m done/ }).click();
    await talkJ.getByLabel('What you heard').fill('What I heard is that you want us to stop keeping score.');
    await talkJ.getByRole('button', { name: 'Send what I heard' }).click();
    await talkR.getByText('you want us to stop keeping score.').first().waitFor();
    await talkR.getByRole('button', { name: 'That’s it' }).click();
    await talkR.getByRole('button', { name: 'Pass the floor to Jo' }).click();
    await expect.poll(() => talkJ.locator('.floor-title').innerText()).toBe('Your turn: you have the floor');
    await expect.poll(() => talkR.locator('.floor-title').innerText()).toBe('Listen. Jo has the floor.');
    await counsellor.locator('.cn-status').getByText('Jo has the floor and is speaking (round 2 of 2).').waitFor();

    // The counsellor gives the floor back to Rae, then moves Rae's turn one notch on.
    await talkC.getByRole('button', { name: 'Give Rae the floor' }).click();
    await expect.poll(() => talkR.locator('.floor-title').innerText()).toBe('Your turn: you have the floor');
    await expect.poll(() => talkJ.locator('.floor-title').innerText()).toBe('Listen. Rae has the floor.');
    // Each reader is told, in one line, who did what (TM-42).
    await talkJ.locator('.move-notice').getByText('Dr Lee gave Rae the floor.').waitFor();
    await talkR.locator('.move-notice').getByText('Dr Lee gave you the floor. Take your time.').waitFor();
    await counsellor.locator('.cn-last-move').getByText('You gave Rae the floor: Rae starts afresh.').waitFor();
    // The line sits under the reader's own banner, in view and clear of the time-out button.
    const line = await talkJ.locator('.move-notice').boundingBox();
    const timeOut = await jo.getByRole('button', { name: 'Time-out', exact: true }).boundingBox();
    expect(line && timeOut && (line.y >= timeOut.y + timeOut.height || line.y + line.height <= timeOut.y)).toBe(true);
    await shoot(jo, 'floor-given-line');
    await shoot(counsellor, 'floor-given-own-line');
    // "One notch on" says beforehand what it skips, and the partners read what it skipped.
    await talkC.getByRole('button', { name: 'Move one notch on: skip the rest of Rae’s speaking' }).waitFor();
    await talkC.getByRole('button', { name: 'Move one notch on' }).click();
    await talkJ.locator('.move-notice').getByText('Dr Lee moved us past the rest of Rae’s speaking.').waitFor();
    await talkJ.getByLabel('What you heard').waitFor();
    await counsellor.locator('.cn-status').getByText('Jo is saying back what they heard from Rae (round 2 of 2).').waitFor();

    // The counsellor calls a time-out for everyone, then resumes it for both.
    await counsellor.getByRole('button', { name: 'Time-out', exact: true }).click();
    await counsellor.getByText(/^Paused for a time-out until/).waitFor();
    await talkJ.getByText(/^Dr Lee called a break until/).waitFor();
    await talkR.getByText(/^Dr Lee called a break until/).waitFor();
    await shoot(counsellor, 'paused');
    await shoot(jo, 'paused');
    await expectNoneOf(jo, 'Jo', 'during the time-out', [NOTE, RAE_LINE]);
    await expectNoneOf(rae, 'Rae', 'during the time-out', [NOTE, JO_LINE]);
    await talkC.getByRole('button', { name: 'Resume the session' }).click();
    await talkJ.getByLabel('What you heard').waitFor();
    await expect.poll(() => talkR.locator('.floor-title').innerText()).toBe('Jo is saying back what they heard: is it right?');

    // A reload mid-session brings Jo back to the same place, still without the private things.
    await jo.reload();
    await jo.getByRole('heading', { name: 'You are both here' }).waitFor();
    await talkJ.getByLabel('What you heard').waitFor();
    await expectNoneOf(jo, 'Jo', 'after a reload', [NOTE, RAE_LINE]);

    // The counsellor skips the rest of this step and walks through the others.
    await talkC.getByRole('button', { name: 'Skip this step' }).click();
    await talkJ.getByText(/Step 2 of 4/).waitFor();
    await talkR.getByText(/Step 2 of 4/).waitFor();
    await talkC.getByRole('button', { name: 'Next step', exact: true }).click();
    await talkJ.getByText(/Step 3 of 4/).waitFor();
    await talkC.getByRole('button', { name: 'Skip this step' }).click();
    await talkR.getByText(/Step 4 of 4/).waitFor();
    await counsellor.locator('.cn-status').getByText(/step 4 of 4/).waitFor();

    // In the agreement step Jo proposes something; then the counsellor ends the session.
    await talkJ.getByLabel('What you propose to agree on').fill('We leave old mistakes out of new arguments.');
    await talkJ.getByRole('button', { name: 'Propose', exact: true }).click();
    await talkR.getByText('We leave old mistakes out of new arguments.').first().waitFor();
    await talkC.getByRole('button', { name: 'End the session' }).click();
    await talkC.getByRole('button', { name: 'Yes, end it' }).click();

    // Both partners see the summary, with the proposal and the confirmed reflection.
    for (const [page, name] of [
      [jo, 'Jo'],
      [rae, 'Rae'],
    ] as const) {
      const talk = page.locator('section.talk');
      // Who ended it and that it was early; what was heard, not counts.
      await talk.getByRole('heading', { name: 'Dr Lee ended the session early' }).waitFor();
      await talk.getByText('What you proposed').waitFor();
      await talk.getByText('We leave old mistakes out of new arguments.').waitFor();
      const heard = name === 'Jo' ? 'You said back what Rae shared, and Rae said “That’s it”.' : 'Jo said back what you shared, and you said “That’s it”.';
      await expect(talk.locator('.heard-list').innerText(), name).resolves.toContain(heard);
      await shoot(page, `summary-${name.toLowerCase()}`);
    }
    await counsellor.locator('.cn-status').getByText('Turning the page: finished').waitFor();
    await shoot(counsellor, 'ended');

    // At the end, and after reloads, neither partner has the note or the other's private line.
    await expectNoneOf(jo, 'Jo', 'at the end', [NOTE, RAE_LINE]);
    await expectNoneOf(rae, 'Rae', 'at the end', [NOTE, JO_LINE]);
    for (const [page, name, other] of [
      [jo, 'Jo', RAE_LINE],
      [rae, 'Rae', JO_LINE],
    ] as const) {
      await page.reload();
      await page.locator('section.talk').getByRole('heading', { name: 'Dr Lee ended the session early' }).waitFor();
      await expectNoneOf(page, name, 'after a reload at the end', [NOTE, other]);
    }
    // The same check finds all three on the counsellor's page, so its silence above means something.
    await inbox.getByText(JO_LINE).waitFor();
    await expect(counsellor.getByLabel('Private notes for this room').innerText()).resolves.toContain(NOTE);
    const counsellorPage = await counsellor.content();
    for (const s of [NOTE, JO_LINE, RAE_LINE]) expect(counsellorPage).toContain(s);
  });
});
