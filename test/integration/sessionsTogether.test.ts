import { afterEach, describe, expect, it } from 'vitest';
import type { SessionAfterwards } from '../../shared/protocol/sessions';
import type { SessionState } from '../../shared/session/types';
import { createModeratedRoom, counsellorEnters, partnerJoins, registerCounsellor } from '../support/counsellorKit';
import { closeAll, ok, pairedRoomPerTest, refused, state, takeTurn, type Pair } from '../support/sessionClient';
import { request, type ClientSocket } from '../support/socketClient';

/**
 * Moving on together (TM-39 to TM-41), the counsellor's moves told to the partners (TM-42) and
 * the private answers at the end, with two real Socket.IO clients on a real server.
 */

const room = pairedRoomPerTest();
const sockets: ClientSocket[] = [];
afterEach(() => closeAll(sockets));

const pair = async (): Promise<Pair> => room.pair;

/** A and B start a session of the ten-minute pack and finish its first step (an appreciation). */
async function firstStepDone(p: Pair): Promise<SessionState> {
  await ok(p.a, { type: 'propose', packId: 'first-ten-minutes', mode: 'aloud' });
  await ok(p.b, { type: 'accept' });
  const s = await state(p.a);
  if (s.phase !== 'active' || (s.step.kind !== 'appreciation' && s.step.kind !== 'open')) throw new Error('expected an entry step first');
  const first = p.socketOf(s.step.turn);
  const second = p.socketOf(s.step.turn === 'A' ? 'B' : 'A');
  await ok(first, { type: 'addEntry', id: 'e1', text: 'I like how you laugh.' });
  await ok(first, { type: 'ready' });
  await ok(second, { type: 'ready' });
  return state(p.a);
}

/** Every `session:*` event a socket receives from now on. */
function listen(socket: ClientSocket): Array<{ event: string; args: unknown[] }> {
  const got: Array<{ event: string; args: unknown[] }> = [];
  socket.onAny((event: string, ...args: unknown[]) => got.push({ event, args }));
  return got;
}

describe('moving on together', () => {
  it('[TM-39] a partner alone cannot move both on: the other is asked, and it moves when they agree', async () => {
    const p = await pair();
    await firstStepDone(p);
    const seenByB = listen(p.b);
    await ok(p.a, { type: 'nextStep' });
    const asked = await state(p.b);
    expect(asked).toMatchObject({ phase: 'active', stepIndex: 0, nextAskedBy: 'A' });
    // B was told, in the events of the room, who asks.
    await expect.poll(() => seenByB.some((e) => e.event === 'session:events' && JSON.stringify(e.args).includes('"nextStepAsked"'))).toBe(true);
    // Asking again changes nothing.
    await refused(p.a, { type: 'nextStep' }, 'WRONG_PHASE');
    expect(await state(p.a)).toMatchObject({ stepIndex: 0 });
    await ok(p.b, { type: 'nextStep' });
    const moved = await state(p.a);
    expect(moved).toMatchObject({ phase: 'active', stepIndex: 1, lastMove: { by: 'B', kind: 'movedOnTogether' } });
    expect(moved.phase === 'active' && moved.nextAskedBy).toBeUndefined();
  });

  it('[TM-40] "not yet" keeps both on the step; the asker can take it back', async () => {
    const p = await pair();
    await firstStepDone(p);
    await ok(p.a, { type: 'nextStep' });
    await ok(p.b, { type: 'holdStep' });
    expect(await state(p.a)).toMatchObject({ stepIndex: 0 });
    expect(await state(p.a)).not.toHaveProperty('nextAskedBy');
    await ok(p.b, { type: 'nextStep' });
    await ok(p.b, { type: 'holdStep' });
    await refused(p.a, { type: 'holdStep' }, 'WRONG_PHASE');
    expect(await state(p.b)).toMatchObject({ stepIndex: 0 });
  });
});

