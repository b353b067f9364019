/**
 * Preloaded into our server process by the harness (`--import` after tsx), never by the app:
 * answers `{ type: 'stats' }` over IPC with how many room documents are held in memory, so the
 * benchmark can check that a room nobody is in is unloaded entirely. It wraps
 * RoomDocuments.prototype.open to learn which instances and documents exist, and asks the
 * public isLoaded() about each.
 *
 * With `--profile`, it also records a V8 CPU profile of the measured window only
 * (`profile-start` / `profile-stop`), so start-up and room creation do not blur the steady state.
 */
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { RoomDocuments } from '../../../server/documents/roomDocuments';
import type { ProbeStats } from '../types';
import { WindowProfiler } from '../windowProfiler';

const instances = new Set<RoomDocuments>();
const seen = new Map<string, [string, string]>();
const open = RoomDocuments.prototype.open;
RoomDocuments.prototype.open = function (this: RoomDocuments, roomId: string, docName: string) {
  instances.add(this);
  seen.set(`${roomId}\u0000${docName}`, [roomId, docName]);
  return open.call(this, roomId, docName);
};

function loadedDocs(): number {
  let count = 0;
  for (const [key, [roomId, docName]] of seen) {
    let loaded = false;
    for (const instance of instances) loaded ||= instance.isLoaded(roomId, docName);
    if (loaded) count += 1;
    else seen.delete(key);
  }
  return count;
}

if (process.send) {
  const profiler = new WindowProfiler();
  process.on('message', (message: { type?: string; file?: string }) => {
    if (message.type === 'profile-start') return profiler.start();
    if (message.type === 'profile-stop' && message.file) return void profiler.stop(message.file);
    if (message.type !== 'stats') return;
    const memory = process.memoryUsage();
    const stats: ProbeStats = { type: 'stats', loadedDocs: loadedDocs(), heapUsed: memory.heapUsed, rss: memory.rss };
    process.send?.(stats);
  });
  process.on('disconnect', () => process.exit(0));
  process.channel?.unref();
}

/** Committed/used MB per V8 heap space (new, old, code, large objects…), to see where RSS goes. */
function spaces(): string {
  return getHeapSpaceStatistics()
    .filter((s) => s.space_size > 0)
    .map((s) => `${s.space_name.replace('_space', '')}=${(s.space_size / 2 ** 20).toFixed(0)}/${(s.space_used_size / 2 ** 20).toFixed(0)}`)
    .join(' ');
}

// Investigation aid: `BENCH_GC_LOG=file` appends one line per garbage collection (start ms,
// duration ms, kind) and, once a second, the event loop's delay over that second (p50, p99, max)
// and the process's memory figures, with V8's heap spaces.
if (process.env.BENCH_GC_LOG) {
  const file = process.env.BENCH_GC_LOG;
  const lines: string[] = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) lines.push(`gc ${e.startTime.toFixed(1)} ${e.duration.toFixed(2)} ${((e as unknown as { detail?: { kind?: number } }).detail)?.kind ?? '?'}`);
  }).observe({ entryTypes: ['gc'] });
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  setInterval(() => {
    const m = process.memoryUsage();
    lines.push(`loop p50 ${(loop.percentile(50) / 1e6).toFixed(1)} p99 ${(loop.percentile(99) / 1e6).toFixed(1)} max ${(loop.max / 1e6).toFixed(1)} ms`);
    loop.reset();
    lines.push(`mem ${performance.now().toFixed(0)} rss ${m.rss >> 20} heapTotal ${m.heapTotal >> 20} heapUsed ${m.heapUsed >> 20} external ${m.external >> 20} arrayBuffers ${m.arrayBuffers >> 20} spaces ${spaces()}`);
    appendFileSync(file, lines.join('\n') + '\n');
    lines.length = 0;
  }, 1000).unref();
}
