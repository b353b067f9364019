import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { clientDist } from '../../server/app';
import { browserTestsCanRun, LAPTOP, PHONE } from '../support/browser';
import { useBrowserHarness } from '../support/browserHarness';
import { openWorkspaceRoom, partnersComeIn } from '../support/moderatedRoom';

const run = browserTestsCanRun();
const STARTER = 'We ask before we assume';

/** Where a device marks the rooms it forgot, and why: the one thing it keeps of a room that is gone. */
const FORGOTTEN_KEY = 'commonground.forgotten.v1';

/**
 * What a device keeps that names the room: IndexedDB databases, and storage entries whose key or
 * value mentions it. The marker of why the room was forgotten is set aside: forgottenMarker
 * checks it holds that and nothing else.
 */
async function keptOnDevice(page: Page, roomId: string): Promise<{ databases: string[]; storage: string[] }> {
  return page.evaluate(
    async ([id, marker]) => {
      const databases = (await indexedDB.databases()).map((db) => db.name ?? '').filter((name) => name.includes(id));
      const storage: string[] = [];
      for (const [kind, area] of [
        ['localStorage', localStorage],
        ['sessionStorage', sessionStorage],
      ] as const) {
        for (let i = 0; i < area.length; i++) {
          const key = area.key(i)!;
          if (kind === 'localStorage' && key === marker) continue;
          if (key.includes(id) || (area.getItem(key) ?? '').includes(id)) storage.push(`${kind}:${key}`);
        }
      }
      return { databases, storage };
    },
    [roomId, FORGOTTEN_KEY] as const,
  );
}

/** The device's marker of forgotten rooms: room id to why, no names, nothing anyone wrote. */
async function forgottenMarker(page: Page): Promise<unknown> {
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null') as unknown, FORGOTTEN_KEY);
}

/** The number of Yjs updates the device's copy of the agreements holds (y-indexeddb's `updates` store). */
async function storedUpdates(page: Page, roomId: string): Promise<number> {
  return page.evaluate(
    (name) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('updates')) {
            db.close();
            return resolve(0);
          }
          const count = db.transaction('updates').objectStore('updates').count();
          count.onsuccess = () => {
            db.close();
            resolve(count.result);
          };
        };
      }),
    `common-ground:${roomId}:agreements`,
  );
}

/** Records every Content-Security-Policy violation the page reports, from its first script on. */
async function watchPolicy(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.push(message.text());
  });
  await page.exposeFunction('__reportViolation', (text: string) => seen.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { __reportViolation(t: string): void }).__reportViolation(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return seen;
}

describe.skipIf(!run)('a room that is gone leaves nothing on the devices', () => {
  const h = useBrowserHarness();

  /** Sam on a phone opens the room, Alex comes in on a laptop; both write in the agreements, kept on each device. */
  async function roomWithCopies(): Promise<{ sam: Page; alex: Page; roomId: string; violations: () => string[] }> {
    const sam = await h.device(PHONE);
    const alex = await h.device(LAPTOP);
    const samSeen = await watchPolicy(sam);
    const alexSeen = await watchPolicy(alex);
    const link = await h.startRoom(sam);
    await h.comeIn(alex, link, 'Alex');
    await alex.getByText('You are both here').waitFor();
    const roomId = new URL(alex.url()).pathname.split('/').pop()!;
    await sam.getByRole('button', { name: 'Our agreements' }).click();
    await sam.getByRole('button', { name: `Start from this: ${STARTER}` }).click();
    const body = alex.locator('article.agreement').first().getByRole('textbox', { name: /^What we agree:/ });
    await body.click();
    await alex.keyboard.press('Control+End');
    await alex.keyboard.type(' Written by Alex.');
    await sam.getByText('Written by Alex.').first().waitFor();
    // Both devices keep a copy of the agreements and their seat (the state every later check starts from).
    await expect.poll(() => storedUpdates(alex, roomId)).toBeGreaterThan(0);
    await expect.poll(() => storedUpdates(sam, roomId)).toBeGreaterThan(0);
    expect((await keptOnDevice(alex, roomId)).storage).toContain('localStorage:commonground.seats.v1');
    return { sam, alex, roomId, violations: () => [...samSeen, ...alexSeen] };
  }

  async function deleteRoom(page: Page): Promise<void> {
    await page.locator('details.room-menu > summary').click();
    await page.getByRole('button', { name: /^Delete this room/ }).click();
    await page.getByRole('button', { name: 'Delete everything' }).click();
  }

  const nothingKept = { databases: [], storage: [] };

  it('deleted by the other partner: the live device deletes its IndexedDB copy and its seat at once, and says who deleted it; the deleter too', async () => {
    const { sam, alex, roomId, violations } = await roomWithCopies();
    await deleteRoom(sam);
    await alex.getByRole('heading', { name: 'Sam deleted this room' }).waitFor();
    await alex.getByText('Everything in it is gone').waitFor();
    await sam.getByRole('heading', { name: 'You deleted this room' }).waitFor();
    await expect.poll(() => keptOnDevice(alex, roomId)).toEqual(nothingKept);
    await expect.poll(() => keptOnDevice(sam, roomId)).toEqual(nothingKept);
    // the marker keeps who deleted the room (the name the room had for them), nothing anyone wrote
    expect(await forgottenMarker(alex)).toEqual({ [roomId]: { why: 'deleted', by: { you: false, name: 'Sam' } } });
    expect(await forgottenMarker(sam)).toEqual({ [roomId]: { why: 'deleted', by: { you: true } } });
    // Opened again, the room says who deleted it: not that the device has no seat.
    await alex.reload();
    await alex.getByRole('heading', { name: 'Sam deleted this room' }).waitFor();
    await alex.getByText('Everything in it is gone').waitFor();
    // Editing side by side, with the other's caret, ran under the policy without an exception.
    expect(violations()).toEqual([]);
  });

  it('deleted while the device was away: it forgets the room when it comes back (ROOM_NOT_FOUND)', async () => {
    const { sam, alex, roomId } = await roomWithCopies();
    const roomUrl = alex.url();
    await alex.goto(`${h.server().url}/help`);
    await deleteRoom(sam);
    await sam.getByRole('heading', { name: 'You deleted this room' }).waitFor();
    // Still on the device while it was away.
    expect((await keptOnDevice(alex, roomId)).databases).not.toEqual([]);
    await alex.goto(roomUrl);
    await alex.getByRole('heading', { name: 'This room is no longer here' }).waitFor();
    await expect.poll(() => keptOnDevice(alex, roomId)).toEqual(nothingKept);
    expect(await forgottenMarker(alex)).toEqual({ [roomId]: 'deleted' });
  });

  it('a seat moved to a new device: the old device hears seat:revoked and deletes its copy and its token', async () => {
    const { sam, alex, roomId } = await roomWithCopies();
    await sam.locator('details.room-menu > summary').click();
    await sam.getByRole('button', { name: /^Move Alex’s seat to a new phone/ }).click();
    await sam.getByRole('button', { name: 'Make a new invite', exact: true }).click();
    await alex.getByRole('heading', { name: 'This device was signed out' }).waitFor();
    await expect.poll(() => keptOnDevice(alex, roomId)).toEqual(nothingKept);
    expect(await forgottenMarker(alex)).toEqual({ [roomId]: 'signed-out' });
    await alex.reload();
    await alex.getByRole('heading', { name: 'This device was signed out of this room' }).waitFor();
  });
});

