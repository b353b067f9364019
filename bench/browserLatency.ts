// The browser phase of `npm run bench`: latency as people feel it, in Debian's Chromium on
// loopback, against a real server of ours on port 0 (the built client in dist/).
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, showRoomPart } from '../test/support/browser';
import { devicesOn } from '../test/support/browserDevices';
import { pairOnAgreements } from '../test/support/pairOnAgreements';
import { startTestServer } from '../test/support/testServer';
import { repoRoot } from '../test/load/processes';
import { BROWSER_DEFAULTS, spread, type BrowserLatencyOptions, type BrowserLatencyReport, type Spread } from './browserLatencyReport';

export { BROWSER_DEFAULTS, type BrowserLatencyOptions, type BrowserLatencyReport } from './browserLatencyReport';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** tsx names the functions it compiles with a helper the page lacks: give the page one that does nothing. */
const namesHelper = (page: Page) => page.evaluate('globalThis.__name = (f) => f');

const editorOf = (page: Page) => page.locator('article.agreement').first().getByRole('textbox', { name: /^What we agree:/ });

export async function runBrowserLatency(options: BrowserLatencyOptions = BROWSER_DEFAULTS, log: (line: string) => void = console.log): Promise<BrowserLatencyReport> {
  // The server serves the built client; build it if its sources are newer (as the e2e set-up does).
  execFileSync('node', ['scripts/ensureClientBuilt.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  const startedAt = new Date().toISOString();
  const browser = await launchChromium();
  const server = await startTestServer();
  const contexts: BrowserContext[] = [];
  try {
    const h = devicesOn(() => browser, () => server, contexts);
    const [sam, alex] = await pairOnAgreements(h);
    await sam.getByRole('button', { name: /^Start from this:/ }).first().click();
    await editorOf(alex).waitFor();
    await editorOf(sam).waitFor();

    log(`browser: ${options.keystrokes} keystrokes, one every ${options.keyIntervalMs} ms, Sam's phone → Alex's laptop`);
    const keys = await timeKeystrokes(sam, alex, options);
    log(`browser: keystroke p50 ${keys.ms.p50} ms, p90 ${keys.ms.p90} ms, p99 ${keys.ms.p99} ms; ${keys.perKey} doc messages per key`);

    log(`browser: agreements tab opened ${options.editorOpens} times on a phone with the CPU ×${options.cpuThrottling}`);
    const ready = await timeEditorReady(sam, options);
    log(`browser: editor ready p50 ${ready.p50} ms, max ${ready.max} ms`);

    log(`browser: ${options.commands} session commands (a repair card) to both screens`);
    const commands = await timeCommands(sam, alex, options);
    log(`browser: command p50 ${commands.p50} ms, p99 ${commands.p99} ms`);

    const cpu = os.cpus()[0]?.model ?? 'unknown';
    return {
      startedAt,
      chromium: browser.version(),
      machine: `${cpu}, ${os.availableParallelism()} cores`,
      loadAverage: Math.round((os.loadavg()[0] ?? 0) * 10) / 10,
      options,
      keystrokeMs: keys.ms,
      docMessagesPerKeystroke: keys.perKey,
      commandMs: commands,
      editorReadyMs: ready,
    };
  } finally {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser.close().catch(() => undefined);
    await server.destroy();
  }
}

/**
 * Sam types at the end of the draft; Alex's page notes, with a MutationObserver, when its editor
 * first holds each new length (the other person's caret and its name label not counted).
 */
async function timeKeystrokes(sam: Page, alex: Page, o: BrowserLatencyOptions): Promise<{ ms: Spread; perKey: number }> {
  for (const page of [sam, alex]) await namesHelper(page);
  await editorOf(sam).click();
  await sam.keyboard.press('Control+End');
  // Let the caret's presence settle before the clock starts.
  await sleep(500);
  // Times are the pages' clocks as ms since the epoch (timeOrigin + now): one machine clock for every page.
  const baseLength = await editorOf(alex).evaluate((el) => {
    const w = window as unknown as { __arrivals: Map<number, number>; __length(): number };
    w.__arrivals = new Map();
    w.__length = () => {
      let n = el.textContent?.length ?? 0;
      for (const caret of el.querySelectorAll('.collaboration-carets__caret')) n -= caret.textContent?.length ?? 0;
      return n;
    };
    const seen = () => {
      const at = (performance.timeOrigin + performance.now());
      const n = w.__length();
      if (!w.__arrivals.has(n)) w.__arrivals.set(n, at);
    };
    new MutationObserver(seen).observe(el, { subtree: true, childList: true, characterData: true });
    return w.__length();
  });
  await sam.evaluate(() => {
    const w = window as unknown as { __keydowns: number[] };
    w.__keydowns = [];
    // Capture phase on the window: the first thing to hear the key, before the editor does.
    window.addEventListener('keydown', () => w.__keydowns.push((performance.timeOrigin + performance.now())), { capture: true });
  });
  // The socket is open already, and Playwright reports only sockets opened after it listens:
  // binary frames (a doc:message's attachment) are counted through CDP.
  let frames = 0;
  const cdp = await sam.context().newCDPSession(sam);
  await cdp.send('Network.enable');
  cdp.on('Network.webSocketFrameSent', (e: { response: { opcode: number } }) => {
    if (e.response.opcode === 2) frames += 1;
  });
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const start = Date.now();
  for (let i = 0; i < o.keystrokes; i++) {
    const due = start + i * o.keyIntervalMs;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    await sam.keyboard.press(letters[i % letters.length]!);
  }
  const expected = baseLength + o.keystrokes;
  const until = Date.now() + 10_000;
  while (Date.now() < until && !(await alex.evaluate((n) => (window as unknown as { __arrivals: Map<number, number> }).__arrivals.has(n), expected))) await sleep(50);
  await sleep(300);
  await cdp.detach().catch(() => undefined);
  const downs = await sam.evaluate(() => (window as unknown as { __keydowns: number[] }).__keydowns);
  const arrivals = new Map(await alex.evaluate(() => [...(window as unknown as { __arrivals: Map<number, number> }).__arrivals]));
  const samples: number[] = [];
  let missing = 0;
  for (let i = 0; i < o.keystrokes; i++) {
    const down = downs[i];
    // The arrival of length base+i+1, or of a later length when two keys came in one update.
    let arrived: number | undefined;
    for (let n = baseLength + i + 1; n <= expected && arrived === undefined; n++) arrived = arrivals.get(n);
    if (down === undefined || arrived === undefined) missing += 1;
    else samples.push(arrived - down);
  }
  if (missing > 0) throw new Error(`${missing} of ${o.keystrokes} keystrokes never reached the other page`);
  return { ms: spread(samples), perKey: Math.round((frames / o.keystrokes) * 100) / 100 };
}

/** A fresh page of Sam's phone opens the room, the CPU is slowed, and "Our agreements" is tapped. */
async function timeEditorReady(sam: Page, o: BrowserLatencyOptions): Promise<Spread> {
  const roomUrl = sam.url();
  const words = (await editorOf(sam).innerText()).slice(0, 12);
  const samples: number[] = [];
  for (let run = 0; run < o.editorOpens; run++) {
    const page = await sam.context().newPage();
    try {
      await page.goto(roomUrl);
      await namesHelper(page);
      await showRoomPart(page, 'Talk');
      // In the room and connected: what is timed is the tab opening, not the page loading.
      await page.getByText('You are both here').waitFor();
      const tab = page.locator('nav.room-tabs').getByRole('button', { name: 'Our agreements' });
      await tab.waitFor();
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: o.cpuThrottling });
      const ready = page.evaluate(
        (words) =>
          new Promise<number>((resolve, reject) => {
            let tappedAt = 0;
            const check = () => {
              const editor = document.querySelector('.room-panel.is-current article.agreement [contenteditable="true"][aria-label^="What we agree:"]');
              if (tappedAt && editor && (editor.textContent ?? '').includes(words)) {
                observer.disconnect();
                resolve(performance.timeOrigin + performance.now() - tappedAt);
              }
            };
            window.addEventListener(
              'click',
              () => {
                tappedAt ||= performance.timeOrigin + performance.now();
                // The editor may be there already, hidden on the other tab: then no mutation comes.
                queueMicrotask(check);
              },
              { capture: true },
            );
            const observer = new MutationObserver(check);
            observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
            setTimeout(() => reject(new Error(`no editor holding "${words}" 20 s after the tap (${tappedAt ? 'tapped' : 'no tap seen'}): ${document.querySelector('.room-panel.is-current')?.textContent?.slice(0, 300)}`)), 20_000);
          }),
        words,
      );
      await tab.click();
      samples.push(await ready);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      await cdp.detach();
    } finally {
      await page.close();
    }
  }
  return spread(samples);
}

