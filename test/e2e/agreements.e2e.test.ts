import type { Page, WebSocketRoute } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentHash, findAgreement, readDrafts } from '../../shared/agreements';
import { errorMessages } from '../../shared/protocol/errors';
import { seriousViolations } from '../support/a11y';
import { browserTestsCanRun, LAPTOP, PHONE, SCREENSHOT_DIR } from '../support/browser';
import { useBrowserHarness } from '../support/browserHarness';
import { wordsWithoutCarets } from '../support/pairOnAgreements';
import { YjsDocClient } from '../support/yjsDocClient';

const run = browserTestsCanRun();
const STARTER = 'We ask before we assume';

describe.skipIf(!run)('Our agreements in two browsers: drafts written together, commitments on the record', () => {
  const h = useBrowserHarness();

  /** Sam on a phone opens the room, Alex comes in on a laptop; both look at the agreements. */
  async function pairedPages(options: { beforeAlex?: (page: Page) => Promise<void> } = {}): Promise<[Page, Page]> {
    const sam = await h.device(PHONE);
    const link = await h.startRoom(sam);
    const alex = await h.device(LAPTOP);
    await options.beforeAlex?.(alex);
    await h.comeIn(alex, link, 'Alex');
    await alex.getByText('You are both here').waitFor();
    // On the phone the room is two tabs; the laptop shows both parts at once.
    await sam.getByRole('button', { name: 'Our agreements' }).click();
    await sam.getByText('A place to start').waitFor();
    return [sam, alex];
  }

  const card = (page: Page) => page.locator('article.agreement').first();
  const badge = (page: Page) => card(page).locator('.status-badge');
  const body = (page: Page) => card(page).getByRole('textbox', { name: /^What we agree:/ });

  /** The draft's words, without the other person's caret and its name label. */
  const words = (page: Page): Promise<string> => wordsWithoutCarets(body(page));

  async function typeAtEnd(page: Page, text: string): Promise<void> {
    await body(page).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(text);
  }

  it('co-edit a draft live, agree for oneself, and keep the agreed words while a change waits for both', async () => {
    const [sam, alex] = await pairedPages();
    await sam.getByRole('button', { name: `Start from this: ${STARTER}` }).click();
    await body(alex).waitFor();
    // Who proposed it is on the record, in words for each reader.
    await card(sam).getByText(/^Proposed by you on /).waitFor();
    await card(alex).getByText(/^Proposed by Sam on /).waitFor();

    // Both type into the same draft at once.
    await body(sam).click();
    await sam.keyboard.press('Control+End');
    await body(alex).click();
    await alex.keyboard.press('Control+End');
    await Promise.all([sam.keyboard.type(' Sam adds this.'), alex.keyboard.type(' Alex adds that.')]);
    for (const page of [sam, alex]) {
      await expect.poll(() => words(page), { timeout: 10_000 }).toMatch(/Sam adds this\./);
      await expect.poll(() => words(page), { timeout: 10_000 }).toMatch(/Alex adds that\./);
    }
    await sam.locator('.collaboration-carets__label', { hasText: 'Alex' }).waitFor();
    // Alex's name by the caret goes quiet after a moment, so it hides no words; it shows again when Alex moves.
    const alexName = sam.locator('.collaboration-carets__label', { hasText: 'Alex' });
    const opacity = () => alexName.evaluate((el) => getComputedStyle(el).opacity);
    await expect.poll(opacity, { timeout: 6_000 }).toBe('0');
    await alex.keyboard.press('Home');
    await expect.poll(opacity).toBe('1');
    await alex.keyboard.press('End');
    const agreedWords = await words(sam);

    // Sam agrees: each reads whose agreement is still needed, in words for them.
    await card(sam).getByRole('button', { name: 'I agree to this' }).click();
    await badge(sam).getByText('You agreed · Alex has not yet').waitFor();
    // The pressed button is gone: the focus is on the status that says what happened.
    await expect.poll(() => sam.evaluate(() => document.activeElement?.classList.contains('status-badge'))).toBe(true);
    await badge(alex).getByText('Sam agreed · agree too when you are ready').waitFor();
    // Alex agrees: a commitment, shown read only with both names and the day.
    await card(alex).getByRole('button', { name: 'I agree to this' }).click();
    for (const page of [sam, alex]) {
      await badge(page).getByText(/^Agreed by Sam and Alex on \S/).waitFor();
      const agreed = card(page).locator('section.commitment');
      expect(await agreed.innerText()).toContain('Sam adds this.');
      expect(await agreed.locator('[contenteditable], input, textarea, select, button').count()).toBe(0);
      // The words are not in an editor any more until someone proposes a change.
      expect(await body(page).count()).toBe(0);
    }

    // Alex proposes a change: the agreed words stay in force, and the new words wait for both.
    await card(alex).getByRole('button', { name: 'Propose a change' }).click();
    // The pressed button gives way to the draft, and the focus goes there with it.
    expect(await alex.evaluate(() => document.activeElement?.textContent)).toBe('Proposed new words');
    await typeAtEnd(alex, ' And we listen.');
    for (const page of [sam, alex]) {
      await badge(page).getByText('Changed since you both agreed').waitFor();
      const agreed = card(page).locator('section.commitment');
      expect(await agreed.innerText()).not.toContain('And we listen.');
      await agreed.getByText(/^Agreed by Sam and Alex on \S/).waitFor();
      // Compared word by word: only the new words are marked as added.
      const added = async () => (await card(page).locator('.word-changes ins').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
      await expect.poll(added).toEqual(['added: And we listen.']);
      expect(await card(page).locator('.word-changes del').count()).toBe(0);
    }
    await expect.poll(() => words(sam), { timeout: 10_000 }).toMatch(/And we listen\.$/);
    await card(sam).getByRole('button', { name: 'I agree to the new words' }).click();
    await card(alex).getByText('Sam agreed to the new words · agree too when you are ready').waitFor();
    await card(sam).getByText('You agreed to the new words · Alex has not yet').waitFor();
    await card(alex).getByRole('button', { name: 'I agree to the new words' }).click();
    for (const page of [sam, alex]) {
      await badge(page).getByText(/^Agreed by Sam and Alex on \S/).waitFor();
      await expect.poll(() => card(page).locator('section.commitment').innerText()).toContain('And we listen.');
      await card(page).getByText(/^Earlier words were agreed on .+ and replaced on /).waitFor();
    }
    expect(agreedWords).not.toContain('And we listen.');

    // The draft closes again once its words are agreed.
    expect(await body(alex).count()).toBe(0);

    // The agreements screen as people see it, agreed and with a change waiting: a narrow phone,
    // a usual phone, a laptop.
    await sam.setViewportSize({ width: 320, height: 720 });
    await sam.screenshot({ path: `${SCREENSHOT_DIR}/e2e-agreements-committed-320.png`, fullPage: true });
    expect(await seriousViolations(sam), 'an agreement in force').toEqual([]);
    await card(sam).screenshot({ path: `${SCREENSHOT_DIR}/e2e-agreements-card-committed-320.png` });
    await card(sam).getByRole('button', { name: 'Propose a change' }).click();
    await typeAtEnd(sam, ' Even when we are tired.');
    await card(alex).getByText('Neither of you has agreed to the new words yet.').waitFor();
    await card(sam).getByRole('button', { name: 'I agree to the new words' }).click();
    await card(alex).getByText('Sam agreed to the new words · agree too when you are ready').waitFor();
    await card(sam).screenshot({ path: `${SCREENSHOT_DIR}/e2e-agreements-card-changed-320.png` });
    await sam.setViewportSize(PHONE);
    await sam.screenshot({ path: `${SCREENSHOT_DIR}/e2e-agreements-changed-390.png`, fullPage: true });
    expect(await seriousViolations(sam), 'a change waiting beside an agreement in force').toEqual([]);
    await alex.screenshot({ path: `${SCREENSHOT_DIR}/e2e-agreements-changed-1280.png`, fullPage: true });
  });

  it('ends a commitment only when both ask, and shows a refusal in the server’s words', async () => {
    // Alex's device can be made to miss the server's pushes of the records, as over a bad network.
    let holdRecords = false;
    const [sam, alex] = await pairedPages({
      beforeAlex: (page) =>
        page.routeWebSocket(/\/socket\.io\//, (ws: WebSocketRoute) => {
          const server = ws.connectToServer();
          server.onMessage((frame) => {
            if (holdRecords && typeof frame === 'string' && frame.startsWith('42["agreements:records"')) return;
            ws.send(frame);
          });
        }),
    });
    await sam.getByRole('button', { name: `Start from this: ${STARTER}` }).click();
    await card(sam).getByRole('button', { name: 'I agree to this' }).click();
    await badge(alex).getByText('Sam agreed · agree too when you are ready').waitFor();
    await card(alex).getByRole('button', { name: 'I agree to this' }).click();
    for (const page of [sam, alex]) await badge(page).getByText(/^Agreed by Sam and Alex/).waitFor();

    // Sam asks to end it; Alex sees the request, and the agreement stays in force until Alex asks too.
    await card(sam).getByRole('button', { name: 'Ask to end this agreement' }).click();
    await card(sam).getByText('You asked to end this agreement. It ends once Alex asks too.').waitFor();
    await card(alex).getByText('Sam asked to end this agreement. If you ask too, it ends for both of you.').waitFor();
    expect(await badge(alex).innerText()).toMatch(/Agreed by Sam and Alex/);
    // Sam changes their mind: the request is taken back.
    await card(sam).getByRole('button', { name: 'Keep it after all' }).click();
    await expect.poll(() => card(alex).innerText()).not.toContain('asked to end this agreement');
    await card(sam).getByRole('button', { name: 'Ask to end this agreement' }).click();
    await card(alex).getByRole('button', { name: 'End it for both of us' }).click();
    for (const page of [sam, alex]) {
      // ended, not a new proposal
      await badge(page).getByText(/^Ended by you both on .+ · not in force$/).waitFor();
      await card(page).getByText(/^You both ended an earlier agreement on this on /).waitFor();
      expect(await card(page).locator('section.commitment').count()).toBe(0);
    }

    // Agreed again; then Alex's screen stops hearing about the records and Alex asks to end it
    // twice: the server refuses the second, and Alex reads why in the server's words.
    await card(sam).getByRole('button', { name: 'Agree to it again' }).click();
    await badge(alex).getByText('Sam agreed · agree too when you are ready').waitFor();
    await card(alex).getByRole('button', { name: 'I agree to this' }).click();
    for (const page of [sam, alex]) await badge(page).getByText(/^Agreed by Sam and Alex/).waitFor();
    holdRecords = true;
    const ask = card(alex).getByRole('button', { name: 'Ask to end this agreement' });
    await ask.click();
    await card(sam).getByText('Alex asked to end this agreement. If you ask too, it ends for both of you.').waitFor();
    await expect.poll(() => ask.isEnabled()).toBe(true);
    await ask.click();
    await card(alex).getByRole('alert').getByText(errorMessages.NOTHING_TO_WITHDRAW).waitFor();
    holdRecords = false;
  });

  it('shows no acceptance that a device wrote into the shared document', async () => {
    const [sam, alex] = await pairedPages();
    await sam.getByRole('button', { name: `Start from this: ${STARTER}` }).click();
    await body(alex).waitFor();

    // A script with Alex's own device token writes "both accepted" into the draft, the way the
    // old app kept acceptances, with the right hash of the words, plus a forged proposer and date.
    const roomId = new URL(alex.url()).pathname.split('/').pop()!;
    const deviceToken = await alex.evaluate(
      (id) => (JSON.parse(localStorage.getItem('commonground.seats.v1') ?? '{}') as Record<string, { deviceToken: string }>)[id]!.deviceToken,
      roomId,
    );
    const forger = await YjsDocClient.connect(h.server().url, { roomId, deviceToken });
    try {
      const [draft] = readDrafts(forger.doc);
      expect(draft?.title).toBe(STARTER);
      const map = findAgreement(forger.doc, draft!.id)!;
      const hash = contentHash(draft!);
      forger.doc.transact(() => {
        const forged = new Y.Map<unknown>();
        forged.set('A', { hash, at: Date.now() });
        forged.set('B', { hash, at: Date.now() });
        map.set('acceptances', forged);
        map.set('proposedBy', { seat: 'B', name: 'Alex' });
        map.set('createdAt', 0);
      });
      // Then a change both screens show, sent after it: once it is there, so is the forgery.
      forger.doc.getXmlFragment('notes').insert(0, [new Y.XmlElement('paragraph')]);
      (forger.doc.getXmlFragment('notes').get(0) as Y.XmlElement).insert(0, [new Y.XmlText('Written after the forgery')]);
      await forger.settled();
    } finally {
      forger.close();
    }
    for (const page of [sam, alex]) {
      await page.getByRole('textbox', { name: 'Shared notes' }).getByText('Written after the forgery').waitFor();
      expect(await badge(page).innerText()).toMatch(/Proposed, not agreed yet/);
      expect(await card(page).locator('section.commitment').count()).toBe(0);
      expect(await card(page).innerText()).not.toMatch(/Agreed by|has not yet|when you are ready/);
      await card(page).getByText(/^Proposed by (you|Sam) on /).waitFor();
    }
  });
});
