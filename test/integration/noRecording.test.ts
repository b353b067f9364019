import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * "Never recorded" (issue 22): no code path of the app, the server or the shared code may record
 * audio. The one browser API that records a media stream is searched for in every source file,
 * and in the built client when there is one; the name is assembled here so this file does not
 * find itself.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RECORDER = ['Media', 'Recorder'].join('');
const SOURCE = /\.(ts|tsx|js|mjs|cjs|jsx|html)$/;

function filesUnder(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : SOURCE.test(name) ? [full] : [];
  });
}

describe('nothing records audio', () => {
  it(`no source file of client, server, shared, scripts or test names ${RECORDER}`, () => {
    const files = ['client', 'server', 'shared', 'scripts', 'test'].flatMap((dir) => filesUnder(path.join(root, dir)));
    expect(files.length).toBeGreaterThan(100);
    const found = files.filter((file) => readFileSync(file, 'utf8').includes(RECORDER)).map((file) => path.relative(root, file));
    expect(found).toEqual([]);
  });

  it('nor does the built client, when it is built', () => {
    const built = filesUnder(path.join(root, 'dist', 'client'));
    const found = built.filter((file) => readFileSync(file, 'utf8').includes(RECORDER)).map((file) => path.relative(root, file));
    expect(found).toEqual([]);
  });
});
