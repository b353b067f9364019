import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { citedRules, testFilesUnder } from '../../test/support/ruleCitations';

describe('the document rules', () => {
  const rules = [...readFileSync('docs/documents-rules.md', 'utf8').matchAll(/^\| (RD-\d\d) \|/gm)].map((m) => m[1]!);
  const cited = citedRules('RD', testFilesUnder(['server', 'test']));

  it('are numbered RD-01 onwards without a gap', () => {
    expect(rules).toEqual(rules.map((_, i) => `RD-${String(i + 1).padStart(2, '0')}`));
    expect(rules.length).toBeGreaterThan(0);
  });

  it('each has a test whose name cites it, and no test cites a rule that is not written', () => {
    expect(rules.filter((rule) => !cited.has(rule))).toEqual([]);
    expect([...cited].filter((rule) => !rules.includes(rule))).toEqual([]);
  });
});
