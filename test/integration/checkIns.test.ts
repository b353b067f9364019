import { beforeEach, describe, expect, it } from 'vitest';
import type { CheckInState } from '../../shared/checkIns/model';
import type { CheckInView, CounsellorCommitmentMarks } from '../../shared/checkIns/view';
import { createLevelStorage } from '../../server/storage/level/levelStorage';
import { counsellorEnters, createModeratedRoom, partnerJoins, registerCounsellor, type Counsellor } from '../support/counsellorKit';
import { serverPerTest } from '../support/serverPerTest';
import { claimSeat, connectClient, createRoomOverHttp, nextEvent, request, type ClientSocket } from '../support/socketClient';
import { manualClock } from '../support/testServer';

/**
 * Check-ins over real Socket.IO clients against a real server on an injected clock
 * (docs/protocol.md "Check-ins"; rules CI-01… in shared/checkIns/model.ts): each partner answers
 * for their own seat, the other's answer travels only once both answered, words kept to oneself
 * never travel, the counsellor sees marks only and only with both partners' consent.
 */

const DAY = 86_400_000;
// Monday 1 June 2026, 10:00 UTC (12:00 in Berlin), again for every test
const START = Date.UTC(2026, 5, 1, 10);
let clock = manualClock(START);
const { server, sockets } = serverPerTest({ clock: { now: () => clock.now() } });
beforeEach(() => {
  clock = manualClock(START);
});

interface Couple {
  roomId: string;
  a: ClientSocket;
  b: ClientSocket;
  commitmentId: string;
  lee?: Counsellor;
}

async function agreeOn(a: ClientSocket, b: ClientSocket, title = 'We walk before we talk'): Promise<string> {
  const proposed = await request<{ agreementId: string }>(a, 'agreement:propose', { title, category: 'communication' });
  if (!proposed.ok) throw new Error(proposed.error.code);
  expect((await request(a, 'agreement:accept', { agreementId: proposed.agreementId })).ok).toBe(true);
  const second = await request<{ commitment: { id: string } }>(b, 'agreement:accept', { agreementId: proposed.agreementId });
  if (!second.ok) throw new Error(second.error.code);
  return second.commitment.id;
}

async function couple(): Promise<Couple> {
  const created = await createRoomOverHttp(server.url, 'Sam');
  const a = await connectClient(server.url);
  const b = await connectClient(server.url);
  sockets.push(a, b);
  const claimed = await claimSeat(b, created, { name: 'Alex' });
  expect((await request(a, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken })).ok).toBe(true);
  expect((await request(b, 'room:join', { roomId: claimed.roomId, deviceToken: claimed.deviceToken })).ok).toBe(true);
  return { roomId: created.roomId, a, b, commitmentId: await agreeOn(a, b) };
}

async function moderated(): Promise<Couple & { lee: Counsellor }> {
  const lee = await registerCounsellor(server.url);
  sockets.push(lee.socket);
  const created = await createModeratedRoom(lee);
  const a = await partnerJoins(server.url, created, 'A', 'Jo');
  const b = await partnerJoins(server.url, created, 'B', 'Rae');
  sockets.push(a.socket, b.socket);
  return { roomId: created.room.roomId, a: a.socket, b: b.socket, lee, commitmentId: await agreeOn(a.socket, b.socket) };
}

async function view(socket: ClientSocket): Promise<CheckInView> {
  const res = await request<{ checkIns: CheckInView }>(socket, 'checkIn:get', {});
  if (!res.ok) throw new Error(res.error.code);
  return res.checkIns;
}

async function weekly(c: Couple): Promise<CheckInView> {
  const res = await request<{ checkIns: CheckInView }>(c.a, 'checkIn:setRhythm', { commitmentId: c.commitmentId, kind: 'weekly', weekday: 'sunday', timeZone: 'Europe/Berlin' });
  if (!res.ok) throw new Error(res.error.code);
  return res.checkIns;
}

