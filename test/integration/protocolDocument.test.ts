import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { AGREEMENT_CATEGORIES } from '../../shared/agreements/categories';
import { agreementBodySchema, agreementIdSchema, agreementTitleSchema, versionIdSchema, versionNameSchema } from '../../shared/protocol/agreements';
import { permissionMatrix } from '../../shared/permissions';
import { counsellorKeySchema, PRIVATE_LINE_CHOICE_IDS, roomLabelSchema } from '../../shared/protocol/counsellors';
import { DOC_NAMES } from '../../shared/protocol/documents';
import { ErrorCode } from '../../shared/protocol/errors';
import type { ClientEventName } from '../../shared/protocol/clientEvents';
import type { Role } from '../../shared/protocol/identity';
import { deviceTokenSchema, displayNameSchema, inviteTokenSchema, roomIdSchema } from '../../shared/protocol/rooms';
import { sessionAddAgreementsSchema } from '../../shared/protocol/sessions';
import { PROTOCOL_VERSION } from '../../shared/protocol/version';
import * as agreements from '../../shared/protocol/agreements';
import * as counsellors from '../../shared/protocol/counsellors';
import * as errors from '../../shared/protocol/errors';
import * as events from '../../shared/protocol/events';
import * as rooms from '../../shared/protocol/rooms';
import * as version from '../../shared/protocol/version';
import { commandSchemas } from '../../shared/session/sessionSchemas';

/**
 * docs/protocol.md is what third-party clients (and the hidden tests) are written from, so it
 * may not drift from the code silently. This reads its facts back and holds them against the
 * code: every event of the event maps and the permission matrix has a row in an event table and
 * every row names a real event; every error code is in an error table and every code the page
 * names exists; the protocol version, the configuration defaults it quotes, the session
 * commands and events, and the value rules it states.
 *
 * How the page is read: a table with an `event` column lists events, in the direction its
 * `direction` column says or else the heading above it says ("Client → server", "Server →
 * client"); a table whose first column is `code` lists error codes.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const doc = readFileSync(path.join(root, 'docs/protocol.md'), 'utf8');

interface Table {
  heading: string;
  header: string[];
  rows: string[][];
}

/** Cells split on `|` that is not escaped as `\|`. */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

function tablesOf(markdown: string): Table[] {
  const lines = markdown.split('\n');
  const tables: Table[] = [];
  let heading = '';
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('```')) inFence = !inFence;
    if (inFence) continue;
    if (/^#{1,6} /.test(line)) heading = line.replace(/^#+ /, '');
    const next = lines[i + 1] ?? '';
    if (!line.startsWith('|') || !/^\|\s*-{3}/.test(next)) continue;
    const table: Table = { heading, header: cells(line).map((c) => c.toLowerCase()), rows: [] };
    for (i += 2; i < lines.length && lines[i]!.startsWith('|'); i++) table.rows.push(cells(lines[i]!));
    i -= 1;
    tables.push(table);
  }
  return tables;
}

const tables = tablesOf(doc);
const backticked = (text: string): string[] => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
const EVENT_NAME = /^[a-zA-Z]+:[a-zA-Z]+$/;

type Direction = 'client' | 'server' | 'node';

function directionOf(text: string): Direction | null {
  if (/client\s*→\s*server/i.test(text)) return 'client';
  if (/server\s*→\s*client/i.test(text)) return 'server';
  if (/node\s*→\s*nodes/i.test(text)) return 'node';
  return null;
}

const documentedEvents: Record<Direction, Set<string>> = { client: new Set(), server: new Set(), node: new Set() };
const undirected: string[] = [];
for (const table of tables) {
  const eventColumn = table.header.indexOf('event');
  if (eventColumn === -1) continue;
  const directionColumn = table.header.indexOf('direction');
  for (const row of table.rows) {
    const direction = directionOf(directionColumn === -1 ? table.heading : (row[directionColumn] ?? ''));
    for (const name of backticked(row[eventColumn] ?? '').filter((t) => EVENT_NAME.test(t))) {
      if (direction) documentedEvents[direction].add(name);
      else undirected.push(`${name} (under "${table.heading}")`);
    }
  }
}

