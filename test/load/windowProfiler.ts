import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * A V8 CPU profile of one stretch of a process's life (the benchmark's measured window), so
 * that start-up and room creation do not blur the steady state. Open with Chrome DevTools.
 *
 * With `BENCH_ALLOCATIONS=1` in the environment it records a sampling allocation profile
 * instead (`.heapprofile` beside the CPU profile's name), counting objects the garbage
 * collector has since freed as well: where the garbage comes from, not what stays. Add
 * `BENCH_ALLOCATIONS_MINOR=0` to leave out what the young generation's collections freed: what
 * is left is what lived long enough to be promoted, the work that makes those collections slow.
 */
export class WindowProfiler {
  private session: Session | null = null;
  private readonly allocations = process.env.BENCH_ALLOCATIONS === '1';

  start(): void {
    if (this.session) return;
    const session = new Session();
    session.connect();
    this.session = session;
    if (this.allocations) {
      void session.post('HeapProfiler.enable').then(() =>
        session.post('HeapProfiler.startSampling', {
          samplingInterval: 32 * 1024,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: process.env.BENCH_ALLOCATIONS_MINOR !== '0',
        }),
      );
    } else {
      void session.post('Profiler.enable').then(() => session.post('Profiler.start'));
    }
  }

  async stop(file: string): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = null;
    if (this.allocations) {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      writeFileSync(file.replace(/\.cpuprofile$/, '.heapprofile'), JSON.stringify(profile));
    } else {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
    }
    session.disconnect();
  }
}
