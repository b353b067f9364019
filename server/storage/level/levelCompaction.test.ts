import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { describe, expect, it } from 'vitest';
import { LevelCompactor } from './levelCompaction';

const MARKER = 'MARKER-compaction-7f3a9c';

async function filesHolding(dir: string, text: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(dir)) if ((await readFile(join(dir, name))).includes(Buffer.from(text))) out.push(name);
  return out;
}

async function withDb(run: (db: ClassicLevel<string, string>, dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'cg-compaction-'));
  const db = new ClassicLevel<string, string>(dir, { valueEncoding: 'utf8', compression: false });
  await db.open();
  try {
    await run(db, dir);
  } finally {
    if (db.status === 'open') await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

describe('LevelCompactor', () => {
  it('a deleted value is in no file once its range is compacted, even when value and tombstone sit in one young file', async () => {
    await withDb(async (db, dir) => {
      const sub = db.sublevel<string, string>('docs', { valueEncoding: 'utf8' });
      await sub.put('room1!a', MARKER);
      await sub.put('room3!a', 'a neighbour');
      await sub.del('room1!a');
      expect(await filesHolding(dir, MARKER)).not.toEqual([]);
      await new LevelCompactor(db).compact(sub, 'room1!', 'room1"');
      expect(await filesHolding(dir, MARKER)).toEqual([]);
      expect(await sub.get('room3!a')).toBe('a neighbour');
    });
  });

  it('a range compacted while a read holds a snapshot is compacted again, at the latest on close', async () => {
    await withDb(async (db, dir) => {
      const sub = db.sublevel<string, string>('docs', { valueEncoding: 'utf8' });
      await sub.put('room1!a', MARKER);
      await sub.put('room9!a', 'another room');
      const reading = sub.iterator();
      await reading.next();
      await sub.del('room1!a');
      const compactor = new LevelCompactor(db, 60_000);
      await compactor.compact(sub, 'room1!', 'room1"');
      // The open iterator still sees the value, so the first pass had to keep it.
      expect(await filesHolding(dir, MARKER)).not.toEqual([]);
      await reading.close();
      await compactor.close();
      await db.close();
      expect(await filesHolding(dir, MARKER)).toEqual([]);
    });
  });
});