describe('the counsellor moves on alone, and the partners read why', () => {
  it('[TM-42] each counsellor action gives both partners one line of who did what', async () => {
    const lee = await registerCounsellor(room.server.url, 'Dr Ortiz');
    sockets.push(lee.socket);
    const created = await createModeratedRoom(lee);
    const roomId = created.room.roomId;
    const a = await partnerJoins(room.server.url, created, 'A', 'Jo');
    const b = await partnerJoins(room.server.url, created, 'B', 'Rae');
    sockets.push(a.socket, b.socket);
    const c = await counsellorEnters(room.server.url, lee, roomId);
    sockets.push(c);
    await ok(a.socket, { type: 'propose', packId: 'first-ten-minutes', mode: 'aloud' });
    await ok(b.socket, { type: 'accept' });

    const expectLine = async (kind: string, extra: Record<string, unknown> = {}) => {
      for (const partner of [a.socket, b.socket]) {
        expect(await state(partner)).toMatchObject({ lastMove: { by: 'counsellor', kind, ...extra } });
      }
    };
    await ok(c, { type: 'nextStep' });
    await expectLine('movedOn', { stepIndex: 0 });
    const talk = await state(a.socket);
    if (talk.phase !== 'active' || talk.step.kind !== 'speaker-listener') throw new Error('expected the talk step');
    const speaker = talk.step.speaker;
    await ok(c, { type: 'advance' });
    await expectLine('advanced', { notch: 'speak', seat: speaker });
    await ok(c, { type: 'grantFloor', seat: speaker === 'A' ? 'B' : 'A' });
    await expectLine('floorGranted', { seat: speaker === 'A' ? 'B' : 'A' });
    await ok(c, { type: 'pause' });
    await expectLine('paused');
    await ok(c, { type: 'resume' });
    await expectLine('resumed');
    await ok(c, { type: 'repeatStep' });
    await expectLine('repeatedStep', { stepIndex: 1 });
    await ok(c, { type: 'skipStep' });
    await expectLine('skippedStep', { stepIndex: 1 });
    // A partner's own turn move clears the line: it is no longer news.
    const open = await state(a.socket);
    if (open.phase !== 'active' || open.step.kind !== 'open') throw new Error('expected the open step');
    await ok(open.step.turn === 'A' ? a.socket : b.socket, { type: 'addEntry', id: 'x1', text: 'It felt good.' });
    expect(await state(a.socket)).not.toHaveProperty('lastMove');
    await ok(c, { type: 'endSession' });
    const ended = await state(b.socket);
    expect(ended).toMatchObject({ phase: 'ended', lastMove: { by: 'counsellor', kind: 'ended' }, summary: { endedBy: 'counsellor', endedEarly: true } });
  });
});

describe('the end of a session', () => {
  it('keeps each partner\'s answer for them alone: nothing of it reaches the other partner\'s socket', async () => {
    const p = await pair();
    await firstStepDone(p);
    await ok(p.a, { type: 'nextStep' });
    await ok(p.b, { type: 'nextStep' });
    const talk = await state(p.a);
    if (talk.phase !== 'active' || talk.step.kind !== 'speaker-listener') throw new Error('expected the talk step');
    // Answers are refused before the end.
    const early = await request(p.a, 'session:afterwards', { feeling: 3 });
    expect(early.ok === false && early.error.code).toBe('WRONG_PHASE');
    await takeTurn(p, talk.step, false);
    await ok(p.a, { type: 'endSession' });
    const ended = await state(p.b);
    expect(ended).toMatchObject({ phase: 'ended', summary: { endedBy: 'A', endedEarly: true } });
    expect(ended.phase === 'ended' && ended.summary.heard).toHaveLength(1);

    const SECRET_WORDS = 'WORDS-OF-A-MARKER-h3Qe';
    const SECRET_TAKE = 'TAKEAWAY-OF-A-MARKER-p8Lm';
    const seenByB = listen(p.b);
    const saved = await request<{ afterwards: SessionAfterwards }>(p.a, 'session:afterwards', { feeling: 4, words: SECRET_WORDS, takeAway: SECRET_TAKE });
    if (!saved.ok) throw new Error(saved.error.code);
    expect(saved.afterwards).toMatchObject({ feeling: 4, words: SECRET_WORDS, takeAway: SECRET_TAKE });
    // The writer reads it back; the other partner has none, and the counsellor has no such event.
    const mine = await request<{ afterwards: SessionAfterwards | null }>(p.a, 'session:myAfterwards', {});
    expect(mine.ok && mine.afterwards?.takeAway).toBe(SECRET_TAKE);
    const theirs = await request<{ afterwards: SessionAfterwards | null }>(p.b, 'session:myAfterwards', {});
    expect(theirs.ok && theirs.afterwards).toBeNull();
    // B answers too, then syncs: still nothing of A's words on any event B's socket received.
    await request(p.b, 'session:afterwards', { feeling: 2 });
    await request(p.b, 'session:sync', {});
    await new Promise((r) => setTimeout(r, 100));
    const everything = JSON.stringify(seenByB);
    expect(everything).not.toContain(SECRET_WORDS);
    expect(everything).not.toContain(SECRET_TAKE);
    expect(seenByB.map((e) => e.event)).not.toContain('session:afterwards');
  });

  it('refuses answers from the counsellor seat', async () => {
    const lee = await registerCounsellor(room.server.url, 'Dr Ortiz');
    sockets.push(lee.socket);
    const created = await createModeratedRoom(lee);
    const c = await counsellorEnters(room.server.url, lee, created.room.roomId);
    sockets.push(c);
    const res = await request(c, 'session:afterwards', { feeling: 3 });
    expect(res.ok === false && res.error.code).toBe('FORBIDDEN');
  });
});
