import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packSchema } from '../content/packSchema';

describe('the weekly check-in pack', () => {
  it('[CI-11] its agreements step looks back on the week\'s check-ins and the reviews due', () => {
    const pack = packSchema.parse(JSON.parse(readFileSync(new URL('../../content/packs/weekly-check-in.json', import.meta.url), 'utf8')));
    const steps = pack.steps.filter((s) => s.kind === 'agreement' && s.showsCheckIns);
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ showsDueReviews: true, title: 'Our agreements this week' });
  });
});
