import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StepKind } from '../../shared/content/packSchema';
import { PackLibrary, defaultPacksDir, loadPacks } from './packLoader';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cg-packs-'));
  tempDirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function realPackJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(defaultPacksDir, name), 'utf8')) as Record<string, unknown>;
}

describe('loadPacks', () => {
  it('validates every real pack', () => {
    const packs = loadPacks();
    expect(packs.length).toBeGreaterThanOrEqual(6);
    for (const pack of packs) {
      expect(pack.steps.length, pack.id).toBeGreaterThanOrEqual(3);
      expect(pack.steps.length, pack.id).toBeLessThanOrEqual(6);
      expect(new Set(pack.steps.map((s) => s.kind)).size, `${pack.id} mixes kinds`).toBeGreaterThan(1);
    }
  });

  it('every real pack with an agreement step ends with it, and at least one step is speaker-listener', () => {
    for (const pack of loadPacks()) {
      const kinds = pack.steps.map((s) => s.kind);
      if (kinds.includes(StepKind.Agreement)) expect(kinds.at(-1), pack.id).toBe(StepKind.Agreement);
      expect(kinds, pack.id).toContain(StepKind.SpeakerListener);
    }
  });

  it('refuses a malformed pack, naming the file and the field path', () => {
    const dir = tempDir();
    const pack = realPackJson('boundaries-together.json');
    (pack.steps as Record<string, unknown>[])[2]!.kind = 'lecture';
    writeFileSync(path.join(dir, 'boundaries.json'), JSON.stringify(pack));
    expect(() => loadPacks(dir)).toThrowError(/boundaries\.json: steps\.2\.kind: /);
  });

  it('refuses unknown keys and names where they are', () => {
    const dir = tempDir();
    const pack = realPackJson('weekly-check-in.json');
    (pack.steps as Record<string, unknown>[])[0]!.colour = 'blue';
    writeFileSync(path.join(dir, 'weekly.json'), JSON.stringify(pack));
    expect(() => loadPacks(dir)).toThrowError(/weekly\.json: steps\.0: .*colour/);
  });

  it('refuses a file that is not JSON', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'broken.json'), '{ "id": ');
    expect(() => loadPacks(dir)).toThrowError(/broken\.json: .*not valid JSON/);
  });

  it('refuses duplicate pack ids across files', () => {
    const dir = tempDir();
    const pack = realPackJson('weekly-check-in.json');
    writeFileSync(path.join(dir, 'a.json'), JSON.stringify(pack));
    writeFileSync(path.join(dir, 'b.json'), JSON.stringify({ ...pack, title: 'Another' }));
    expect(() => loadPacks(dir)).toThrowError(/b\.json: id: .*weekly-check-in.*a\.json/);
  });

  it('refuses duplicate step ids inside a pack', () => {
    const dir = tempDir();
    const pack = realPackJson('weekly-check-in.json');
    const steps = pack.steps as Record<string, unknown>[];
    steps[1]!.id = steps[0]!.id;
    writeFileSync(path.join(dir, 'dup.json'), JSON.stringify(pack));
    expect(() => loadPacks(dir)).toThrowError(/dup\.json: steps\.1\.id: /);
  });

  it('refuses an empty folder', () => {
    expect(() => loadPacks(tempDir())).toThrowError(/no session packs/);
  });
});

describe('PackLibrary', () => {
  it('gets packs by id and lists summaries in order', () => {
    const library = PackLibrary.load();
    const list = library.list();
    expect(list.map((p) => p.order)).toEqual([...list.map((p) => p.order)].sort((a, b) => a - b));
    expect(list[0]).not.toHaveProperty('steps');
    expect(list[0]!.stepCount).toBeGreaterThan(0);
    expect(library.get(list[0]!.id)?.id).toBe(list[0]!.id);
    expect(library.get('no-such-pack')).toBeUndefined();
  });

  it('refuses duplicate ids', () => {
    const [first] = loadPacks();
    expect(() => new PackLibrary([first!, first!])).toThrowError(/Duplicate pack id/);
  });
});
