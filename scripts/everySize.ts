// Every screen a person can reach, at 320, 390, 768 and 1280 px, at 200% text, in both colour
// schemes. Used by test/e2e/everySize.e2e.test.ts (which checks each one) and by
// scripts/screenshots.ts (which takes a picture of each one).
import type { Browser, Page } from 'playwright-core';
import { LAPTOP, PHONE, showRoomPart } from '../test/support/browser';
import { connectClient, request, type ClientSocket } from '../test/support/socketClient';

export interface Size {
  name: string;
  viewport: { width: number; height: number };
  /** How much larger the text is than the browser's default. */
  text: number;
}

export const SIZES: readonly Size[] = [
  { name: '320', viewport: { width: 320, height: 640 }, text: 1 },
  { name: '390', viewport: PHONE, text: 1 },
  { name: '768', viewport: { width: 768, height: 1024 }, text: 1 },
  { name: '1280', viewport: LAPTOP, text: 1 },
  // A phone whose owner set the text twice as large (WCAG 1.4.4): the root font size doubles,
  // so everything in rem and em grows and the viewport stays 390 px wide. Browser zoom is
  // covered by the narrow widths (200% zoom of a 640 px window is the 320 px case).
  { name: '390-text200', viewport: PHONE, text: 2 },
];

export const SCHEMES = ['light', 'dark'] as const;
export type Scheme = (typeof SCHEMES)[number];

export interface Screen {
  name: string;
  /** Which browser context shows it: the partner who opened the room, or the counsellor. */
  who: 'partner' | 'counsellor';
  open(page: Page): Promise<void>;
}

export interface Visit {
  screen: string;
  size: Size;
  scheme: Scheme;
  page: Page;
}

/** Scales the root font size the way a browser's text-size setting does. */
async function scaleText(page: Page, text: number): Promise<void> {
  await page.evaluate((factor) => {
    const root = document.documentElement;
    root.style.fontSize = '';
    if (factor !== 1) root.style.fontSize = `${parseFloat(getComputedStyle(root).fontSize) * factor}px`;
  }, text);
}

/**
 * Builds one couple's room (Sam in the browser, Alex as a plain socket once the invite screens
 * are seen) and one counsellor workspace, then calls `visit` for every screen, size and scheme.
 */
