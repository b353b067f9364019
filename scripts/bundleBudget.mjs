// Weighs what each screen loads (its JavaScript and CSS, gzipped: the entry and everything the
// screen's chunks import statically) against its budget, and lists the chunks loaded later on
// demand. Exits 1 when a screen is over budget. Run after `vite build` (npm run build does both).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * Each screen: the chunks it opens (manifest keys, beside the entry) and its budget in KB of
 * gzip. A room on a phone shows one tab: Talk loads the room and its sessions; the agreements
 * add the editor and Yjs. The QR code's library loads only while an invite is shown.
 */
export const SCREENS = [
  { name: 'first screen', opens: [], budgetKb: 100 },
  { name: 'room, Talk tab', opens: ['src/screens/RoomPage.tsx', 'src/sessions/SessionPanel.tsx'], budgetKb: 200 },
  { name: 'room, agreements', opens: ['src/screens/RoomPage.tsx', 'src/sessions/SessionPanel.tsx', 'src/agreements/AgreementsPanel.tsx'], budgetKb: 320 },
];
/** Vite's own warning threshold: no chunk larger than this, minified, before gzip. */
export const CHUNK_LIMIT_KB = 500;

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist/client');

export function weighBundle() {
  const manifest = JSON.parse(readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8'));
  const read = (file) => readFileSync(path.join(dist, file));
  const gz = (file) => gzipSync(read(file)).length / 1024;
  const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
  /** The files a chunk brings with it: itself, what it imports statically, and their CSS. */
  const filesOf = (keys) => {
    const seen = new Set();
    const files = new Set();
    const visit = (key) => {
      if (seen.has(key) || !manifest[key]) return;
      seen.add(key);
      files.add(manifest[key].file);
      for (const css of manifest[key].css ?? []) files.add(css);
      for (const dep of manifest[key].imports ?? []) visit(dep);
    };
    for (const key of keys) visit(key);
    return files;
  };
  const first = filesOf([entryKey]);
  const screens = SCREENS.map((screen) => {
    for (const key of screen.opens) if (!manifest[key]) throw new Error(`${key} is no chunk of its own in the build`);
    const files = [...filesOf([entryKey, ...screen.opens])];
    return { ...screen, files, kb: files.reduce((sum, file) => sum + gz(file), 0) + gz('index.html') };
  });
  const chunks = Object.values(manifest)
    .filter((c) => c.file.endsWith('.js'))
    .map((c) => ({ name: c.name, file: c.file, kb: gz(c.file), rawKb: read(c.file).length / 1024, firstScreen: first.has(c.file) }));
  const firstScreenKb = screens[0].kb;
  return { chunks, screens, firstScreenKb };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const { chunks, screens } = weighBundle();
  console.log('\nJavaScript, gzipped:');
  for (const c of chunks.sort((a, b) => Number(b.firstScreen) - Number(a.firstScreen) || b.kb - a.kb)) {
    console.log(`  ${c.firstScreen ? 'first screen' : 'on demand   '}  ${c.kb.toFixed(1).padStart(7)} KB  ${c.file}`);
  }
  console.log('\nPer screen, JavaScript, CSS and the page, gzipped:');
  let over = false;
  for (const s of screens) {
    const isOver = s.kb > s.budgetKb;
    over ||= isOver;
    console.log(`  ${s.name.padEnd(18)} ${s.kb.toFixed(1).padStart(7)} KB of ${s.budgetKb} KB${isOver ? '  OVER BUDGET' : ''}`);
  }
  const big = chunks.filter((c) => c.rawKb > CHUNK_LIMIT_KB);
  for (const c of big) console.log(`  ${c.file} is ${c.rawKb.toFixed(0)} KB minified, over ${CHUNK_LIMIT_KB} KB`);
  console.log('');
  if (over || big.length > 0) process.exit(1);
}
