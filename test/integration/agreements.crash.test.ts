import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { afterEach, expect, it } from 'vitest';
import { addAgreement, readDrafts } from '../../shared/agreements';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { createRoomOverHttp } from '../support/socketClient';
import { YjsDocClient } from '../support/yjsDocClient';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

it('SIGKILL of the server loses no acknowledged update: a restart on the same DATA_DIR has them all', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cg-crash-'));
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const first: ServerProcess = await startServerProcess({ DATA_DIR: dataDir });
  cleanup.push(() => first.kill());

  const room = await createRoomOverHttp(first.url, 'Sam');
  const credentials = { roomId: room.roomId, deviceToken: room.deviceToken };
  const writer = await YjsDocClient.connect(first.url, credentials);
  cleanup.push(() => writer.close());

  const titles: string[] = [];
  for (let i = 0; i < 30; i++) {
    titles.push(`Agreement ${i}`);
    addAgreement(writer.doc, { title: `Agreement ${i}`, category: 'other' });
  }
  writer.doc.getText('scratch').insert(0, 'typed before the crash');
  await writer.settled();
  expect(writer.refusals).toEqual([]);

  // No shutdown code runs: what was acknowledged must already be on disk.
  await first.kill();
  writer.close();

  const second = await startServerProcess({ DATA_DIR: dataDir });
  cleanup.push(() => second.kill());
  const reader = await YjsDocClient.connect(second.url, credentials);
  cleanup.push(() => reader.close());
  expect(readDrafts(reader.doc).map((a) => a.title).sort()).toEqual([...titles].sort());
  expect(reader.doc.getText('scratch').toString()).toBe('typed before the crash');
  expect(Y.encodeStateAsUpdate(reader.doc).byteLength).toBeGreaterThan(0);
});
