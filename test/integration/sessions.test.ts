import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PackLibrary } from '../../server/content/packLoader';
import * as Y from 'yjs';
import { dayOf, readAgreements } from '../../shared/agreements';
import type { AgreementRecordsView } from '../../shared/protocol/agreements';
import type { Pack } from '../../shared/content/packSchema';
import type { SessionEventsMessage, SessionTranscript, SessionView } from '../../shared/protocol/sessions';
import { describeFloor } from '../../shared/session/floorView';
import type { SessionState } from '../../shared/session/types';
import { startApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { createLevelStorage } from '../../server/storage/level/levelStorage';
import type { SessionLogName } from '../../server/storage/types';
import {
  closeAll,
  join,
  ok,
  pairUp,
  refused,
  send,
  state,
  synced,
  takeTurn,
  view,
  walkSession,
  watchState,
  type Pair,
} from '../support/sessionClient';
import { connectClient, nextEvent, request, type ClientSocket } from '../support/socketClient';
import { manualClock, startTestServer, tempDataDir, type TestServer } from '../support/testServer';

let server: TestServer;
let clock: ReturnType<typeof manualClock>;
const sockets: ClientSocket[] = [];

beforeEach(async () => {
  clock = manualClock();
  server = await startTestServer({ clock });
});

afterEach(async () => {
  closeAll(sockets);
  await server.destroy();
});

async function pair(): Promise<Pair> {
  const p = await pairUp(server.url);
  sockets.push(...p.sockets);
  return p;
}

async function client(): Promise<ClientSocket> {
  const s = await connectClient(server.url);
  sockets.push(s);
  return s;
}

/** A and B agree to a session on this pack; A proposed, so A speaks first where the pack says "proposer". */
async function startSession(p: Pair, packId: string, mode: 'aloud' | 'write'): Promise<SessionState> {
  await ok(p.a, { type: 'propose', packId, mode });
  await ok(p.b, { type: 'accept' });
  return state(p.a);
}

/** Moves an active session forward to its first speaker-listener step. */
async function toFirstSpeakerListener(p: Pair): Promise<SessionState> {
  for (;;) {
    const s = await state(p.a);
    if (s.phase !== 'active') throw new Error('session not active');
    if (s.step.kind === 'speaker-listener') return s;
    if (s.step.kind === 'open' || s.step.kind === 'appreciation') {
      const first = p.socketOf(s.step.turn);
      const second = p.socketOf(s.step.turn === 'A' ? 'B' : 'A');
      await ok(first, { type: 'addEntry', id: `${s.stepId}-1`, text: 'A thing.' });
      await ok(first, { type: 'ready' });
      await ok(second, { type: 'ready' });
    }
    await ok(p.a, { type: 'nextStep' });
    await ok(p.b, { type: 'nextStep' });
  }
}

describe('packs', () => {
  it('lists every pack with its steps, prompts and starters for a seated socket', async () => {
    const p = await pair();
    const res = await request<{ packs: Pack[] }>(p.a, 'session:packs', {});
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.packs.map((x) => x.id)).toContain('weekly-check-in');
    expect(res.packs).toHaveLength(8);
    const weekly = res.packs.find((x) => x.id === 'weekly-check-in')!;
    expect(weekly.summary.length).toBeGreaterThan(10);
    expect(weekly.steps.every((s) => s.title && s.intro)).toBe(true);
  });

  it('refuses session events from a socket without a seat: NOT_IN_ROOM', async () => {
    const stranger = await client();
    for (const [event, payload] of [
      ['session:command', { type: 'propose', packId: 'weekly-check-in', mode: 'aloud' }],
      ['session:sync', {}],
      ['session:packs', {}],
      ['session:addAgreements', { proposalIds: ['p1'] }],
    ] as const) {
      const res = await request(stranger, event, payload);
      expect(res.ok === false && res.error.code, event).toBe('NOT_IN_ROOM');
    }
  });

  it('refuses to start on a malformed pack, naming the file and the field (PACKS_DIR)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cg-packs-'));
    const good = readFileSync(new URL('../../content/packs/weekly-check-in.json', import.meta.url), 'utf8');
    const broken = JSON.parse(good) as { steps: Array<Record<string, unknown>> };
    delete broken.steps[0]!.title;
    writeFileSync(path.join(dir, 'broken.json'), JSON.stringify(broken));
    const dataDir = tempDataDir();
    const storage = await createLevelStorage(dataDir);
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', PACKS_DIR: dir });
    try {
      await expect(startApp({ config, storage, log: createLogger('silent') })).rejects.toThrow(/broken\.json: steps\.0\.title/);
    } finally {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('starts on a packs folder given by PACKS_DIR', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cg-packs-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'weekly.json'), readFileSync(new URL('../../content/packs/weekly-check-in.json', import.meta.url)));
    const other = await startTestServer({ env: { PACKS_DIR: dir } });
    try {
      const p = await pairUp(other.url);
      sockets.push(...p.sockets);
      const res = await request<{ packs: Pack[] }>(p.a, 'session:packs', {});
      expect(res.ok && res.packs.map((x) => x.id)).toEqual(['weekly-check-in']);
      await refusedPack(p);
    } finally {
      closeAll(sockets);
      await other.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function refusedPack(p: Pair): Promise<void> {
  await refused(p.a, { type: 'propose', packId: 'turning-the-page', mode: 'aloud' }, 'PACK_NOT_FOUND');
}

describe('proposing', () => {
  it('a proposal reaches the other partner, who can say "not now" and suggest a time', async () => {
    const p = await pair();
    const seenByB = nextEvent<SessionView>(p.b, 'session:state', (v) => v.state.phase === 'proposed');
    await ok(p.a, { type: 'propose', packId: 'weekly-check-in', mode: 'aloud' });
    const proposed = (await seenByB).state;
    expect(proposed).toMatchObject({ phase: 'proposed', packId: 'weekly-check-in', mode: 'aloud', proposedBy: 'A' });
    const packs = await request<{ packs: Pack[] }>(p.b, 'session:packs', {});
    const pack = packs.ok ? packs.packs.find((x) => x.id === 'weekly-check-in') : undefined;
    // The buttons B is shown come from the machine itself, given the pack.
    expect(describeFloor(proposed, 'B', pack).allowed).toEqual(expect.arrayContaining(['accept', 'decline', 'pause']));
    expect(describeFloor(proposed, 'A', pack).allowed).not.toContain('accept');
    await ok(p.b, { type: 'decline', suggestedTime: 'Sunday evening' });
    expect(await state(p.a)).toMatchObject({ phase: 'idle', declined: { by: 'B', suggestedTime: 'Sunday evening' } });
  });

  it('refuses an unknown pack (PACK_NOT_FOUND), a second session (SESSION_ALREADY_ACTIVE) and a malformed command (INVALID_PAYLOAD)', async () => {
    const p = await pair();
    await refused(p.a, { type: 'propose', packId: 'no-such-pack', mode: 'aloud' }, 'PACK_NOT_FOUND');
    await startSession(p, 'weekly-check-in', 'aloud');
    await refused(p.b, { type: 'propose', packId: 'turning-the-page', mode: 'aloud' }, 'SESSION_ALREADY_ACTIVE');
    const bad = await request(p.a, 'session:command', { type: 'speak', text: 'x', extra: 1 });
    expect(bad.ok === false && bad.error.code).toBe('INVALID_PAYLOAD');
    const unknown = await request(p.a, 'session:command', { type: 'takeTheFloor' });
    expect(unknown.ok === false && unknown.error.code).toBe('INVALID_PAYLOAD');
  });
});

describe('whole packs over two real clients', () => {
  // Every pack in content/packs, in both modes.
  const everyPack = PackLibrary.load().list().map((summary) => summary.id);
  for (const [packId, mode] of everyPack.flatMap((id) => [[id, 'aloud'], [id, 'write']] as const)) {
    it(`walks "${packId}" from proposal to summary (${mode})`, async () => {
      const p = await pair();
      const watchB = watchState(p.b);
      const eventsB: SessionEventsMessage[] = [];
      (p.b as unknown as { on(e: string, f: (m: SessionEventsMessage) => void): void }).on('session:events', (m) => eventsB.push(m));
      const started = await startSession(p, packId, mode);
      expect(started.phase).toBe('active');
      if (mode === 'write') {
        await ok(p.a, { type: 'keepRecord', keep: true });
        await ok(p.b, { type: 'keepRecord', keep: true });
      }
      const res = await request<{ packs: Pack[] }>(p.a, 'session:packs', {});
      const pack = res.ok ? res.packs.find((x) => x.id === packId)! : null;
      const steps = await walkSession(p);
      expect(steps).toBe(pack!.steps.length);

      const ended = await state(p.b);
      expect(ended.phase).toBe('ended');
      if (ended.phase !== 'ended') return;
      expect(ended.summary).toMatchObject({ packId, mode, stepsDone: pack!.steps.length, endedBy: 'finished', recordKept: mode === 'write' });
      const turns = pack!.steps.reduce((n, s) => n + (s.kind === 'speaker-listener' ? s.rounds : 0), 0);
      expect(ended.summary.reflectionsConfirmed.A + ended.summary.reflectionsConfirmed.B).toBe(turns);
      expect(ended.summary.proposals.length).toBe(2 * pack!.steps.filter((s) => s.kind === 'agreement').length);
      // B heard every change as it happened, in version order, ending with the summary.
      expect(watchB.latest()?.state).toEqual(ended);
      const versions = eventsB.map((m) => m.version);
      expect(versions).toEqual([...versions].sort((x, y) => x - y));
      expect(eventsB.flatMap((m) => m.events).some((e) => e.type === 'sessionEnded')).toBe(true);

      const { transcript } = await synced(p.a);
      if (mode === 'write') {
        expect(transcript?.entries.some((e) => e.kind === 'spoke' && e.text.includes('dishes'))).toBe(true);
        expect(transcript?.entries.some((e) => e.kind === 'reflected')).toBe(true);
      } else {
        expect(transcript).toBeNull();
        expect(eventsB.flatMap((m) => m.events).filter((e) => e.type === 'spoke')).toEqual([]);
      }
    });
  }
});

describe('the floor', () => {
  it('shows who holds the floor, and refuses out-of-turn moves with named errors', async () => {
    const p = await pair();
    await startSession(p, 'weekly-check-in', 'write');
    const s = await toFirstSpeakerListener(p);
    if (s.phase !== 'active' || s.step.kind !== 'speaker-listener') throw new Error('expected a speaker-listener step');
    const speaker = p.socketOf(s.step.speaker);
    const listenerSeat = s.step.speaker === 'A' ? 'B' : 'A';
    const listener = p.socketOf(listenerSeat);
    expect(describeFloor(await state(speaker), s.step.speaker)).toMatchObject({ youHoldFloor: true, yourTurn: true, sub: 'speak' });
    expect(describeFloor(await state(listener), listenerSeat)).toMatchObject({ youHoldFloor: false, yourTurn: false, floor: s.step.speaker });

    // TM-08: only the speaker speaks and hands over; TM-10: each move in its moment.
    await refused(listener, { type: 'speak', text: 'Let me say something.' }, 'NOT_YOUR_TURN');
    await refused(listener, { type: 'passToReflect' }, 'NOT_YOUR_TURN');
    await refused(speaker, { type: 'confirm' }, 'WRONG_PHASE');
    await refused(listener, { type: 'reflect', text: 'What I heard…' }, 'WRONG_PHASE');
    // TM-12: in writing, the speaker types before handing over.
    await refused(speaker, { type: 'passToReflect' }, 'TEXT_REQUIRED');
    await ok(speaker, { type: 'speak', text: 'I miss our evenings.' });
    await ok(speaker, { type: 'passToReflect' });
    // TM-09: only the listener reflects. TM-16: nobody passes the floor before the speaker confirmed.
    await refused(speaker, { type: 'reflect', text: 'Me again.' }, 'NOT_YOUR_TURN');
    await refused(listener, { type: 'passFloor' }, 'NOT_YOUR_TURN');
    await refused(speaker, { type: 'passFloor' }, 'WRONG_PHASE');
    await ok(listener, { type: 'reflect', text: 'What I heard is that you miss our evenings.' });
    await refused(listener, { type: 'confirm' }, 'NOT_YOUR_TURN');
    // TM-14: "not quite" returns to reflection; the floor stays with the speaker.
    await ok(speaker, { type: 'notQuite', backTo: 'reflect' });
    const back = await state(listener);
    expect(back.phase === 'active' && back.step.kind === 'speaker-listener' && [back.step.sub, back.step.speaker]).toEqual(['reflect', s.step.speaker]);
    await ok(listener, { type: 'reflect', text: 'What I heard is that you miss our evenings together.' });
    await ok(speaker, { type: 'confirm' });
    // TM-22: the step is not finished yet.
    await refused(listener, { type: 'nextStep' }, 'STEP_NOT_COMPLETE');
    const check = await state(speaker);
    expect(describeFloor(check, listenerSeat).allowed).not.toContain('passFloor');
  });

  it('two simultaneous floor moves from two devices of the speaker: exactly one is accepted', async () => {
    const p = await pair();
    await startSession(p, 'weekly-check-in', 'aloud');
    const s = await toFirstSpeakerListener(p);
    if (s.phase !== 'active' || s.step.kind !== 'speaker-listener') throw new Error('expected a speaker-listener step');
    // The speaker's second device (a laptop next to the phone) joins the same seat.
    const second = await client();
    await join(second, p.roomId, p.tokens[s.step.speaker]);
    const first = p.socketOf(s.step.speaker);
    const results = await Promise.all([send(first, { type: 'passToReflect' }), send(second, { type: 'passToReflect' })]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(['WRONG_PHASE']);
    const after = await state(first);
    expect(after.version).toBe(s.version + 1);

    // And the listener's reflection against the speaker's "not quite" sent at the same moment.
    const listener = p.socketOf(s.step.speaker === 'A' ? 'B' : 'A');
    await ok(listener, { type: 'reflect' });
    const race = await Promise.all([send(first, { type: 'confirm' }), send(second, { type: 'notQuite', backTo: 'speak' })]);
    expect(race.filter((r) => r.ok)).toHaveLength(1);
    expect((await state(first)).version).toBe(s.version + 3);
  });
});

describe('time-out', () => {
  it('either partner calls it with no reason; the other is told whose break it is; the caller coming back resumes exactly', async () => {
    const p = await pair();
    await startSession(p, 'weekly-check-in', 'aloud');
    const before = await toFirstSpeakerListener(p);
    const eventsA: SessionEventsMessage[] = [];
    (p.a as unknown as { on(e: string, f: (m: SessionEventsMessage) => void): void }).on('session:events', (m) => eventsA.push(m));
    const statesA = watchState(p.a);

    // B calls it (the listener: a time-out is for anyone, any time).
    await ok(p.b, { type: 'pause', minutes: 20, untilLabel: '20:40' });
    const seenByA = (await view(p.a)).state;
    const seenByB = (await view(p.b)).state;
    expect(seenByA.phase).toBe('paused');
    if (seenByA.phase !== 'paused' || seenByB.phase !== 'paused') return;
    // A is told whose break it is, so A's break screen can say "Sam is taking a break".
    expect(seenByA.pause).toEqual({ by: 'B', at: clock.now(), until: clock.now() + 20 * 60_000, untilLabel: '20:40', back: { A: false, B: false } });
    expect(seenByB.pause.by).toBe('B');
    for (const v of statesA.all) if (v.state.phase === 'paused') expect(v.state.pause.by).toBe('B');
    // The room-wide event still names nobody: the snapshot is where each seat reads it.
    expect(JSON.stringify(eventsA)).not.toMatch(/"by":"B"/);
    expect(describeFloor(seenByA, 'A').pausedUntil).toEqual({ until: clock.now() + 20 * 60_000, untilLabel: '20:40' });

    // TM-29: during a time-out, turns wait.
    await refused(p.a, { type: 'passToReflect' }, 'SESSION_PAUSED');
    await ok(p.a, { type: 'repair', phrase: 'moment' });

    clock.advance(20 * 60_000);
    // A never left: A's "back" changes nothing; B, who called it, ends it by coming back (TM-30).
    await ok(p.a, { type: 'back' });
    expect((await state(p.a)).phase).toBe('paused');
    const resumed = nextEvent<SessionView>(p.a, 'session:state', (v) => v.state.phase === 'active');
    await ok(p.b, { type: 'back' });
    const after = (await resumed).state;
    const { version: v1, updatedAt: u1, ...restBefore } = before;
    const { version: v2, updatedAt: u2, breaks, ...restAfter } = after as typeof after & { breaks?: unknown };
    expect(restAfter).toEqual(restBefore);
    // The break is noted so the step's clocks leave it out.
    expect(breaks).toEqual([{ from: clock.now() - 20 * 60_000, to: clock.now() }]);
    expect(v2).toBeGreaterThan(v1);
    expect(u2).toBeGreaterThanOrEqual(u1);
  });

  it('repair phrases reach both partners as cards, without changing the floor', async () => {
    const p = await pair();
    await startSession(p, 'weekly-check-in', 'aloud');
    const before = await state(p.a);
    const card = nextEvent<SessionEventsMessage>(p.a, 'session:events', (m) => m.events.some((e) => e.type === 'repair'));
    await ok(p.b, { type: 'repair', phrase: 'gentler' });
    expect((await card).events).toContainEqual({ type: 'repair', seat: 'B', phrase: 'gentler', text: 'Could you say that more gently?' });
    const after = await state(p.a);
    expect(after.phase === 'active' && before.phase === 'active' && after.step).toEqual(before.phase === 'active' && before.step);
  });
});

describe('survives a restart', () => {
  it('stops mid-session and starts a new server on the same data: the same state and snapshots', async () => {
    const dataDir = tempDataDir();
    const first = await startTestServer({ dataDir, clock });
    const p = await pairUp(first.url);
    sockets.push(...p.sockets);
    await startSession(p, 'after-a-hard-moment', 'write');
    await ok(p.a, { type: 'nextStep' });
    await ok(p.b, { type: 'nextStep' });
    const s = await state(p.a);
    if (s.phase !== 'active' || s.step.kind !== 'speaker-listener') throw new Error('expected a speaker-listener step');
    const speaker = p.socketOf(s.step.speaker);
    await ok(speaker, { type: 'speak', text: 'I felt alone that night.' });
    await ok(p.a, { type: 'pause', minutes: 30, untilLabel: '21:10' });
    const beforeA = await synced(p.a);
    const beforeB = await synced(p.b);
    closeAll(sockets);
    await first.stop();

    const second = await startTestServer({ dataDir, clock });
    try {
      const a = await connectClient(second.url);
      const b = await connectClient(second.url);
      sockets.push(a, b);
      const pushedA = nextEvent<SessionView>(a, 'session:state');
      await join(a, p.roomId, p.tokens.A);
      await join(b, p.roomId, p.tokens.B);
      expect((await pushedA).state).toEqual(beforeA.session.state);
      const afterA = await synced(a);
      const afterB = await synced(b);
      expect(afterA.session.state).toEqual(beforeA.session.state);
      expect(afterB.session.state).toEqual(beforeB.session.state);
      expect(afterB.session.state.phase === 'paused' && afterB.session.state.pause.by).toBe('A');
      expect(afterA.transcript).toEqual(beforeA.transcript);
      // …and it carries on from there.
      await ok(b, { type: 'back' });
      await ok(a, { type: 'back' });
      await ok(s.step.speaker === 'A' ? a : b, { type: 'passToReflect' });
    } finally {
      closeAll(sockets);
      await second.destroy();
    }
  });
});

describe('the written record', () => {
  async function writtenRound(p: Pair): Promise<SessionLogName> {
    await startSession(p, 'weekly-check-in', 'write');
    const s = await toFirstSpeakerListener(p);
    if (s.phase !== 'active' || s.step.kind !== 'speaker-listener') throw new Error('expected a speaker-listener step');
    const transcriptB = nextEvent<SessionTranscript>(p.b, 'session:transcript', (t) => t.entries.some((e) => e.kind === 'spoke'));
    await takeTurn(p, s.step, true);
    // Each typed turn is shown to both as it is written.
    expect((await transcriptB).entries[0]).toMatchObject({ kind: 'spoke', by: s.step.speaker, text: expect.stringContaining('dishes') });
    return `s${s.startedAt}`;
  }

  async function storedEntries(dataDir: string, roomId: string, sessionId: SessionLogName): Promise<unknown[]> {
    const storage = await createLevelStorage(dataDir);
    try {
      return await storage.roomLogs.list(roomId, sessionId);
    } finally {
      await storage.close();
    }
  }

  it('is kept when both partners chose to keep it', async () => {
    const p = await pair();
    const sessionId = await writtenRound(p);
    await ok(p.a, { type: 'keepRecord', keep: true });
    await ok(p.b, { type: 'keepRecord', keep: true });
    await ok(p.b, { type: 'endSession' });
    const ended = await synced(p.a);
    expect(ended.session.state.phase === 'ended' && ended.session.state.summary.recordKept).toBe(true);
    expect(ended.transcript?.entries.length).toBeGreaterThanOrEqual(2);
    closeAll(sockets);
    await server.stop();
    expect((await storedEntries(server.dataDir, p.roomId, sessionId)).length).toBeGreaterThanOrEqual(2);
  });

  it('is gone at the end when only one partner chose to keep it', async () => {
    const p = await pair();
    const sessionId = await writtenRound(p);
    await ok(p.a, { type: 'keepRecord', keep: true });
    const cleared = nextEvent<SessionTranscript>(p.b, 'session:transcript', (t) => t.replace && t.entries.length === 0);
    await ok(p.a, { type: 'endSession' });
    await cleared;
    expect((await synced(p.b)).transcript).toBeNull();
    // TM-38: a record that was let go cannot be chosen back.
    await refused(p.b, { type: 'keepRecord', keep: true }, 'WRONG_PHASE');
    closeAll(sockets);
    await server.stop();
    expect(await storedEntries(server.dataDir, p.roomId, sessionId)).toEqual([]);
  });
});

describe('add to our agreements', () => {
  it('writes what was proposed into the agreements document, once', async () => {
    const p = await pair();
    await startSession(p, 'after-a-hard-moment', 'aloud');
    await walkSession(p);
    const ended = await state(p.a);
    if (ended.phase !== 'ended') throw new Error('expected the session to end');
    const ids = ended.summary.proposals.map((x) => x.id);
    expect(ids).toEqual(['p1', 'p2']);

    const told = nextEvent<{ proposalIds: string[]; by: string }>(p.b, 'session:agreementsAdded');
    const res = await request<{ added: string[]; alreadyThere: string[] }>(p.a, 'session:addAgreements', { proposalIds: ids });
    expect(res.ok && res).toMatchObject({ added: ids, alreadyThere: [] });
    expect(await told).toEqual({ proposalIds: ids, by: 'A' });
    const again = await request<{ added: string[]; alreadyThere: string[] }>(p.b, 'session:addAgreements', { proposalIds: ids });
    expect(again.ok && again).toMatchObject({ added: [], alreadyThere: ids });
    const unknown = await request(p.b, 'session:addAgreements', { proposalIds: ['nope'] });
    expect(unknown.ok === false && unknown.error.code).toBe('INVALID_PAYLOAD');

    closeAll(sockets);
    await server.stop();
    const storage = await createLevelStorage(server.dataDir);
    try {
      const doc = new Y.Doc();
      for (const update of await storage.docs.load(p.roomId, 'agreements')) Y.applyUpdate(doc, update);
      const records = (await storage.agreementRecords.get<AgreementRecordsView>(p.roomId))?.state;
      if (!records) throw new Error('no agreements record');
      const agreements = readAgreements(doc, records, dayOf(Date.now()));
      // A short title, the whole sentence as the words, and the session it came from.
      expect(agreements.map((a) => [a.title, a.body, a.proposedBy?.name, a.category, a.state, a.fromSession?.startedAt])).toEqual([
        ['We tell each other when plans change', 'We tell each other when plans change.', 'Sam', 'communication', 'draft', ended.summary.startedAt],
        ['We check in every Sunday evening', 'We check in every Sunday evening.', 'Alex', 'communication', 'draft', ended.summary.startedAt],
      ]);
    } finally {
      await storage.close();
    }
  });

  it('is refused before the session has ended: WRONG_PHASE', async () => {
    const p = await pair();
    await startSession(p, 'weekly-check-in', 'aloud');
    const res = await request(p.a, 'session:addAgreements', { proposalIds: ['p1'] });
    expect(res.ok === false && res.error.code).toBe('WRONG_PHASE');
  });
});
