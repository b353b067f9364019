import type { WebSocketRoute } from 'playwright-core';
import { describe, it } from 'vitest';
import { errorMessages } from '../../shared/protocol/errors';
import { browserTestsCanRun, PHONE } from '../support/browser';
import { useBrowserHarness } from '../support/browserHarness';

const run = browserTestsCanRun();

describe.skipIf(!run)('the slow-connection notice', () => {
  const h = useBrowserHarness();

  it('says in the page\'s own plain words that the connection was slow, it is reconnecting and nothing saved is lost', async () => {
    const page = await h.device(PHONE);
    let socket: WebSocketRoute | null = null;
    await page.routeWebSocket(/socket\.io/, (ws) => {
      socket = ws;
      ws.connectToServer();
    });
    await h.startRoom(page);
    // The frame the server sends a socket that fell too far behind (unsentBufferLimit.ts), with other words than the page's.
    socket!.send('42["connection:closing",{"code":"SLOW_CONNECTION","message":"Your connection fell too far behind."}]');
    await page.locator('.toast').getByText(errorMessages.SLOW_CONNECTION).waitFor();
    await h.shoot(page, 'slow-connection');
  });
});
