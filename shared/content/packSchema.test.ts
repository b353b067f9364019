import { describe, expect, it } from 'vitest';
import { fixturePack } from '../../test/support/turnMachineKit';
import { packSchema, summarisePack } from './packSchema';

const clone = () => structuredClone(fixturePack) as unknown as { steps: Record<string, unknown>[] } & Record<string, unknown>;

function issuePaths(input: unknown): string[] {
  const result = packSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
}

describe('pack schema', () => {
  it('accepts a pack with every kind of step', () => {
    expect(packSchema.safeParse(fixturePack).success).toBe(true);
  });

  it('refuses unknown keys at every level', () => {
    const pack = clone();
    pack.author = 'someone';
    (pack.steps[0]!.prompts as Record<string, unknown>).hint = 'x';
    expect(issuePaths(pack)).toEqual(expect.arrayContaining(['', 'steps.0.prompts']));
  });

  it('refuses an unknown step kind, naming its path', () => {
    const pack = clone();
    pack.steps[1]!.kind = 'lecture';
    expect(issuePaths(pack)).toEqual(['steps.1.kind']);
  });

  it('requires listener starters for mirroring, asking for more, validating and empathising', () => {
    const pack = clone();
    const starters = pack.steps[0]!.starters as { listener: Record<string, unknown> };
    delete starters.listener.empathise;
    expect(issuePaths(pack)).toEqual(['steps.0.starters.listener.empathise']);
  });

  it('allows only one or two rounds, and known starters', () => {
    const pack = clone();
    pack.steps[0]!.rounds = 3;
    pack.steps[1]!.whoStarts = 'loudest';
    expect(issuePaths(pack)).toEqual(['steps.0.rounds', 'steps.1.whoStarts']);
  });

  it('refuses a pack id that is not a slug, and repeated step ids', () => {
    const pack = clone();
    pack.id = 'Not A Slug';
    pack.steps[2]!.id = pack.steps[0]!.id;
    expect(issuePaths(pack)).toEqual(['id', 'steps.2.id']);
  });

  it('summaries carry the metadata and a step count, not the steps', () => {
    const summary = summarisePack(fixturePack);
    expect(summary).toMatchObject({ id: 'fixture', stepCount: 6 });
    expect(summary).not.toHaveProperty('steps');
  });
});
