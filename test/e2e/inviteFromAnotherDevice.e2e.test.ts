import jsQR from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lanAddress } from '../../server/http/publicAddress';
import { browserTestsCanRun, LAPTOP, launchChromium, PHONE } from '../support/browser';
import { startTestServer, type TestServer } from '../support/testServer';

const run = browserTestsCanRun();
const NOTE = /This link opens only on this computer/;

/**
 * The README's first run: the app opened as localhost on a laptop, the QR code scanned by a
 * phone on the same network. The QR must carry an address the phone can open, not localhost.
 */
describe.skipIf(!run)('a second device reaches the room from the QR code', () => {
  let browser: Browser;
  const servers: TestServer[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    for (const server of servers) await server.destroy();
  });

  async function openRoom(url: string): Promise<{ laptop: Page; scanned: URL }> {
    const laptop = await (await browser.newContext({ viewport: LAPTOP, reducedMotion: 'reduce' })).newPage();
    await laptop.goto(`${url}/start`);
    await laptop.getByLabel('Your first name').fill('Sam');
    await laptop.getByLabel('I have read these').check();
    await laptop.getByRole('button', { name: 'Open our room' }).click();
    const qr = laptop.locator('.invite-panel .qr');
    await qr.locator('svg').waitFor();
    const png = PNG.sync.read(await qr.screenshot());
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(await laptop.getByLabel('Invite link', { exact: true }).inputValue());
    return { laptop, scanned: new URL(decoded!.data) };
  }

  it('on a server listening on every address, the QR opened as localhost points at the LAN address, and the phone comes in', async () => {
    const server = await startTestServer({ env: { HOST: '0.0.0.0' } });
    servers.push(server);
    const port = new URL(server.url).port;
    // The laptop opens the app by its loopback address, as `npm start` prints it.
    const { laptop, scanned } = await openRoom(`http://localhost:${port}`);
    const lan = lanAddress();
    if (lan === null) {
      // A machine without a network: the only address is this computer's, and the page says so.
      expect(scanned.hostname).toBe('localhost');
      await laptop.getByText(NOTE).waitFor();
      return;
    }
    expect(scanned.host).toBe(`${lan}:${port}`);
    expect(['localhost', '127.0.0.1', '[::1]']).not.toContain(scanned.hostname);
    await expect(laptop.getByText(NOTE).count()).resolves.toBe(0);
    await laptop.getByText(`At ${lan}:${port}/join`).waitFor();

    // The phone opens what it scanned: another origin than the laptop's, allowed by the Origin check.
    const phone = await (await browser.newContext({ viewport: PHONE, reducedMotion: 'reduce' })).newPage();
    await phone.goto(scanned.href);
    await phone.getByLabel('Your first name').fill('Alex');
    await phone.getByLabel('I have read these').check();
    await phone.getByRole('button', { name: 'Come in' }).click();
    await phone.getByRole('heading', { name: 'You are both here' }).waitFor();
    await laptop.getByRole('heading', { name: 'You are both here' }).waitFor();
  });

  it('on a server only this computer can reach, the QR stays on localhost and a note says so', async () => {
    const server = await startTestServer({ env: { HOST: '127.0.0.1' } });
    servers.push(server);
    const { laptop, scanned } = await openRoom(`http://localhost:${new URL(server.url).port}`);
    expect(scanned.hostname).toBe('localhost');
    await laptop.getByText(NOTE).waitFor();
  });

  it('with PUBLIC_URL set, the server names that address and no other', async () => {
    const server = await startTestServer({ env: { HOST: '0.0.0.0', PUBLIC_URL: 'https://ground.example.org/any/path' } });
    servers.push(server);
    const answer = (await (await fetch(`${server.url}/api/address`)).json()) as unknown;
    expect(answer).toEqual({ ok: true, publicUrl: 'https://ground.example.org', networkUrl: null });
  });
});
