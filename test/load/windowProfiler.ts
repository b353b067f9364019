import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * A V8 CPU profile of one stretch of a process's life (the benchmark's measured window), so
 * that start-up and room creation do not blur the steady state. Open with Chrome DevTools.
 */
export class WindowProfiler {
  private session: Session | null = null;

  start(): void {
    if (this.session) return;
    const session = new Session();
    session.connect();
    this.session = session;
    void session.post('Profiler.enable').then(() => session.post('Profiler.start'));
  }

  async stop(file: string): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = null;
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}