describe('check-ins between sessions', () => {
  it('[CI-01, CI-03] a rhythm set by one partner is seen by both, with the week ending on the chosen day in their zone', async () => {
    const c = await couple();
    const changed = nextEvent<{ at: number }>(c.b, 'checkIn:changed');
    const mine = await weekly(c);
    expect(await changed).toEqual({ at: clock.now() });
    const theirs = await view(c.b);
    expect(theirs.commitments[0]).toMatchObject({ commitmentId: c.commitmentId, title: 'We walk before we talk', rhythm: { kind: 'weekly', weekday: 'sunday', timeZone: 'Europe/Berlin', setBy: 'A' } });
    expect(theirs.commitments[0]!.openKeys).toEqual(['w:2026-06-01']);
    expect(mine.commitments[0]!.periods.at(-1)).toMatchObject({ firstDay: '2026-06-01', lastDay: '2026-06-07', dueAt: Date.UTC(2026, 5, 7, 17) });
  });

  it('[CI-05, CI-06, CI-07] the other partner\'s answer is withheld on the server until both answered; words kept back never travel', async () => {
    const c = await couple();
    await weekly(c);
    const key = 'w:2026-06-01';
    const a = await request<{ checkIns: CheckInView }>(c.a, 'checkIn:answer', { commitmentId: c.commitmentId, periodKey: key, mark: 'kept', words: 'We walked on Tuesday and Thursday' });
    expect(a.ok).toBe(true);
    const seenByB = await view(c.b);
    expect(seenByB.commitments[0]!.periods.at(-1)!.answers.A).toEqual({ seen: false, at: clock.now() });
    expect(JSON.stringify(seenByB)).not.toContain('Thursday');
    expect(JSON.stringify(seenByB)).not.toContain('"kept"');

    const b = await request<{ checkIns: CheckInView }>(c.b, 'checkIn:answer', { commitmentId: c.commitmentId, periodKey: key, mark: 'kept', words: 'I still felt rushed', shareWords: false });
    if (!b.ok) throw new Error(b.error.code);
    const period = b.checkIns.commitments[0]!.periods.at(-1)!;
    expect(period.revealed).toBe(true);
    expect(period.answers.A).toMatchObject({ seen: true, mark: 'kept', words: 'We walked on Tuesday and Thursday' });
    expect(b.checkIns.commitments[0]!.celebration).toBe('You both kept it this week. Small steps like this are how trust grows back.');
    const seenByA = await view(c.a);
    expect(seenByA.commitments[0]!.periods.at(-1)!.answers.B).toMatchObject({ seen: true, mark: 'kept', words: null, wordsKept: true });
    expect(JSON.stringify(seenByA)).not.toContain('rushed');
  });

  it('[CI-05] forgeries are refused: a seat in the payload, a closed week, a commitment of another room, oversize words', async () => {
    const c = await couple();
    const other = await couple();
    await weekly(c);
    const base = { commitmentId: c.commitmentId, periodKey: 'w:2026-06-01', mark: 'kept' };
    const forged = await request(c.a, 'checkIn:answer', { ...base, seat: 'B' });
    expect(forged.ok === false && forged.error.code).toBe('INVALID_PAYLOAD');
    const oversize = await request(c.a, 'checkIn:answer', { ...base, words: 'x'.repeat(501) });
    expect(oversize.ok === false && oversize.error.code).toBe('INVALID_PAYLOAD');
    const closed = await request(c.a, 'checkIn:answer', { ...base, periodKey: 'w:2026-05-18' });
    expect(closed.ok === false && closed.error.code).toBe('CHECK_IN_CLOSED');
    // the other room's partner names this room's commitment: it is no commitment of theirs
    for (const event of ['checkIn:setRhythm', 'checkIn:answer'] as const) {
      const payload = event === 'checkIn:answer' ? base : { commitmentId: c.commitmentId, kind: 'daily', timeZone: 'UTC' };
      const foreign = await request(other.a, event, payload);
      expect(foreign.ok === false && foreign.error.code, event).toBe('COMMITMENT_NOT_FOUND');
    }
    const badZone = await request(c.a, 'checkIn:setRhythm', { commitmentId: c.commitmentId, kind: 'daily', timeZone: 'Mars/Olympus' });
    expect(badZone.ok === false && badZone.error.code).toBe('INVALID_PAYLOAD');
    // nothing of it landed: B sees no answer from A
    expect((await view(c.b)).commitments[0]!.periods.at(-1)!.answers).toEqual({});
    expect((await view(other.b)).commitments[0]!.rhythm).toBeNull();
  });

  it('[CI-06, CI-08] over several weeks on the server clock: an unanswered week shows once closed, streaks count both kept', async () => {
    const c = await couple();
    await weekly(c);
    const answerWeek = async (key: string, a: string, b: string) => {
      expect((await request(c.a, 'checkIn:answer', { commitmentId: c.commitmentId, periodKey: key, mark: a })).ok).toBe(true);
      expect((await request(c.b, 'checkIn:answer', { commitmentId: c.commitmentId, periodKey: key, mark: b })).ok).toBe(true);
    };
    await answerWeek('w:2026-06-01', 'kept', 'kept');
    clock.advance(7 * DAY);
    await answerWeek('w:2026-06-08', 'kept', 'kept');
    clock.advance(7 * DAY);
    // week 3: only A answers; it stays hidden while open, then shows once closed
    expect((await request(c.a, 'checkIn:answer', { commitmentId: c.commitmentId, periodKey: 'w:2026-06-15', mark: 'struggled' })).ok).toBe(true);
    expect((await view(c.b)).commitments[0]!.streak).toBe(2);
    expect((await view(c.b)).commitments[0]!.periods.at(-1)!.answers.A).toMatchObject({ seen: false });
    clock.advance(10 * DAY);
    const later = (await view(c.b)).commitments[0]!;
    expect(later.periods.find((p) => p.key === 'w:2026-06-15')!.answers.A).toMatchObject({ seen: true, mark: 'struggled' });
    expect(later.streak).toBe(0);
    expect(later.celebration).toBeNull();
    expect(later.periods.map((p) => p.key)).toEqual(['w:2026-06-01', 'w:2026-06-08', 'w:2026-06-15', 'w:2026-06-22']);
  });

  it('[CI-10] a small step noted by one partner is seen by both', async () => {
    const c = await couple();
    expect((await request(c.b, 'checkIn:note', { text: 'We walked before we talked, twice', commitmentId: c.commitmentId })).ok).toBe(true);
    expect((await view(c.a)).notes).toMatchObject([{ text: 'We walked before we talked, twice', seat: 'B', commitmentId: c.commitmentId }]);
    const empty = await request(c.a, 'checkIn:note', { text: '   ' });
    expect(empty.ok === false && empty.error.code).toBe('INVALID_PAYLOAD');
  });

  it('[CI-12] the counsellor: refused without both partners\' consent; with it, marks without words', async () => {
    const c = await moderated();
    await weekly(c);
    const key = 'w:2026-06-01';
    await request(c.a, 'checkIn:answer', { commitmentId: c.commitmentId, periodKey: key, mark: 'kept', words: 'secret words of Jo' });
    await request(c.b, 'checkIn:answer', { commitmentId: c.commitmentId, periodKey: key, mark: 'mostly', words: 'secret words of Rae' });

    const seated = await counsellorEnters(server.url, c.lee, c.roomId);
    sockets.push(seated);
    const get = await request(seated, 'checkIn:get', {});
    expect(get.ok === false && get.error.code).toBe('FORBIDDEN');
    const ask = () => request<{ commitments: CounsellorCommitmentMarks[] }>(c.lee.socket, 'checkIn:counsellorMarks', { roomId: c.roomId, commitmentId: c.commitmentId });
    const none = await ask();
    expect(none.ok === false && none.error.code).toBe('CHECK_IN_NOT_SHARED');
    expect((await request(c.a, 'checkIn:shareWithCounsellor', { commitmentId: c.commitmentId, share: true })).ok).toBe(true);
    const one = await ask();
    expect(one.ok === false && one.error.code).toBe('CHECK_IN_NOT_SHARED');
    const told = nextEvent<{ roomId: string }>(c.lee.socket, 'checkIn:shared');
    const both = await request<{ checkIns: CheckInView }>(c.b, 'checkIn:shareWithCounsellor', { commitmentId: c.commitmentId, share: true });
    if (!both.ok) throw new Error(both.error.code);
    expect(await told).toEqual({ roomId: c.roomId });
    expect(both.checkIns.commitments[0]!.consent).toEqual({ A: true, B: true });
    const marks = await ask();
    if (!marks.ok) throw new Error(marks.error.code);
    expect(marks.commitments).toEqual([
      { commitmentId: c.commitmentId, title: 'We walk before we talk', rhythm: { kind: 'weekly', weekday: 'sunday', timeZone: 'Europe/Berlin' }, periods: [{ key, firstDay: '2026-06-01', lastDay: '2026-06-07', marks: { A: 'kept', B: 'mostly' } }] },
    ]);
    expect(JSON.stringify(marks)).not.toContain('secret');
    // from their seat in the room too, the same marks
    const fromSeat = await request<{ commitments: CounsellorCommitmentMarks[] }>(seated, 'checkIn:counsellorMarks', { roomId: c.roomId });
    expect(fromSeat.ok && fromSeat.commitments).toHaveLength(1);
    // another counsellor does not own the room
    const kim = await registerCounsellor(server.url, 'Kim');
    sockets.push(kim.socket);
    const notOwner = await request(kim.socket, 'checkIn:counsellorMarks', { roomId: c.roomId });
    expect(notOwner.ok === false && notOwner.error.code).toBe('FORBIDDEN');
    // one partner takes it back: nothing more is shown
    await request(c.a, 'checkIn:shareWithCounsellor', { commitmentId: c.commitmentId, share: false });
    const back = await request<{ commitments: CounsellorCommitmentMarks[] }>(c.lee.socket, 'checkIn:counsellorMarks', { roomId: c.roomId });
    expect(back.ok && back.commitments).toEqual([]);
  });

  it('[CI-12] a couple\'s own room has no counsellor to share with', async () => {
    const c = await couple();
    const res = await request(c.a, 'checkIn:shareWithCounsellor', { commitmentId: c.commitmentId, share: true });
    expect(res.ok === false && res.error.code).toBe('FORBIDDEN');
  });

  it('[CI-14] a guided session that ends counts once in the sessions held', async () => {
    const c = await couple();
    expect((await view(c.a)).sessionsHeld).toBe(0);
    expect((await request(c.a, 'session:command', { type: 'propose', packId: 'weekly-check-in', mode: 'aloud' })).ok).toBe(true);
    expect((await request(c.b, 'session:command', { type: 'accept' })).ok).toBe(true);
    const changed = nextEvent(c.b, 'checkIn:changed');
    expect((await request(c.a, 'session:command', { type: 'endSession' })).ok).toBe(true);
    await changed;
    expect((await view(c.b)).sessionsHeld).toBe(1);
  });

  it('deleting the room deletes its check-ins from the store', async () => {
    const c = await couple();
    await weekly(c);
    await request(c.a, 'checkIn:answer', { commitmentId: c.commitmentId, periodKey: 'w:2026-06-01', mark: 'kept', words: 'words to be gone' });
    await request(c.a, 'checkIn:note', { text: 'a note to be gone' });
    const running = server;
    expect((await request(c.a, 'room:delete', { confirmRoomId: c.roomId })).ok).toBe(true);
    await running.stop();
    const storage = await createLevelStorage(running.dataDir);
    try {
      expect(await storage.checkIns.get<CheckInState>(c.roomId)).toBeNull();
    } finally {
      await storage.close();
    }
  });
});