describe.skipIf(!run)('a counsellor\'s room that is gone leaves nothing on the counsellor\'s device', () => {
  const h = useBrowserHarness();

  it('a partner deletes the room: the workspace drops its invites and the partners\' devices their copies', async () => {
    const counsellor = await h.device(LAPTOP);
    const links = await openWorkspaceRoom(counsellor, h.server().url);
    const { jo, rae } = await partnersComeIn(h.device, counsellor, links);
    const roomId = new URL(jo.url()).pathname.split('/').pop()!;
    // The workspace keeps the room's invites on its device until the room goes.
    expect((await keptOnDevice(counsellor, roomId)).storage).toEqual(['localStorage:commonground.counsellor.v1']);

    await jo.locator('details.room-menu > summary').click();
    await jo.getByRole('button', { name: /^Delete this room/ }).click();
    await jo.getByRole('button', { name: 'Delete everything' }).click();
    await rae.getByRole('heading', { name: 'Jo deleted this room' }).waitFor();
    await expect.poll(() => keptOnDevice(counsellor, roomId)).toEqual({ databases: [], storage: [] });
    await expect.poll(() => keptOnDevice(rae, roomId)).toEqual({ databases: [], storage: [] });
    await expect.poll(() => keptOnDevice(jo, roomId)).toEqual({ databases: [], storage: [] });
    // The workspace itself stays: its key is still on the device.
    expect(await counsellor.evaluate(() => localStorage.getItem('commonground.counsellor.v1'))).toContain('"key"');
  });
  it('the workspace moves to another device: the old one keeps neither its key nor any copy of the room', async () => {
    const counsellor = await h.device(LAPTOP);
    const links = await openWorkspaceRoom(counsellor, h.server().url);
    await partnersComeIn(h.device, counsellor, links);
    const roomId = await counsellor.evaluate(() => Object.keys(JSON.parse(localStorage.getItem('commonground.counsellor.v1') ?? '{}').invites ?? {})[0] ?? '');
    expect(roomId).not.toBe('');
    // The counsellor opens the room, so the device holds a copy of its agreements, then goes back to the workspace.
    await counsellor.getByRole('button', { name: 'Open room' }).click();
    await expect.poll(async () => (await keptOnDevice(counsellor, roomId)).databases.length).toBeGreaterThan(0);
    await counsellor.goto(`${h.server().url}/counsellor`);
    await counsellor.getByRole('button', { name: 'Open room' }).waitFor();
    const newLaptop = await h.device(LAPTOP);
    await newLaptop.goto(`${h.server().url}/counsellor`);
    await newLaptop.getByLabel('Recovery code').fill(links.recoveryCode);
    await newLaptop.getByRole('button', { name: 'Move my workspace to this device' }).click();
    await newLaptop.getByText('This is your recovery code').waitFor();
    await expect.poll(() => keptOnDevice(counsellor, roomId)).toEqual({ databases: [], storage: [] });
    expect(await counsellor.evaluate(() => localStorage.getItem('commonground.counsellor.v1'))).toBeNull();
  });
});

describe('the production build ships no source maps', () => {
  it('no .map file in dist/client, and no sourceMappingURL in any script or stylesheet', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else files.push(full);
      }
    };
    walk(clientDist);
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => /\.(js|css|mjs)$/.test(f) && readFileSync(f, 'utf8').includes('sourceMappingURL'))).toEqual([]);
  });
});
