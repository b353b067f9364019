// Socket.IO, Engine.IO, their parser and adapters call their `debug` logger several times for
// every packet. With DEBUG unset each call still gathers its arguments into an array and asks a
// getter whether the namespace is on: at 1,000 rooms that was about 5% of the server's CPU per
// edit, plus the garbage (docs/benchmarks.md). When nobody asked for that output, those libraries
// get a logger that does nothing, before they load. With DEBUG set (for example
// `DEBUG=socket.io:* npm start`) nothing is replaced and their logs work as documented.
//
// This module must be imported before anything that imports socket.io: app.ts imports it first.
import Module, { createRequire } from 'node:module';

/** The libraries on the per-packet path; each may bring its own copy of `debug`. */
const LIBRARIES = ['socket.io', 'engine.io', 'socket.io-parser', 'socket.io-adapter', '@socket.io/redis-adapter'];

type SilentDebug = (() => void) & { enabled: boolean; namespace: string; extend: () => SilentDebug; log: () => void; destroy: () => boolean };

// One shared function, so every call site sees the same tiny callee and V8 can inline it away.
const silent = (() => {}) as SilentDebug;
silent.enabled = false;
silent.namespace = '';
silent.extend = () => silent;
silent.log = () => {};
silent.destroy = () => false;

// The shape of `debug`'s export that these libraries use: the factory itself, `.default` (from
// TypeScript's CommonJS output) and `.debug` (socket.io-adapter).
function createSilentDebug(): SilentDebug {
  return silent;
}
const silentModule = Object.assign(createSilentDebug, {
  default: createSilentDebug,
  debug: createSilentDebug,
  enable: () => {},
  disable: () => '',
  enabled: () => false,
  names: [] as RegExp[],
  skips: [] as RegExp[],
  formatters: {},
});

/** The `debug` module files these libraries would load (those installed); exported for the test. */
export function libraryDebugPaths(): string[] {
  const fromRoot = createRequire(import.meta.url);
  const paths = new Set<string>();
  for (const library of LIBRARIES) {
    let entry: string;
    try {
      entry = fromRoot.resolve(library);
    } catch {
      continue; // not installed (the Redis adapter is optional at run time)
    }
    try {
      paths.add(createRequire(entry).resolve('debug'));
    } catch {
      // this version does not use debug
    }
  }
  return [...paths];
}

let installed = false;

/** Replaces the libraries' `debug` with a silent one unless DEBUG asks for output. Idempotent. */
export function quietLibraryDebug(env: NodeJS.ProcessEnv = process.env): boolean {
  if (installed) return true;
  if (env.DEBUG) return false;
  const cache = createRequire(import.meta.url).cache;
  for (const file of libraryDebugPaths()) {
    // A cache entry that is already loaded is what `require(file)` returns from then on, so the
    // real module (and the terminal probing it does on load) is never run.
    const entry = cache[file] ?? new Module(file);
    entry.filename = file;
    entry.loaded = true;
    entry.exports = silentModule;
    cache[file] = entry;
  }
  installed = true;
  return true;
}

/** Whether every library on the packet path gets the silent logger (for the tests). */
export function libraryDebugIsQuiet(): boolean {
  const cache = createRequire(import.meta.url).cache;
  const paths = libraryDebugPaths();
  return paths.length > 0 && paths.every((file) => cache[file]?.exports === silentModule);
}

quietLibraryDebug();
