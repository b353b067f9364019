import type { Page, Response } from 'playwright-core';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { CHUNK_LIMIT_KB, SCREENS, weighBundle } from '../../scripts/bundleBudget.mjs';
import { browserTestsCanRun, PHONE } from '../support/browser';
import { useBrowserHarness } from '../support/browserHarness';

interface Screen {
  name: string;
  budgetKb: number;
  kb: number;
}
const [FIRST, TALK, AGREEMENTS] = SCREENS as Screen[];

describe('bundle budget', () => {
  const { chunks, screens } = weighBundle() as {
    chunks: Array<{ file: string; kb: number; rawKb: number; firstScreen: boolean }>;
    screens: Screen[];
  };

  it.each(screens.map((s) => [s.name, s] as const))('%s: its JavaScript, CSS and page, gzipped, stay within budget', (_name, screen) => {
    expect(screen.kb).toBeLessThanOrEqual(screen.budgetKb);
  });

  it(`no chunk passes ${CHUNK_LIMIT_KB} KB minified (Vite's warning), and the editor and Yjs are not in the first screen`, () => {
    expect(chunks.filter((c) => c.rawKb > CHUNK_LIMIT_KB).map((c) => c.file)).toEqual([]);
    expect(chunks.filter((c) => c.firstScreen).every((c) => !/Provider|Panel|Editor|editor|yjs|RoomPage/.test(c.file))).toBe(true);
  });
});

const run = browserTestsCanRun();

/** What a phone fetches, as sent: compressed bytes of each answer with its Content-Encoding. */
function transfers(page: Page) {
  const seen: Array<{ url: string; bytes: number; encoding: string | undefined; type: string }> = [];
  const pending: Promise<void>[] = [];
  page.on('response', (response: Response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith('/socket.io/') || url.pathname.startsWith('/api/')) return;
    pending.push(
      response
        .request()
        .sizes()
        .then((sizes) => {
          seen.push({ url: url.pathname, bytes: sizes.responseBodySize, encoding: response.headers()['content-encoding'], type: response.headers()['content-type'] ?? '' });
        }),
    );
  });
  return {
    async kb() {
      await Promise.all(pending);
      return seen.reduce((sum, t) => sum + t.bytes, 0) / 1024;
    },
    async uncompressedScripts() {
      await Promise.all(pending);
      return seen.filter((t) => /javascript|css|html/.test(t.type) && t.bytes > 1024 && !t.encoding).map((t) => t.url);
    },
  };
}

describe.skipIf(!run)('what a phone downloads per screen', () => {
  const harness = useBrowserHarness();

  it('comes compressed, hashed assets cached for a year and the page never, within each screen budget', async () => {
    const server = harness.server();
    const page = await harness.device(PHONE);
    const sent = transfers(page);
    const shell = await page.goto(server.url);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const first = await sent.kb();

    await harness.startRoom(page);
    await page.locator('.invite-panel .qr svg').waitFor();
    await page.getByRole('heading', { name: 'Talk' }).waitFor();
    await page.getByText('Opening guided sessions…').waitFor({ state: 'detached' });
    const talk = await sent.kb();
    expect(await page.evaluate(() => performance.getEntriesByType('resource').some((e) => /\/assets\/(editor|yjs)-/.test(e.name)))).toBe(false);

    await page.locator('nav.room-tabs').getByRole('button', { name: 'Our agreements' }).click();
    await page.getByText('Opening your agreements…').waitFor({ state: 'detached' });
    await page.getByText('A place to start').waitFor();
    const agreements = await sent.kb();

    console.log(`Transferred (compressed as sent): first screen ${first.toFixed(1)} KB, Talk ${talk.toFixed(1)} KB, agreements ${agreements.toFixed(1)} KB`);
    expect(await sent.uncompressedScripts()).toEqual([]);
    expect(first).toBeLessThanOrEqual(FIRST!.budgetKb);
    expect(talk).toBeLessThanOrEqual(TALK!.budgetKb);
    expect(agreements).toBeLessThanOrEqual(AGREEMENTS!.budgetKb);

    expect(shell?.headers()['cache-control']).toBe('no-cache');
    const script = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).find((n) => /\/assets\/index-.*\.js$/.test(n))!);
    const asset = await fetch(script, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    const worker = await fetch(`${server.url}/sw.js`, { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(worker.headers.get('cache-control')).toBe('no-cache');
    expect(worker.headers.get('content-encoding')).toBe('br');
  });
});
