import { describe, expect, it } from 'vitest';
import { runBenchmark } from './harness';
import { markdown, summaryLine } from './report';

/**
 * Keeps the load harness from rotting: the real harness (server child process, generator
 * child process, /proc sampling) with 10 rooms for a few seconds, against ours, the relay and the
 * Socket.IO relay.
 * It checks the numbers are sane, never how fast they are: timings belong in docs/benchmarks.md.
 */
describe('load harness (smoke)', () => {
  it('drives 10 rooms against ours, the relay and the Socket.IO relay, and every edit arrives', async () => {
    const report = await runBenchmark({
      systems: ['ours', 'relay', 'socket.io-relay'],
      sizes: [10],
      warmupMs: 1500,
      measureMs: 3000,
      drainMs: 5000,
      // every other room runs a guided session, so turn commands are measured too
      turnShare: 0.5,
      search: [],
      log: () => undefined,
    });

    expect(report.runs.map((r) => r.system)).toEqual(['ours', 'relay', 'socket.io-relay']);
    for (const run of report.runs) {
      expect(run.idleRssKb).toBeGreaterThan(0);
      const [phase] = run.phases;
      expect(phase, run.system).toBeDefined();
      if (!phase) continue;
      const { edits, errors } = phase.result;
      expect(errors, run.system).toEqual([]);
      expect(edits.sent, run.system).toBeGreaterThan(0);
      expect(edits.delivered, `${run.system}: every edit delivered`).toBe(edits.sent);
      expect(edits.lost, run.system).toBe(0);
      expect(edits.latencyMs.count, run.system).toBe(edits.sent);
      expect(edits.latencyMs.p50, run.system).toBeGreaterThan(0);
      expect(edits.latencyMs.p99, run.system).toBeGreaterThanOrEqual(edits.latencyMs.p50);
      expect(phase.serverCpuPercent, run.system).toBeGreaterThan(0);
      expect(phase.serverRssKb, run.system).toBeGreaterThan(0);
    }

    const ours = report.runs[0]?.phases[0];
    expect(ours?.result.refusals).toEqual({});
    expect(ours?.result.turns.rooms).toBe(5);
    expect(ours?.result.turns.completed).toBeGreaterThan(0);
    expect(ours?.result.turns.latencyMs.count).toBe(ours?.result.turns.completed);
    // Every room was open during the window, and none is held once its clients left.
    expect(ours?.loadedDocsDuring).toBe(10);
    expect(ours?.loadedDocsAfter).toBe(0);

    expect(markdown(report, '')).toContain('| ours | 10 |');
    expect(summaryLine(report)).toMatch(/^p99 edit latency ratio at 10 rooms: vs hocuspocus –, vs y-websocket –, vs relay \d/);
  }, 120_000);
});
