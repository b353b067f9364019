import { describe, expect, it } from 'vitest';
import { BROWSER_DEFAULTS, browserLatencyMarkdown, spread, type BrowserLatencyReport } from '../../bench/browserLatencyReport';

describe('the browser phase report', () => {
  it('takes nearest-rank percentiles', () => {
    const s = spread(Array.from({ length: 200 }, (_, i) => 200 - i));
    expect(s).toEqual({ count: 200, p50: 100, p90: 180, p99: 198, max: 200 });
    expect(spread([7])).toEqual({ count: 1, p50: 7, p90: 7, p99: 7, max: 7 });
  });

  it('writes each figure beside its target, and the earlier run beside it when given', () => {
    const r: BrowserLatencyReport = {
      startedAt: '2026-12-01T17:00:00.000Z',
      chromium: '140',
      machine: 'a CPU, 2 cores',
      options: BROWSER_DEFAULTS,
      keystrokeMs: spread([10, 12, 14]),
      docMessagesPerKeystroke: 1.5,
      commandMs: spread([15, 20]),
      editorReadyMs: spread([700, 750]),
    };
    const alone = browserLatencyMarkdown(r).join('\n');
    expect(alone).toContain('| keystroke to the partner’s screen | p50 ≤ 20, p99 ≤ 50 | 12 | 14 | 14 | 14 | 3 |');
    expect(alone).not.toContain('before: p50');
    const beside = browserLatencyMarkdown(r, { ...r, label: 'the client that held edits 80 ms', keystrokeMs: spread([88, 94]) }).join('\n');
    expect(beside).toContain('| 3 | 88 / 94 |');
    expect(beside).toContain('Before: the client that held edits 80 ms (run started');
  });
});
