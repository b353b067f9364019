import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { FIRST_SCREEN_BUDGET_KB, weighBundle } from '../../scripts/bundleBudget.mjs';

describe('bundle budget', () => {
  it(`the first screen loads at most ${FIRST_SCREEN_BUDGET_KB} KB of gzipped JavaScript; the editor loads on demand`, () => {
    const { chunks, firstScreenKb } = weighBundle() as {
      chunks: Array<{ file: string; kb: number; firstScreen: boolean }>;
      firstScreenKb: number;
    };
    expect(firstScreenKb).toBeLessThanOrEqual(FIRST_SCREEN_BUDGET_KB);
    // The heavy parts (Yjs, the editor) are real chunks of their own, not in the first screen.
    expect(chunks.filter((c) => !c.firstScreen).length).toBeGreaterThan(0);
    expect(chunks.filter((c) => c.firstScreen).every((c) => !/Provider|Panel|Editor/.test(c.file))).toBe(true);
  });
});
