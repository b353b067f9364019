import { describe, expect, it } from 'vitest';
import { breakLines, breakReader, type BreakReader, type BreakSituation } from './breakWords';

const names = { caller: 'Alex', until: '20:40' };

describe('breakReader: who reads the break screen', () => {
  it.each([
    ['A', 'A', 'caller'],
    ['B', 'A', 'partner'],
    ['counsellor', 'A', 'calledByCounsellor'],
    ['A', 'counsellor', 'counsellor'],
    ['counsellor', 'counsellor', 'counsellorCaller'],
  ] as const)('called by %s, read by %s: %s', (by, you, reader) => {
    expect(breakReader(by, you)).toBe(reader);
  });
});

describe('breakLines: reader × situation → the words and the buttons', () => {
  const rows: Array<[BreakReader, BreakSituation, string, RegExp, string[]]> = [
    ['caller', 'running', 'You are taking a break until 20:40.', /^Take the time you need/, ['back', 'longer']],
    ['caller', 'over', 'Your break was until 20:40.', /ready, or take a little longer/, ['back', 'longer']],
    ['partner', 'running', 'Alex is taking a break until 20:40.', /^You don’t need to do anything\./, []],
    ['partner', 'over', 'Alex’s break was until 20:40.', /^You don’t need to do anything\./, []],
    ['calledByCounsellor', 'running', 'Alex called a break until 20:40.', /when you are both back/, ['back']],
    ['calledByCounsellor', 'over', 'The break was until 20:40.', /when you are both back/, ['back']],
    ['counsellor', 'running', 'Alex is taking a break until 20:40.', /resume it for both of them/, ['resume']],
    ['counsellor', 'over', 'Alex’s break was until 20:40.', /Alex is not back yet/, ['resume']],
    ['counsellorCaller', 'running', 'You called a break until 20:40.', /or when you resume it/, ['resume']],
    ['counsellorCaller', 'over', 'The break you called was until 20:40.', /or when you resume it/, ['resume']],
  ];
  it.each(rows)('%s, %s', (reader, situation, heading, body, actions) => {
    const lines = breakLines(reader, situation, names);
    expect(lines.heading).toBe(heading);
    expect(lines.body).toMatch(body);
    expect(lines.actions).toEqual(actions);
  });

  it('never offers the other partner a way back from a break they never left, nor a longer one', () => {
    for (const situation of ['running', 'over'] as const) expect(breakLines('partner', situation, names).actions).toEqual([]);
  });

  it('tells only the caller to take their time, and never calls the caller by name to themselves', () => {
    for (const situation of ['running', 'over'] as const) {
      expect(breakLines('caller', situation, names).heading).not.toContain('Alex');
      expect(breakLines('partner', situation, names).body).not.toMatch(/Take the time you need/);
    }
  });
});
