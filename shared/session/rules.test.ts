import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULE_IDS, rules } from './rules';
import { commandSchema, parseCommand } from './sessionSchemas';
import { COMMAND_TYPES } from './commandRules';
import { REPAIR_PHRASE_IDS } from './types';
import { citedRules, testFilesUnder } from '../../test/support/ruleCitations';

const doc = readFileSync(new URL('../../docs/turn-rules.md', import.meta.url), 'utf8');

describe('rule catalogue', () => {
  it('docs/turn-rules.md has the same rules, word for word', () => {
    for (const id of RULE_IDS) expect(doc, id).toContain(`| ${id} | ${rules[id]} |`);
    expect(doc.match(/^\| TM-\d\d /gm)).toHaveLength(RULE_IDS.length);
  });

  it('every rule has a test of the machine named after it, and no test cites a rule that is not written', () => {
    const machineTests = citedRules('TM', ['shared/session/turnMachine.test.ts']);
    expect(RULE_IDS.filter((id) => !machineTests.has(id))).toEqual([]);
    const known: readonly string[] = RULE_IDS;
    expect([...citedRules('TM', testFilesUnder(['shared', 'server', 'test']))].filter((id) => !known.includes(id))).toEqual([]);
  });
});

describe('command schemas', () => {
  it('cover every command type', () => {
    const types = commandSchema.options.map((o) => o.shape.type.value);
    expect([...types].sort()).toEqual([...COMMAND_TYPES].sort());
  });

  it('accept good payloads and refuse unknown keys, long texts and bad phrases', () => {
    expect(parseCommand({ type: 'reflect', text: 'What I heard is…' }).ok).toBe(true);
    expect(parseCommand({ type: 'pause' }).ok).toBe(true);
    expect(parseCommand({ type: 'pause', minutes: 121 }).ok).toBe(false);
    expect(parseCommand({ type: 'pause', reason: 'tired' }).ok).toBe(false);
    expect(parseCommand({ type: 'speak', text: 'x'.repeat(4001) }).ok).toBe(false);
    expect(parseCommand({ type: 'repair', phrase: 'shout' }).ok).toBe(false);
    expect(parseCommand({ type: 'fly' }).ok).toBe(false);
    for (const phrase of REPAIR_PHRASE_IDS) expect(parseCommand({ type: 'repair', phrase }).ok).toBe(true);
    expect(parseCommand({ type: 'endSession', reason: 'anotherDay', note: 'Thursday?' }).ok).toBe(true);
    expect(parseCommand({ type: 'endSession', reason: 'angry' }).ok).toBe(false);
    expect(parseCommand({ type: 'endSession', note: 'x'.repeat(141) }).ok).toBe(false);
  });
});