export async function walkEverySize(server: { url: string }, browser: Browser, visit: (v: Visit) => Promise<void>): Promise<void> {
  const partnerContext = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1 });
  const counsellorContext = await browser.newContext({ viewport: LAPTOP, deviceScaleFactor: 1 });
  const sam = await partnerContext.newPage();
  const counsellor = await counsellorContext.newPage();
  let alex: ClientSocket | null = null;
  try {
    await sam.goto(`${server.url}/start`);
    await sam.getByLabel('Your first name').fill('Sam');
    await sam.getByLabel('I have read these').check();
    await sam.getByRole('button', { name: 'Open our room' }).click();
    await sam.getByText('Bring your partner in').waitFor();
    const roomUrl = sam.url();
    const invite = await sam.getByLabel('Invite link', { exact: true }).inputValue();

    await counsellor.goto(`${server.url}/counsellor`);
    await counsellor.getByLabel('Your name, as couples will see it').fill('Dr Lee');
    await counsellor.getByRole('button', { name: 'Set up my workspace' }).click();
    await counsellor.getByLabel('I have written it down').check();
    await counsellor.getByRole('button', { name: 'Open my workspace' }).click();
    await counsellor.getByLabel('A label only you see').fill('J & R');
    await counsellor.getByRole('button', { name: 'Open the room' }).click();
    await counsellor.getByLabel('Invite link for the first partner').waitFor();

    const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { name, level: 1 }).first().waitFor();
    const openRoom = async (page: Page, part: 'Talk' | 'Our agreements') => {
      await page.goto(roomUrl);
      await page.locator('.room-header').waitFor();
      await showRoomPart(page, part);
      // the panel itself, not the line saying it is on its way
      if (part === 'Our agreements') await page.locator('#agreements-title').waitFor();
    };
    const screens: Screen[] = [
      { name: 'landing', who: 'partner', open: async (p) => (await p.goto(server.url), heading(p, /./)) },
      { name: 'start', who: 'partner', open: async (p) => (await p.goto(`${server.url}/start`), heading(p, /./)) },
      { name: 'join-code', who: 'partner', open: async (p) => (await p.goto(`${server.url}/join`), heading(p, /./)) },
      { name: 'help', who: 'partner', open: async (p) => (await p.goto(`${server.url}/help`), heading(p, 'Getting help')) },
      { name: 'invite', who: 'partner', open: async (p) => (await p.goto(invite), p.getByLabel('Your first name').waitFor()) },
      { name: 'room-waiting', who: 'partner', open: async (p) => (await openRoom(p, 'Talk'), p.locator('.qr svg').waitFor()) },
      { name: 'room-talk', who: 'partner', open: (p) => openRoom(p, 'Talk') },
      { name: 'room-agreements', who: 'partner', open: (p) => openRoom(p, 'Our agreements') },
      {
        name: 'room-menu',
        who: 'partner',
        open: async (p) => {
          await openRoom(p, 'Talk');
          await p.locator('.room-menu summary').click();
          await p.getByRole('button', { name: /Leave for now/ }).waitFor();
        },
      },
      { name: 'counsellor-workspace', who: 'counsellor', open: async (p) => (await p.goto(`${server.url}/counsellor`), heading(p, 'Your rooms')) },
    ];
    for (const screen of screens) {
      if (screen.name === 'room-talk') {
        // The partner comes in only now: the invite and the waiting room are seen first.
        alex = await connectClient(server.url);
        const claimed = await request<{ roomId: string; deviceToken: string }>(alex, 'invite:claim', {
          invite: invite.split('#')[1],
          displayName: 'Alex',
          acceptedGroundRules: true,
        });
        if (!claimed.ok) throw new Error(`Alex could not come in: ${claimed.error.code}`);
        await request(alex, 'room:join', { roomId: claimed.roomId, deviceToken: claimed.deviceToken });
      }
      const page = screen.who === 'partner' ? sam : counsellor;
      // Opened once at the first size; sizes and schemes then change under it, as when a phone turns or night falls.
      await page.setViewportSize(SIZES[0]!.viewport);
      await screen.open(page);
      for (const size of SIZES) {
        for (const scheme of SCHEMES) {
          await page.setViewportSize(size.viewport);
          await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
          await scaleText(page, size.text);
          // one frame for the layout at the new text size
          await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
          await visit({ screen: screen.name, size, scheme, page });
        }
      }
    }
  } finally {
    alex?.disconnect();
    await partnerContext.close();
    await counsellorContext.close();
  }
}

export interface LayoutProblems {
  /** The page scrolls sideways by this many px. */
  sideScroll: number;
  offScreen: string[];
  overlapping: string[];
}

/** What a person would see as broken: sideways scrolling, things cut off at the sides, controls on top of each other. */
export function layoutProblems(page: Page): Promise<LayoutProblems> {
  return page.evaluate(() => {
    const describe = (el: Element) => {
      const text = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} "${text}"`;
    };
    const root = document.documentElement;
    const width = root.clientWidth;
    const shown = (el: Element) => {
      if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return null;
      const r = el.getBoundingClientRect();
      return r.width > 1 && r.height > 1 ? r : null;
    };
    const offScreen: string[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = shown(el);
      if (r && (r.left < -1 || r.right > width + 1)) offScreen.push(`${describe(el)} spans ${Math.round(r.left)}…${Math.round(r.right)} of ${width}`);
    }
    const controls = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])')]
      .map((el) => ({ el, r: shown(el) }))
      .filter((c): c is { el: Element; r: DOMRect } => c.r !== null);
    const overlapping: string[] = [];
    for (let i = 0; i < controls.length; i++) {
      for (let j = i + 1; j < controls.length; j++) {
        const a = controls[i]!;
        const b = controls[j]!;
        if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
        // an open menu lies over the page on purpose
        if (!!a.el.closest('.room-menu-items') !== !!b.el.closest('.room-menu-items')) continue;
        const x = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const y = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (x > 1 && y > 1) overlapping.push(`${describe(a.el)} and ${describe(b.el)}`);
      }
    }
    return { sideScroll: root.scrollWidth - width, offScreen: offScreen.slice(0, 8), overlapping: overlapping.slice(0, 8) };
  });
}