/**
 * Sam starts a written session of "Turning the page" and Alex accepts; then Alex presses repair
 * cards, each timed from the click on Alex's laptop to its card on both screens.
 */
async function timeCommands(sam: Page, alex: Page, o: BrowserLatencyOptions): Promise<Spread> {
  await showRoomPart(sam, 'Talk');
  const talkS = sam.locator('section.talk');
  const talkA = alex.locator('section.talk');
  await talkS.getByRole('button', { name: /Turning the page/ }).click();
  await talkS.getByLabel(/Write/).check();
  await talkS.getByRole('button', { name: 'Ask Alex to join' }).click();
  await talkA.getByRole('button', { name: 'Yes, let’s begin' }).click();
  await talkA.locator('.repair-bar > summary').click();
  const chip = talkA.locator('button.repair-chip').first();
  await chip.waitFor();
  for (const page of [sam, alex]) {
    await page.evaluate(() => {
      const w = window as unknown as { __cards: number[] };
      w.__cards = [];
      const seen = new WeakSet<Element>();
      new MutationObserver(() => {
        for (const card of document.querySelectorAll('.repair-card')) {
          if (seen.has(card)) continue;
          seen.add(card);
          w.__cards.push((performance.timeOrigin + performance.now()));
        }
      }).observe(document.body, { subtree: true, childList: true });
      for (const card of document.querySelectorAll('.repair-card')) seen.add(card);
    });
  }
  await alex.evaluate(() => {
    const w = window as unknown as { __presses: number[] };
    w.__presses = [];
    window.addEventListener('click', (e) => {
      if ((e.target as Element).closest?.('.repair-chip')) w.__presses.push((performance.timeOrigin + performance.now()));
    }, { capture: true });
  });
  const cards = (page: Page) => page.evaluate(() => (window as unknown as { __cards: number[] }).__cards);
  for (let i = 0; i < o.commands; i++) {
    await chip.click();
    const until = Date.now() + 5_000;
    while (Date.now() < until && ((await cards(sam)).length <= i || (await cards(alex)).length <= i)) await sleep(10);
    await sleep(100);
  }
  const presses = await alex.evaluate(() => (window as unknown as { __presses: number[] }).__presses);
  const [onSam, onAlex] = [await cards(sam), await cards(alex)];
  const samples: number[] = [];
  for (let i = 0; i < o.commands; i++) {
    const [p, s, a] = [presses[i], onSam[i], onAlex[i]];
    if (p === undefined || s === undefined || a === undefined) throw new Error(`session command ${i + 1} did not reach both screens`);
    samples.push(Math.max(s, a) - p);
  }
  return spread(samples);
}
