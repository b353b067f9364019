import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The files whose test names cite the document rules (docs/documents-rules.md). */
const CITING = [
  'server/documents/documentAdmission.test.ts',
  'server/documents/documentLog.test.ts',
  'server/documents/documentLog.level.test.ts',
  'server/documents/documentRegistry.test.ts',
  'server/documents/roomDocuments.test.ts',
  'server/documents/syncMessages.test.ts',
  'test/integration/adversarialUpdates.test.ts',
  'test/multinode/coEditing.test.ts',
];

describe('the document rules', () => {
  const rules = [...readFileSync('docs/documents-rules.md', 'utf8').matchAll(/^\| (RD-\d\d) \|/gm)].map((m) => m[1]!);
  const cited = new Set(CITING.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\[(RD-\d\d(?:, RD-\d\d)*)\]/g)].flatMap((m) => m[1]!.split(', '))));

  it('are numbered RD-01 onwards without a gap', () => {
    expect(rules).toEqual(rules.map((_, i) => `RD-${String(i + 1).padStart(2, '0')}`));
    expect(rules.length).toBeGreaterThan(0);
  });

  it('each has a test whose name cites it, and no test cites a rule that is not written', () => {
    expect(rules.filter((rule) => !cited.has(rule))).toEqual([]);
    expect([...cited].filter((rule) => !rules.includes(rule))).toEqual([]);
  });
});
