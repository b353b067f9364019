import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '../../shared/agreements/model';
import { seriousViolations } from '../support/a11y';
import { browserTestsCanRun, LAPTOP, PHONE, SCREENSHOT_DIR, settled } from '../support/browser';
import { browserAndServerPerFile } from '../support/browserHarness';
import { startLocalPushService, type LocalPushService, type LocalSubscription } from '../support/localPushService';
import { seatOnDevice } from '../support/seatOnDevice';
import { connectClient, request } from '../support/socketClient';

const run = browserTestsCanRun();

/**
 * Reminders on this device, end to end: the panel turns them on (the browser's PushManager is
 * stood in for by a subscription of a local push service, as headless Chromium reaches no real
 * one), the server sends a due review's reminder, the local push service decrypts it, and the
 * Chrome DevTools Protocol delivers that payload to the app's service worker
 * (ServiceWorker.deliverPushMessage), which shows the notification. Screenshots of the panel at
 * 320, 390x844 and 1280x800, light and dark.
 */
describe.skipIf(!run)('reminders on this device', () => {
  const { browser, server } = browserAndServerPerFile({ env: { PUSH_ALLOW_LOOPBACK_ENDPOINTS: 'true', REMINDER_TICK_SECONDS: '0' } });
  let push: LocalPushService;
  beforeAll(async () => {
    push = await startLocalPushService();
  });
  afterAll(async () => {
    await push?.close();
  });

  async function deviceWithPush(viewport: { width: number; height: number }, colorScheme: 'light' | 'dark' = 'light') {
    const context = await browser.newContext({ viewport, reducedMotion: 'reduce', colorScheme });
    await context.grantPermissions(['notifications'], { origin: server.url });
    const sub = push.subscribe();
    await context.addInitScript((device: LocalSubscription) => {
      const made = {
        endpoint: device.endpoint,
        expirationTime: null,
        options: { applicationServerKey: null, userVisibleOnly: true },
        toJSON: () => ({ endpoint: device.endpoint, expirationTime: null, keys: device.keys }),
        unsubscribe: async () => true,
        getKey: () => null,
      };
      PushManager.prototype.subscribe = async () => made as unknown as PushSubscription;
      PushManager.prototype.getSubscription = async () => null;
    }, sub);
    const page = await context.newPage();
    return { context, page, sub };
  }

  async function openRoom(page: Page): Promise<void> {
    await page.goto(`${server.url}/start`);
    await page.getByLabel('Your first name').fill('Sam');
    await page.getByLabel('I have read these').check();
    await page.getByRole('button', { name: 'Open our room' }).click();
    await page.getByRole('heading', { name: 'Bring your partner in' }).waitFor();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
  }

  async function openPanel(page: Page): Promise<void> {
    await page.locator('summary', { hasText: 'Room' }).click();
    await page.getByRole('button', { name: /^Reminders on this device/ }).click();
    await page.getByRole('dialog', { name: 'Reminders on this device' }).waitFor();
    await page.getByRole('button', { name: 'Turn on reminders' }).waitFor();
  }

  it('turns on by a tap, a due review arrives encrypted and neutral, and the service worker shows it', async () => {
    const { context, page, sub } = await deviceWithPush(PHONE);
    await openRoom(page);
    await openPanel(page);
    const dialog = page.getByRole('dialog', { name: 'Reminders on this device' });
    await expect(dialog.getByRole('radio', { name: /Just “Common Ground: A reminder”/ }).isChecked()).resolves.toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Turn on reminders' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Reminders are on for this device.' }).waitFor();
    await expect(dialog.getByRole('button', { name: 'Turn off reminders' }).isVisible()).resolves.toBe(true);

    // a review whose day (and hour) has come, proposed from another socket of this same device
    const { roomId, deviceToken } = await seatOnDevice(page);
    const socket = await connectClient(server.url);
    try {
      expect(await request(socket, 'room:join', { roomId, deviceToken })).toMatchObject({ ok: true });
      const now = Date.now();
      const reviewOn = new Date(now).getHours() >= 9 ? dayOf(now) : dayOf(now - 24 * 60 * 60 * 1000);
      expect(await request(socket, 'agreement:propose', { title: 'We walk before we talk', category: 'communication', reviewOn })).toMatchObject({ ok: true });
    } finally {
      socket.disconnect();
    }
    expect(await server.app.reminders.tick()).toMatchObject({ sent: 1 });
    const received = push.received.filter((m) => sub.endpoint.endsWith(m.path));
    expect(received).toHaveLength(1);
    expect(received[0]!.headers['content-encoding']).toBe('aes128gcm');
    expect(received[0]!.payload).toEqual({ title: 'Common Ground', body: 'A reminder', url: `/room/${roomId}`, tag: 'common-ground-reminder' });

    // what the push service would hand the browser: delivered to the app's service worker
    const cdp = await context.newCDPSession(page);
    const registrations = new Map<string, string>();
    cdp.on('ServiceWorker.workerRegistrationUpdated', (event: { registrations: Array<{ registrationId: string; scopeURL: string; isDeleted: boolean }> }) => {
      for (const r of event.registrations) if (!r.isDeleted) registrations.set(r.scopeURL, r.registrationId);
    });
    await cdp.send('ServiceWorker.enable');
    await expect.poll(() => registrations.get(`${server.url}/`), { timeout: 10_000 }).toBeDefined();
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: server.url,
      registrationId: registrations.get(`${server.url}/`)!,
      data: JSON.stringify(received[0]!.payload),
    });
    const shown = () =>
      page.evaluate(async () => {
        const reg = await navigator.serviceWorker.ready;
        return (await reg.getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data as unknown }));
      });
    await expect.poll(shown, { timeout: 10_000 }).toEqual([{ title: 'Common Ground', body: 'A reminder', tag: 'common-ground-reminder', data: { url: `/room/${roomId}` } }]);

    // a message that is not the app's JSON still shows only the neutral words
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: server.url, registrationId: registrations.get(`${server.url}/`)!, data: 'not json' });
    await expect.poll(async () => (await shown()).map((n) => n.body), { timeout: 10_000 }).toEqual(['A reminder']);

    // turning off on this device: the server forgets it
    await dialog.getByRole('button', { name: 'Turn off reminders' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Reminders are off for this device.' }).waitFor();
    await context.close();
  });

  it('on an iPhone outside the Home Screen, says push needs the app added there and how', async () => {
    const context = await browser.newContext({
      viewport: PHONE,
      reducedMotion: 'reduce',
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    });
    const page = await context.newPage();
    await openRoom(page);
    await page.locator('summary', { hasText: 'Room' }).click();
    await page.getByRole('button', { name: /^Reminders on this device/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Reminders on this device' });
    await dialog.getByText('only once Common Ground is on your Home Screen (iOS 16.4 or later)').waitFor();
    await dialog.getByText('Add to Home Screen').waitFor();
    await expect(dialog.getByRole('button', { name: 'Turn on reminders' }).count()).resolves.toBe(0);
    await settled(page);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/reminders-iphone-install-phone.png` });
    await context.close();
  });

  it('offline before the panel was ever loaded, the menu says reminders can be set up once online, and the room stays', async () => {
    const { context, page } = await deviceWithPush(PHONE);
    await openRoom(page);
    await context.setOffline(true);
    await page.locator('summary', { hasText: 'Room' }).click();
    await page.getByRole('button', { name: /^Reminders on this device/ }).click();
    await page.getByRole('status').filter({ hasText: 'Reminders can be set up once this device is online again.' }).waitFor();
    await expect(page.getByRole('heading', { name: 'Bring your partner in' }).isVisible()).resolves.toBe(true);
    await context.setOffline(false);
    await context.close();
  });

  it('screenshots of the panel at 320, 390x844 and 1280x800, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const [name, viewport] of [
        ['320', { width: 320, height: 640 }],
        ['390', PHONE],
        ['1280', LAPTOP],
      ] as const) {
        const { context, page } = await deviceWithPush(viewport, colorScheme);
        await openRoom(page);
        await openPanel(page);
        await settled(page);
        await page.screenshot({ path: `${SCREENSHOT_DIR}/reminders-panel-${name}-${colorScheme}.png`, animations: 'disabled' });
        // contrast in both schemes, and at the narrowest size nothing wider than the screen
        expect(await seriousViolations(page)).toEqual([]);
        if (viewport.width === 320) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
        await context.close();
      }
    }
  });
});
