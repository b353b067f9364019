import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { LevelCompactor } from '../storage/level/levelCompaction';
import { LevelDocStore } from '../storage/level/levelDocStore';
import { applyClientUpdate } from '../../test/support/roomDocumentsKit';
import { RoomDocuments } from './roomDocuments';

it('[RD-10] what a client was told is stored survives closing and reopening the LevelDB folder', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cg-roomdocs-'));
  const open = async () => {
    const db = new ClassicLevel<string, string>(dir, { valueEncoding: 'utf8' });
    await db.open();
    const docs = new RoomDocuments({ store: new LevelDocStore(db.sublevel<string, Uint8Array>('docs', { valueEncoding: 'view' }), new LevelCompactor(db)), compactEvery: 3 });
    return { db, docs };
  };
  try {
    const first = await open();
    await first.docs.open('r', 'agreements');
    const client = new Y.Doc();
    client.on('update', (u: Uint8Array) => void applyClientUpdate(first.docs, 'r', 'agreements', u, { kind: 'client', socketId: 's' }));
    const entries = client.getMap<Y.Map<string>>('agreements');
    entries.set('a1', new Y.Map<string>([['title', 'Kept']]));
    entries.get('a1')?.set('state', 'agreed');
    entries.set('a2', new Y.Map<string>([['title', 'Also kept']]));
    // not released: a crash-like stop without the compaction a release would do
    await applyClientUpdate(first.docs, 'r', 'agreements', new Uint8Array([0, 0]), { kind: 'client', socketId: 's' });
    first.docs.discardRoom('r');
    await first.db.close();

    const second = await open();
    const handle = await second.docs.open('r', 'agreements');
    expect(handle.doc.getMap('agreements').toJSON()).toEqual({ a1: { title: 'Kept', state: 'agreed' }, a2: { title: 'Also kept' } });
    await handle.release();
    await second.db.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
