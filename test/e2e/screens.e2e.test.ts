import { existsSync, readdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { counsellorScreenshots } from '../../scripts/counsellorScreenshots';
import { roomScreenshots } from '../../scripts/roomScreenshots';
import { browserTestsCanRun, SCREENSHOT_DIR } from '../support/browser';
import { browserAndServerPerFile } from '../support/browserHarness';

const run = browserTestsCanRun();

/**
 * Every screen at 390×844 and 1280×800, kept in test-results/screenshots as artefacts for a
 * person to look at. The walk itself checks that each screen appears.
 */
describe.skipIf(!run)('screenshots of every screen', () => {
  const { browser, server } = browserAndServerPerFile();

  it('walks pairing, the room, agreements, guided sessions and the counsellor screens at both sizes', async () => {
    const started = Date.now();
    await roomScreenshots(server, browser, SCREENSHOT_DIR);
    await counsellorScreenshots(server, browser, SCREENSHOT_DIR);
    const fresh = readdirSync(SCREENSHOT_DIR).filter((f) => f.endsWith('.png') && statSync(`${SCREENSHOT_DIR}/${f}`).mtimeMs >= started);
    for (const name of ['landing', 'help', 'room-waiting', 'agreements-agreed', 'session-speaker', 'session-break-other', 'counsellor-room-live', 'unreachable']) {
      for (const size of ['phone', 'laptop']) expect(existsSync(`${SCREENSHOT_DIR}/${name}-${size}.png`), `${name}-${size}`).toBe(true);
    }
    expect(fresh.length).toBeGreaterThan(80);
  }, 240_000);
});
