// Weighs the JavaScript the first screen loads (the entry and everything it imports
// statically, gzipped) against the budget, and lists the chunks loaded later on demand.
// Exits 1 when over budget. Run after `vite build` (npm run build does both).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const FIRST_SCREEN_BUDGET_KB = 150;

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist/client');

export function weighBundle() {
  const manifest = JSON.parse(readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8'));
  const gz = (file) => gzipSync(readFileSync(path.join(dist, file))).length / 1024;
  const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
  const first = new Set();
  const visit = (key) => {
    if (first.has(key)) return;
    first.add(key);
    for (const dep of manifest[key].imports ?? []) visit(dep);
  };
  visit(entryKey);
  const chunks = Object.entries(manifest)
    .filter(([, c]) => c.file.endsWith('.js'))
    .map(([key, c]) => ({ name: c.name ?? key, file: c.file, kb: gz(c.file), firstScreen: first.has(key) }));
  const firstScreenKb = chunks.filter((c) => c.firstScreen).reduce((sum, c) => sum + c.kb, 0);
  return { chunks, firstScreenKb };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const { chunks, firstScreenKb } = weighBundle();
  console.log('\nJavaScript, gzipped:');
  for (const c of chunks.sort((a, b) => Number(b.firstScreen) - Number(a.firstScreen) || b.kb - a.kb)) {
    console.log(`  ${c.firstScreen ? 'first screen' : 'on demand   '}  ${c.kb.toFixed(1).padStart(7)} KB  ${c.file}`);
  }
  const over = firstScreenKb > FIRST_SCREEN_BUDGET_KB;
  console.log(`First screen: ${firstScreenKb.toFixed(1)} KB of ${FIRST_SCREEN_BUDGET_KB} KB budget${over ? '  OVER BUDGET' : ''}\n`);
  if (over) process.exit(1);
}