const documentedCodes = new Set<string>();
for (const table of tables) {
  if (table.header[0] !== 'code') continue;
  for (const row of table.rows) for (const token of backticked(row[0] ?? '')) documentedCodes.add(token);
}

/** The property names of the interfaces and the `type` literals of a union, read with the compiler. */
function declaredNames(): { interfaces: Record<string, string[]>; sessionEventTypes: string[] } {
  const files = ['shared/protocol/events.ts', 'shared/session/types.ts'].map((f) => path.join(root, f));
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const interfaces: Record<string, string[]> = {};
  let sessionEventTypes: string[] = [];
  for (const file of files) {
    const source = program.getSourceFile(file)!;
    ts.forEachChild(source, (node) => {
      if (ts.isInterfaceDeclaration(node)) {
        const type = checker.getTypeAtLocation(node.name);
        interfaces[node.name.text] = checker.getPropertiesOfType(type).map((p) => p.name);
      }
      if (ts.isTypeAliasDeclaration(node) && node.name.text === 'SessionEvent') {
        const union = checker.getTypeAtLocation(node.name);
        const members = union.isUnion() ? union.types : [union];
        sessionEventTypes = members.map((member) => {
          const property = checker.getPropertyOfType(member, 'type')!;
          const literal = checker.getTypeOfSymbolAtLocation(property, node);
          return (literal as ts.StringLiteralType).value;
        });
      }
    });
  }
  return { interfaces, sessionEventTypes };
}

const declared = declaredNames();
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

describe('docs/protocol.md names every event, and only real ones', () => {
  it('every event table row has a direction', () => {
    expect(undirected).toEqual([]);
  });

  it('client → server: the permission matrix and ClientToServerEvents', () => {
    expect(sorted(declared.interfaces.ClientToServerEvents!)).toEqual(sorted(Object.keys(permissionMatrix)));
    expect(sorted(documentedEvents.client)).toEqual(sorted(Object.keys(permissionMatrix)));
  });

  it('server → client: ServerToClientEvents', () => {
    expect(declared.interfaces.ServerToClientEvents!.length).toBeGreaterThan(0);
    expect(sorted(documentedEvents.server)).toEqual(sorted(declared.interfaces.ServerToClientEvents!));
  });

  it('node → nodes: InterServerEvents', () => {
    expect(sorted(documentedEvents.node)).toEqual(sorted(declared.interfaces.InterServerEvents!));
  });

  it('every event name the page mentions anywhere is one of them', () => {
    const known = new Set([
      ...Object.keys(permissionMatrix),
      ...declared.interfaces.ServerToClientEvents!,
      ...declared.interfaces.InterServerEvents!,
    ]);
    // Socket.IO's own events, named where the page explains the transport.
    for (const own of ['connect', 'connect_error', 'disconnect']) known.add(own);
    const mentioned = backticked(doc).filter((t) => EVENT_NAME.test(t) && !/^(https?|mailto|javascript):/.test(t));
    expect(sorted(mentioned.filter((name) => !known.has(name)))).toEqual([]);
  });
});

describe('docs/protocol.md says who may send each event as the permission matrix does', () => {
  /** The words a `who` column starts with, and the roles they mean. */
  const vocabulary: Array<[RegExp, Record<Role, boolean>]> = [
    [/^anyone/, { none: true, partner: true, counsellor: true }],
    [/^(seated|whoever may move that seat)/, { none: false, partner: true, counsellor: true }],
    [/^partners?\b/, { none: false, partner: true, counsellor: false }],
    [/^no seat, counsellor/, { none: true, partner: false, counsellor: true }],
    [/^counsellor/, { none: false, partner: false, counsellor: true }],
  ];
  const rows = tables
    .filter((t) => t.header.includes('event') && t.header.includes('who') && directionOf(t.heading) === 'client')
    .flatMap((t) => t.rows.map((row) => ({ event: backticked(row[t.header.indexOf('event')] ?? '')[0]!, who: row[t.header.indexOf('who')] ?? '' })));

  it('covers the events with a who column', () => {
    expect(rows.length).toBeGreaterThan(20);
  });

  it.each(rows)('$event: $who', ({ event, who }) => {
    const meaning = vocabulary.find(([words]) => words.test(who));
    expect(meaning, `"${who}" starts with none of the words this test knows`).toBeDefined();
    expect(permissionMatrix[event as ClientEventName]).toEqual(meaning![1]);
  });
});

