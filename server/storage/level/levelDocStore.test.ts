import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { describe, expect, it } from 'vitest';
import { docStoreContract } from '../../../test/contracts/docStore.contract';
import { LevelCompactor } from './levelCompaction';
import { LevelDocStore } from './levelDocStore';

async function openDb(dir: string) {
  const db = new ClassicLevel<string, string>(dir, { valueEncoding: 'utf8' });
  await db.open();
  return db;
}

async function makeStore() {
  const dir = await mkdtemp(join(tmpdir(), 'cg-docstore-'));
  const db = await openDb(dir);
  // A sublevel as in production, beside a neighbour that must never be touched.
  const neighbour = db.sublevel<string, string>('rooms', { valueEncoding: 'utf8' });
  await neighbour.put('room-1', 'neighbour record');
  const store = new LevelDocStore(db.sublevel<string, Uint8Array>('docs', { valueEncoding: 'view' }), new LevelCompactor(db));
  return {
    store,
    cleanup: async () => {
      expect(await neighbour.get('room-1')).toBe('neighbour record');
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

docStoreContract('LevelDocStore', makeStore);

describe('LevelDocStore', () => {
  it('keeps the log and its sequence across a reopen of the folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cg-docstore-'));
    try {
      let db = await openDb(dir);
      let store = new LevelDocStore(db.sublevel<string, Uint8Array>('docs', { valueEncoding: 'view' }), new LevelCompactor(db));
      await store.append('r', 'agreements', new Uint8Array([1]));
      await store.append('r', 'agreements', new Uint8Array([2]));
      expect(await store.compact('r', 'agreements', () => new Uint8Array([12]))).toBe(2);
      await db.close();

      db = await openDb(dir);
      store = new LevelDocStore(db.sublevel<string, Uint8Array>('docs', { valueEncoding: 'view' }), new LevelCompactor(db));
      expect(await store.append('r', 'agreements', new Uint8Array([3]))).toBe(2);
      expect((await store.load('r', 'agreements')).map((u) => Array.from(u))).toEqual([[12], [3]]);
      await db.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses ids that contain the key separator, and compacts nothing of a log of one update', async () => {
    const { store, cleanup } = await makeStore();
    try {
      await expect(store.append('a!b', 'agreements', new Uint8Array([1]))).rejects.toThrow(TypeError);
      await expect(store.load('a', 'x!y')).rejects.toThrow(TypeError);
      await store.append('a', 'agreements', new Uint8Array([1]));
      expect(await store.compact('a', 'agreements', () => new Uint8Array([9]))).toBe(0);
      expect((await store.load('a', 'agreements')).map((u) => Array.from(u))).toEqual([[1]]);
    } finally {
      await cleanup();
    }
  });
});
