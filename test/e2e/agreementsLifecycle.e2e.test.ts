import { readFileSync } from 'node:fs';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dayOf, readDrafts } from '../../shared/agreements';
import { seriousViolations } from '../support/a11y';
import { browserTestsCanRun, LAPTOP, PHONE, SCREENSHOT_DIR, showRoomPart } from '../support/browser';
import { browserAndServerPerFile } from '../support/browserHarness';
import { wordsWithoutCarets } from '../support/pairOnAgreements';

const run = browserTestsCanRun();

const TITLE = 'We ask before we assume';
const STARTER_BODY = 'When something the other did worries us, we ask what happened before we decide what it meant.';

/**
 * The life of an agreement after it is written: named versions, copies out of the room, and an
 * edit made on a phone without a network. One phone and one laptop share one room throughout;
 * the tests run in order and build on each other, like one evening of a couple using the app.
 */
describe.skipIf(!run)('Our agreements over time: versions, copies, offline (phone and laptop)', () => {
  const { browser, server } = browserAndServerPerFile();
  let phoneContext: BrowserContext;
  let phone: Page;
  let laptop: Page;
  let roomUrl: string;
  let versionName: string;

  beforeAll(async () => {
    // Pairing through the app's own screens, like a person would: Sam on a phone opens the room,
    // Alex comes in on a laptop with the invite link.
    phoneContext = await browser.newContext({ viewport: PHONE, reducedMotion: 'reduce', acceptDownloads: true });
    phone = await phoneContext.newPage();
    await phone.goto(`${server.url}/start`);
    await phone.getByLabel('Your first name').fill('Sam');
    await phone.getByLabel('I have read these').check();
    await phone.getByRole('button', { name: 'Open our room' }).click();
    const link = await phone.getByLabel('Invite link', { exact: true }).inputValue();
    roomUrl = phone.url();
    const laptopContext = await browser.newContext({ viewport: LAPTOP, reducedMotion: 'reduce', acceptDownloads: true });
    laptop = await laptopContext.newPage();
    await laptop.goto(link);
    await laptop.getByLabel('Your first name').fill('Alex');
    await laptop.getByLabel('I have read these').check();
    await laptop.getByRole('button', { name: 'Come in' }).click();
    await laptop.getByText('You are both here').waitFor();
    await showRoomPart(phone, 'Our agreements');
    await showRoomPart(laptop, 'Our agreements');
    await phone.getByText('A place to start').waitFor();
  });
  const body = (page: Page): Locator => page.getByRole('textbox', { name: /^What we agree:/ }).first();
  /** The words of the first agreement, without the other person's caret and its name label. */
  const bodyText = (page: Page): Promise<string> => wordsWithoutCarets(page.locator('.agreement-body').first());
  const status = (page: Page): Promise<string> => page.locator('.sync-status').innerText();

  async function typeAtEnd(page: Page, text: string): Promise<void> {
    await body(page).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(text);
  }

  const agreeButton = (page: Page) => page.locator('.agreement').first().getByRole('button', { name: /^I agree to (this|the new words)$/ });
  const agreedBadge = (page: Page) => page.locator('.status-badge', { hasText: /Agreed by Sam and Alex on / });

  async function bothAgree(): Promise<void> {
    await agreeButton(phone).click();
    await laptop.locator('.agreement').first().getByText(/^Sam agreed( to the new words)? · agree too when you are ready$/).waitFor();
    await agreeButton(laptop).click();
    for (const page of [phone, laptop]) await agreedBadge(page).waitFor();
  }

  /** What both agreed is read only: a change starts from "Propose a change". */
  async function proposeChange(page: Page): Promise<void> {
    await page.locator('.agreement').first().getByRole('button', { name: 'Propose a change' }).click();
    await body(page).waitFor();
  }

  it('saves a named version, shows the old one read only, and what changed since', async () => {
    await phone.getByRole('button', { name: `Start from this: ${TITLE}` }).click();
    await body(laptop).waitFor();
    await expect.poll(() => bodyText(laptop)).toBe(STARTER_BODY);
    await bothAgree();

    // Saved with the name the app suggests: "What we agreed on <day>".
    const versions = laptop.locator('section.versions');
    await versions.getByRole('button', { name: 'Save this version' }).click();
    const saved = versions.locator('.version').first();
    await saved.locator('.version-name').waitFor();
    versionName = await saved.locator('.version-name').innerText();
    expect(versionName).toMatch(/^What we agreed on \S/);
    await expect.poll(() => saved.innerText()).toMatch(/saved by Alex · 1 agreement\b/);
    // The partner's device has it too.
    await phone.locator('section.versions .version-name', { hasText: versionName }).waitFor();

    // Alex changes the words: the history shows the change.
    await proposeChange(laptop);
    await typeAtEnd(laptop, ' We check in on Sundays.');
    for (const page of [phone, laptop]) {
      await expect.poll(() => bodyText(page), { timeout: 10_000 }).toBe(`${STARTER_BODY} We check in on Sundays.`);
      await page.locator('.status-badge', { hasText: 'Changed since you both agreed' }).waitFor();
    }

    // The old version, read only: the old words, the old status, and nothing to edit.
    await saved.getByRole('button', { name: `View ${versionName}` }).click();
    const old = saved.getByLabel(`${versionName}, read only`);
    await old.waitFor();
    expect(await saved.getByRole('button', { name: `View ${versionName}` }).getAttribute('aria-expanded')).toBe('true');
    const oldText = await old.innerText();
    expect(oldText).toContain('Read only');
    expect(oldText).toContain(TITLE);
    expect(oldText).toContain(STARTER_BODY);
    expect(oldText).toContain('Agreed by both');
    expect(oldText).not.toContain('We check in on Sundays.');
    expect(await old.locator('[contenteditable], input, textarea, select, button').count()).toBe(0);
    expect(await old.getByRole('textbox').count()).toBe(0);

    // What changed since: the words compared word by word (only what was added is marked), the status before and after.
    await saved.getByRole('button', { name: 'What changed since' }).click();
    const diff = saved.getByLabel(`What changed since ${versionName}`);
    await diff.waitFor();
    expect(await old.count()).toBe(0);
    const words = diff.locator('.diff-fields > div', { hasText: 'Words' });
    // the comparison's code loads with the first one opened
    await words.locator('ins').first().waitFor();
    expect(await words.locator('del').count()).toBe(0);
    expect((await words.locator('ins').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual(['added: We check in on Sundays.']);
    expect(await words.locator('dd').textContent()).toContain(STARTER_BODY);
    const statusChange = diff.locator('.diff-fields > div', { hasText: 'Status' });
    expect(await statusChange.locator('del').innerText()).toBe('Agreed by both');
    expect(await statusChange.locator('ins').innerText()).toBe('Changed since you both agreed');
    await diff.screenshot({ path: `${SCREENSHOT_DIR}/e2e-agreements-version-diff-laptop.png` });
  });

  it('downloads the agreements as Markdown and prints only them, with their status', async () => {
    const dayBefore = dayOf(Date.now());
    await bothAgree();
    const card = laptop.locator('.agreement').first();
    await card.getByLabel('Look at it again on').fill('2031-06-01');
    await expect.poll(() => phone.locator('.agreement').first().getByLabel('Look at it again on').inputValue()).toBe('2031-06-01');

    // A note: notes stay in the room.
    await laptop.getByRole('textbox', { name: 'Shared notes' }).click();
    await laptop.keyboard.type('Only for the two of us.');
    await expect.poll(() => phone.getByRole('textbox', { name: 'Shared notes' }).innerText()).toContain('Only for the two of us.');

    const [download] = await Promise.all([laptop.waitForEvent('download'), laptop.getByRole('button', { name: 'Download (Markdown)' }).click()]);
    const dayAfter = dayOf(Date.now());
    expect(download.suggestedFilename()).toMatch(/^our-agreements-\d{4}-\d{2}-\d{2}\.md$/);
    // The screen says quietly that it started, by the file's name.
    await laptop.locator('.export').getByRole('status').getByText(`Downloaded: ${download.suggestedFilename()}`, { exact: true }).waitFor();
    const markdown = readFileSync(await download.path(), 'utf8');
    const today = [dayBefore, dayAfter];
    expect(markdown).toMatch(/^# Our agreements\n/);
    expect(today).toContain(/Exported on (\d{4}-\d{2}-\d{2})\./.exec(markdown)?.[1]);
    expect(markdown).toContain('## Communication');
    expect(markdown).toContain(`### ${TITLE}`);
    expect(markdown).toContain(`${STARTER_BODY} We check in on Sundays.`);
    // What both agreed, with both names and the days; who proposed it and when.
    const agreed = /- Status: Agreed by Sam and Alex on (\S+) \(Sam on (\S+), Alex on (\S+)\)/.exec(markdown);
    for (const at of agreed?.slice(1) ?? [null]) expect(today).toContain(at);
    expect(today).toContain(/- Proposed by Sam on (\d{4}-\d{2}-\d{2})/.exec(markdown)?.[1]);
    expect(markdown).toContain('- Look at it again on 2031-06-01');
    expect(markdown).not.toContain('Proposal');
    expect(markdown).not.toContain('Only for the two of us.');

    // The Print button hands the page to the browser's printer...
    await laptop.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => void ((window as unknown as { printed: number }).printed += 1);
    });
    await laptop.getByRole('button', { name: 'Print' }).click();
    expect(await laptop.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);

    // ...and on paper only the agreements show, with their status; the app around them does not.
    for (const page of [laptop, phone]) {
      await page.emulateMedia({ media: 'print' });
      try {
        const paper = page.locator('.agreements-print');
        await paper.waitFor({ state: 'visible' });
        const text = await paper.innerText();
        expect(text).toContain('Our agreements');
        expect(text).toContain(TITLE);
        expect(text).toContain('We check in on Sundays.');
        expect(text).toMatch(/Agreed by Sam and Alex on .+ · proposed by Sam on .+ · look again on .+/);
        expect(text).not.toContain('(proposal)');
        for (const chrome of ['.room-header', '.room-main', 'nav.room-tabs', '.sync-status', 'section.versions', '.agreement-body']) {
          expect(await page.locator(chrome).first().isVisible(), `${chrome} on paper`).toBe(false);
        }
        const size = page === phone ? 'phone' : 'laptop';
        await page.screenshot({ path: `${SCREENSHOT_DIR}/e2e-agreements-print-${size}.png`, fullPage: true });
      } finally {
        await page.emulateMedia({ media: 'screen' });
      }
    }
    await laptop.locator('.room-header').waitFor({ state: 'visible' });
  });

  it('keeps an edit made on the phone offline, and both edits meet when it is back', async () => {
    // The offline shell comes from the service worker: wait until it is installed.
    await phone.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await expect.poll(() => status(phone)).toBe('Saved');

    await phoneContext.setOffline(true);
    await expect.poll(() => status(phone), { timeout: 15_000 }).toBe('Offline: your changes are kept on this device');

    // Both write into the same agreement at the same time, one of them without a network.
    await Promise.all([proposeChange(phone), proposeChange(laptop)]);
    await Promise.all([typeAtEnd(phone, ' Sam wrote this offline.'), typeAtEnd(laptop, ' Alex wrote this online.')]);
    await expect.poll(() => bodyText(phone)).toContain('Sam wrote this offline.');
    await expect.poll(() => bodyText(laptop)).toContain('Alex wrote this online.');
    await expect.poll(() => status(laptop), { timeout: 10_000 }).toBe('Saved');
    expect(await bodyText(laptop)).not.toContain('Sam wrote this offline.');
    expect(await status(phone)).toBe('Offline: your changes are kept on this device');

    // The phone's page is closed while still offline. A new page of the same browser opens the
    // app from the service worker, without a network...
    await phone.close();
    phone = await phoneContext.newPage();
    await phone.goto(roomUrl);
    // ...and the room as this device last saw it, with the agreements from the device's own copy:
    // the draft with the offline edit, and what both agreed, as the records last came.
    await phone.getByRole('heading', { name: 'Not connected just now' }).waitFor();
    await showRoomPart(phone, 'Our agreements');
    await expect.poll(() => bodyText(phone), { timeout: 15_000 }).toContain('Sam wrote this offline.');
    await phone.locator('section.commitment').getByText(/^Agreed by Sam and Alex on /).waitFor();
    await phone.locator('.status-badge', { hasText: 'Changed since you both agreed' }).waitFor();
    expect(await agreeButton(phone).isDisabled()).toBe(true);
    expect(await bodyText(phone)).not.toContain('Alex wrote this online.');
    // The copy is in IndexedDB (y-indexeddb), not only in the page:
    const updates = await phone.evaluate(async (name) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      if (!db.objectStoreNames.contains('updates')) return [];
      const all = await new Promise<unknown[]>((resolve, reject) => {
        const req = db.transaction('updates', 'readonly').objectStore('updates').getAll();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      db.close();
      return all.map((u) => Array.from(u as Uint8Array));
    }, `common-ground:${new URL(roomUrl).pathname.split('/').pop()}:agreements`);
    expect(updates.length).toBeGreaterThan(0);
    const stored = new Y.Doc();
    for (const update of updates) Y.applyUpdate(stored, Uint8Array.from(update));
    const storedBody = readDrafts(stored)[0]?.body ?? '';
    expect(storedBody).toContain('We check in on Sundays. Sam wrote this offline.');
    expect(storedBody).not.toContain('Alex wrote this online.');

    // Back online: the page reconnects by itself, and the two edits meet on both devices.
    await phoneContext.setOffline(false);
    await phone.locator('nav.room-tabs').waitFor({ timeout: 20_000 });
    await showRoomPart(phone, 'Our agreements');
    for (const page of [phone, laptop]) {
      await expect.poll(() => bodyText(page), { timeout: 15_000 }).toContain('Sam wrote this offline.');
      await expect.poll(() => bodyText(page), { timeout: 15_000 }).toContain('Alex wrote this online.');
      await expect.poll(() => status(page), { timeout: 15_000 }).toBe('Saved');
    }
    expect(await bodyText(phone)).toBe(await bodyText(laptop));
  }, 120_000);

  it('has no serious accessibility problems in the agreements, the versions and an old version', async () => {
    for (const page of [phone, laptop]) {
      await showRoomPart(page, 'Our agreements');
      await body(page).waitFor();
      expect(await seriousViolations(page), 'agreements view').toEqual([]);

      const versions = page.locator('section.versions');
      await versions.scrollIntoViewIfNeeded();
      const saved = versions.locator('.version', { hasText: versionName }).first();
      // Close whatever is open, so this is the list as it first shows.
      for (const button of await versions.locator('button[aria-expanded="true"]').all()) await button.click();
      expect(await seriousViolations(page), 'versions view').toEqual([]);

      await saved.getByRole('button', { name: `View ${versionName}` }).click();
      await saved.getByLabel(`${versionName}, read only`).waitFor();
      expect(await seriousViolations(page), 'old version view').toEqual([]);

      await saved.getByRole('button', { name: 'What changed since' }).click();
      await saved.getByLabel(`What changed since ${versionName}`).waitFor();
      expect(await seriousViolations(page), 'what changed since').toEqual([]);
    }
  });
});