describe('docs/protocol.md lists every error code, and only real ones', () => {
  it('each code of shared/protocol/errors.ts is in an error table', () => {
    expect(sorted(Object.keys(ErrorCode).filter((code) => !documentedCodes.has(code)))).toEqual([]);
  });

  it('each code in an error table exists', () => {
    expect(sorted([...documentedCodes].filter((code) => !(code in ErrorCode)))).toEqual([]);
  });

  it('every capitalised name in backticks is an error code, a setting or a constant of shared/protocol', () => {
    const config = readFileSync(path.join(root, 'server/config.ts'), 'utf8');
    const settings = new Set([...config.matchAll(/^\s+([A-Z][A-Z0-9_]+): z\./gm)].map((m) => m[1]!));
    const constants = new Set([version, errors, rooms, events, agreements, counsellors].flatMap((module) => Object.keys(module)));
    const names = backticked(doc).flatMap((t) => t.match(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g) ?? []);
    expect(sorted(names.filter((name) => !(name in ErrorCode) && !settings.has(name) && !constants.has(name)))).toEqual([]);
  });
});

describe('docs/protocol.md states the facts the code has', () => {
  it('the protocol version', () => {
    const stated = [...doc.matchAll(/protocolVersion:\s*(\d+)/g)].map((m) => Number(m[1]));
    expect(stated.length).toBeGreaterThan(0);
    expect(new Set(stated)).toEqual(new Set([PROTOCOL_VERSION]));
  });

  it('the defaults of the settings it quotes', () => {
    const config = readFileSync(path.join(root, 'server/config.ts'), 'utf8');
    const defaults = new Map(
      [...config.matchAll(/^\s+([A-Z][A-Z0-9_]+): z\.coerce\.number\(\)[^\n]*\.default\(([\d_]+)\)/gm)].map((m) => [m[1]!, Number(m[2]!.replace(/_/g, ''))]),
    );
    const quoted = [...doc.matchAll(/`([A-Z][A-Z0-9_]+)`[^`\n]{0,60}?\(?default (\d[\d,]*)/g)].map((m) => [m[1]!, Number(m[2]!.replace(/,/g, ''))] as const);
    expect(quoted.length).toBeGreaterThan(0);
    for (const [name, value] of quoted) expect({ name, value }).toEqual({ name, value: defaults.get(name) });
  });

  it('the session commands', () => {
    const table = tables.find((t) => t.header[0] === 'command')!;
    const names = table.rows.flatMap((row) => {
      const cell = row[0] ?? '';
      const typed = [...cell.matchAll(/type: "(\w+)"/g)].map((m) => m[1]!);
      const bare = backticked(cell).flatMap((t) => t.match(/^(\w+)(?: \{[^}]*\})?$/)?.[1] ?? []);
      return [...typed, ...bare];
    });
    expect(sorted(names)).toEqual(sorted(Object.keys(commandSchemas)));
  });

  it('the session events', () => {
    const paragraph = doc.slice(doc.indexOf('`session:events` (to the whole room'));
    const listed = paragraph.slice(0, paragraph.indexOf('\n\n'));
    const names = backticked(listed).flatMap((t) => t.match(/^([a-z][A-Za-z]+)(?: \{[^}]*\})?$/)?.[1] ?? []);
    expect(declared.sessionEventTypes.length).toBeGreaterThan(0);
    expect(sorted(names)).toEqual(sorted(declared.sessionEventTypes));
  });

  it('the documents', () => {
    const table = tables.find((t) => t.header[0] === 'document')!;
    expect(sorted(table.rows.flatMap((row) => backticked(row[0] ?? '')))).toEqual(sorted(DOC_NAMES));
  });
});

describe('docs/protocol.md states the value rules the schemas have', () => {
  const values = tables.find((t) => t.header[0] === 'value' && t.header[1] === 'rule')!;
  const rule = (name: string): string => {
    const row = values.rows.find((r) => r[0] === name);
    if (!row) throw new Error(`no row "${name}" in the values table`);
    return row[1]!;
  };
  const range = (name: string): [number, number] => {
    const m = rule(name).match(/(\d+)–(\d+)/);
    if (!m) throw new Error(`no range in the "${name}" row`);
    return [Number(m[1]), Number(m[2])];
  };
  const fits = (schema: z.ZodType, value: unknown) => schema.safeParse(value).success;

  it.each([
    ['display name', displayNameSchema, 'é'],
    ['room label', roomLabelSchema, 'é'],
    ['room id', roomIdSchema, 'A'],
    ['invite token', inviteTokenSchema, 'A'],
    ['device token', deviceTokenSchema, 'A'],
    ['session text', commandSchemas.speak.shape.text, 'x'],
    ['session id', commandSchemas.addEntry.shape.id, 'x'],
    ['pack id', commandSchemas.propose.shape.packId, 'x'],
    ['agreement id', agreementIdSchema, 'x'],
    ['agreement title', agreementTitleSchema, 'x'],
    ['version name', versionNameSchema, 'x'],
    ['version id', versionIdSchema, 'x'],
  ] as const)('%s: the stated length range, no more and no less', (name, schema, unit) => {
    const [min, max] = range(name);
    expect(fits(schema, unit.repeat(min))).toBe(true);
    expect(fits(schema, unit.repeat(max))).toBe(true);
    expect(fits(schema, unit.repeat(max + 1))).toBe(false);
    if (min > 0) expect(fits(schema, unit.repeat(min - 1))).toBe(false);
  });

  it('counsellor key: the stated exact length', () => {
    const length = Number(rule('counsellor key').match(/exactly (\d+)/)![1]);
    expect(fits(counsellorKeySchema, 'A'.repeat(length))).toBe(true);
    expect(fits(counsellorKeySchema, 'A'.repeat(length - 1))).toBe(false);
    expect(fits(counsellorKeySchema, 'A'.repeat(length + 1))).toBe(false);
  });

  it('agreement body: at most the stated length', () => {
    const max = Number(rule('agreement body').match(/at most (\d+)/)![1]);
    expect(fits(agreementBodySchema, 'x'.repeat(max))).toBe(true);
    expect(fits(agreementBodySchema, 'x'.repeat(max + 1))).toBe(false);
  });

  it('pause minutes: whole numbers in the stated range', () => {
    const [min, max] = range('pause minutes');
    const minutes = commandSchemas.pause.shape.minutes;
    expect([min, max].map((m) => fits(minutes, m))).toEqual([true, true]);
    expect([min - 1, max + 1, min + 0.5, String(min)].map((m) => fits(minutes, m))).toEqual([false, false, false, false]);
  });

  it('proposal ids: the stated count', () => {
    const [min, max] = range('proposal ids');
    const ids = (n: number) => ({ proposalIds: Array.from({ length: n }, (_, i) => `p${i}`) });
    expect(fits(sessionAddAgreementsSchema, ids(max))).toBe(true);
    expect(fits(sessionAddAgreementsSchema, ids(max + 1))).toBe(false);
    expect(fits(sessionAddAgreementsSchema, ids(min - 1))).toBe(false);
  });

  it.each([
    ['agreement category', AGREEMENT_CATEGORIES],
    ['document name', DOC_NAMES],
  ] as const)('%s: exactly the listed values', (name, list) => {
    expect(sorted(backticked(rule(name)))).toEqual(sorted(list));
  });

  it('private line: exactly the listed choices', () => {
    expect(sorted(backticked(rule('private line')).filter((t) => t !== 'choice' && t !== 'text'))).toEqual(sorted(PRIVATE_LINE_CHOICE_IDS));
  });
});
