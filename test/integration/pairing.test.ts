import { describe, expect, it } from 'vitest';
import { nearbyCodes } from '../../server/rooms/roomModel';
import { guessPlan } from '../support/codeGuesses';
import { createRoomOverHttp, connectClient, nextEvent, request, type ClientSocket } from '../support/socketClient';
import { serverPerTest } from '../support/serverPerTest';
import { manualClock, tempDataDir } from '../support/testServer';
import { errorMessages } from '../../shared/protocol/errors';
import type { RoomView } from '../../shared/protocol/rooms';
import { counsellorEnters, createModeratedRoom, partnerJoins, registerCounsellor } from '../support/counsellorKit';
import { pairUp } from '../support/sessionClient';

const { server, sockets, start } = serverPerTest();

async function client(options?: Parameters<typeof connectClient>[1]): Promise<ClientSocket> {
  const socket = await connectClient(server.url, options);
  sockets.push(socket);
  return socket;
}

async function roomVersion(roomId: string): Promise<number | undefined> {
  return (await server.app.rooms.getLiveRoom(roomId).catch(() => null))?.version;
}

describe('HTTP', () => {
  it('answers the health check', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('refuses a room without accepted ground rules, with a named error', async () => {
    const res = await fetch(`${server.url}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Sam' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('GROUND_RULES_REQUIRED');
  });

  it('refuses a body that is not JSON with a named error', async () => {
    const res = await fetch(`${server.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_PAYLOAD');
  });

  it('creates a room with a seat, an invite of 128 bits and a six-digit code', async () => {
    const created = await createRoomOverHttp(server.url);
    expect(created.seat).toBe('A');
    expect(Buffer.from(created.roomId, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(Buffer.from(created.invite.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(Buffer.from(created.deviceToken, 'base64url').length).toBeGreaterThanOrEqual(32);
    expect(created.code.code).toMatch(/^\d{6}$/);
    const stored = await server.app.rooms.getLiveRoom(created.roomId);
    expect(JSON.stringify(stored)).not.toContain(created.deviceToken);
    expect(JSON.stringify(stored)).not.toContain(created.invite.token);
  });

  it('sets strict security headers', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('pairing', () => {
  it('pairs by link: both partners see each other here', async () => {
    const created = await createRoomOverHttp(server.url, 'Sam');
    const a = await client();
    const joinedA = await request<{ room: RoomView; you: string }>(a, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken });
    expect(joinedA.ok && joinedA.you).toBe('A');

    const b = await client();
    const info = await request<{ invite: { seat: string; invitedBy: string } }>(b, 'invite:inspect', { invite: created.invite.token });
    expect(info.ok && info.invite).toMatchObject({ seat: 'B', invitedBy: 'Sam', hasCounsellor: false });

    const claimed = await request<{ roomId: string; seat: string; deviceToken: string }>(b, 'invite:claim', {
      invite: created.invite.token,
      displayName: 'Alex',
      acceptedGroundRules: true,
    });
    expect(claimed.ok && claimed.seat).toBe('B');
    if (!claimed.ok) return;

    const seenByA = nextEvent<RoomView>(a, 'room:state', (r) => r.seats.find((s) => s.seat === 'B')?.presence === 'here');
    const joinedB = await request<{ room: RoomView }>(b, 'room:join', { roomId: claimed.roomId, deviceToken: claimed.deviceToken });
    expect(joinedB.ok).toBe(true);
    const view = await seenByA;
    expect(view.seats.map((s) => [s.seat, s.displayName, s.presence])).toEqual([
      ['A', 'Sam', 'here'],
      ['B', 'Alex', 'here'],
    ]);
    expect(view.codes).toEqual([]);
    expect(view.pendingInvites).toEqual([]);
  });

  it('says the room is moderated when refusing a used invite of a counsellor\'s room, so the page can send the reader to the counsellor', async () => {
    const counsellor = await registerCounsellor(server.url);
    const created = await createModeratedRoom(counsellor);
    await partnerJoins(server.url, created, 'A', 'Jo');
    const used = created.invites.find((i) => i.seat === 'A')!.token;
    const stranger = await client();
    const inspect = await request(stranger, 'invite:inspect', { invite: used });
    expect(inspect.ok === false && inspect.error).toMatchObject({ code: 'ROOM_FULL', roomMode: 'moderated' });
    const claim = await request(stranger, 'invite:claim', { invite: used, displayName: 'Kim', acceptedGroundRules: true });
    expect(claim.ok === false && claim.error).toMatchObject({ code: 'ROOM_FULL', roomMode: 'moderated' });
    const unknown = await request(stranger, 'invite:inspect', { invite: 'x'.repeat(22) });
    expect(unknown.ok === false && unknown.error).toEqual({ code: 'INVITE_NOT_FOUND', message: errorMessages.INVITE_NOT_FOUND });
  });

  it('pairs by code, with spaces typed in the middle', async () => {
    const created = await createRoomOverHttp(server.url);
    const b = await client();
    const spaced = `${created.code.code.slice(0, 3)} ${created.code.code.slice(3)}`;
    const claimed = await request<{ seat: string; roomId: string }>(b, 'code:claim', { code: spaced, displayName: 'Alex', acceptedGroundRules: true });
    expect(claimed.ok && claimed.seat).toBe('B');
    expect(claimed.ok && claimed.roomId).toBe(created.roomId);
  });

  it('refuses a third person with a used invite or a used code: ROOM_FULL, and no second seat', async () => {
    const created = await createRoomOverHttp(server.url);
    const b = await client();
    await request(b, 'invite:claim', { invite: created.invite.token, displayName: 'Alex', acceptedGroundRules: true });
    const version = await roomVersion(created.roomId);

    const third = await client();
    const byInvite = await request(third, 'invite:claim', { invite: created.invite.token, displayName: 'Jo', acceptedGroundRules: true });
    expect(byInvite.ok === false && byInvite.error.code).toBe('ROOM_FULL');
    expect(byInvite.ok === false && byInvite.error.message).toBe('This room already has its two partners.');
    const inspect = await request(third, 'invite:inspect', { invite: created.invite.token });
    expect(inspect.ok === false && inspect.error.code).toBe('ROOM_FULL');
    // the page tells the reader whom to ask: here the partner
    expect(inspect.ok === false && inspect.error.roomMode).toBe('couple');
    expect(byInvite.ok === false && byInvite.error.roomMode).toBe('couple');
    const byCode = await request(third, 'code:claim', { code: created.code.code, displayName: 'Jo', acceptedGroundRules: true });
    expect(byCode.ok === false && byCode.error.code).toBe('ROOM_FULL');

    const room = await server.app.rooms.getLiveRoom(created.roomId);
    expect(Object.keys(room.seats).sort()).toEqual(['A', 'B']);
    expect(room.version).toBe(version);
  });

  it('refuses an unknown invite with a named error', async () => {
    const third = await client();
    const res = await request(third, 'invite:claim', { invite: 'A'.repeat(22), displayName: 'Jo', acceptedGroundRules: true });
    expect(res.ok === false && res.error.code).toBe('INVITE_NOT_FOUND');
  });

  it('refuses a protocol version it does not speak at the handshake', async () => {
    await expect(connectClient(server.url, { protocolVersion: 999 })).rejects.toMatchObject({
      data: { code: 'PROTOCOL_MISMATCH' },
    });
  });
});

describe('seats on devices', () => {
  it('keeps the seat across a reconnect with the same device token', async () => {
    const created = await createRoomOverHttp(server.url);
    const first = await client();
    await request(first, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken });
    first.disconnect();
    const again = await client();
    const rejoined = await request<{ you: string }>(again, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken });
    expect(rejoined.ok && rejoined.you).toBe('A');
  });

  it('keeps the room and both seats across a server restart (embedded store)', async () => {
    const dataDir = tempDataDir();
    await server.destroy();
    await start({ dataDir });
    const created = await createRoomOverHttp(server.url);
    const b = await client();
    const claimed = await request<{ deviceToken: string }>(b, 'code:claim', { code: created.code.code, displayName: 'Alex', acceptedGroundRules: true });
    b.disconnect();
    await server.stop();

    await start({ dataDir });
    const a2 = await client();
    const b2 = await client();
    const joinedA = await request<{ you: string }>(a2, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken });
    const joinedB = await request<{ you: string; room: RoomView }>(b2, 'room:join', {
      roomId: created.roomId,
      deviceToken: claimed.ok ? claimed.deviceToken : '',
    });
    expect(joinedA.ok && joinedA.you).toBe('A');
    expect(joinedB.ok && joinedB.you).toBe('B');
    expect(joinedB.ok && joinedB.room.seats.map((s) => s.displayName)).toEqual(['Sam', 'Alex']);
  });

  it('re-inviting a partner signs the old device out', async () => {
    const created = await createRoomOverHttp(server.url);
    const a = await client();
    await request(a, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken });
    const oldPhone = await client();
    const claimed = await request<{ deviceToken: string; roomId: string }>(oldPhone, 'invite:claim', {
      invite: created.invite.token,
      displayName: 'Alex',
      acceptedGroundRules: true,
    });
    if (!claimed.ok) throw new Error('claim failed');
    await request(oldPhone, 'room:join', { roomId: created.roomId, deviceToken: claimed.deviceToken });

    const revoked = nextEvent<{ code: string }>(oldPhone, 'seat:revoked');
    const disconnected = new Promise<string>((resolve) => oldPhone.once('disconnect', resolve));
    const reinvited = await request<{ invite: { token: string }; code: { code: string } }>(a, 'room:reinvite', { seat: 'B' });
    expect(reinvited.ok).toBe(true);
    expect((await revoked).code).toBe('TOKEN_REVOKED');
    expect(await disconnected).toBe('io server disconnect');

    const retry = await client();
    const old = await request(retry, 'room:join', { roomId: created.roomId, deviceToken: claimed.deviceToken });
    expect(old.ok === false && old.error.code).toBe('TOKEN_REVOKED');

    const newPhone = await client();
    const moved = await request<{ seat: string }>(newPhone, 'invite:claim', {
      invite: reinvited.ok ? reinvited.invite.token : '',
      displayName: 'Alex',
      acceptedGroundRules: true,
    });
    expect(moved.ok && moved.seat).toBe('B');
    const stale = await request(retry, 'invite:claim', { invite: created.invite.token, displayName: 'X', acceptedGroundRules: true });
    expect(stale.ok).toBe(false);
  });

  it('a seat moves from its own device: the old device stays until the new one claims, the seat keeps its name, everyone is told', async () => {
    const created = await createRoomOverHttp(server.url, 'Sam');
    const a = await client();
    await request(a, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken });
    const oldPhone = await client();
    const claimed = await request<{ deviceToken: string }>(oldPhone, 'code:claim', { code: created.code.code, displayName: 'Alex', acceptedGroundRules: true });
    if (!claimed.ok) throw new Error('claim failed');
    await request(oldPhone, 'room:join', { roomId: created.roomId, deviceToken: claimed.deviceToken });

    const move = await request<{ invite: { token: string }; code: { code: string } }>(oldPhone, 'room:reinvite', { seat: 'B' });
    if (!move.ok) throw new Error(`move refused: ${move.error.code}`);
    // Still in: a seat-only event works until the new phone claims the seat.
    expect((await request(oldPhone, 'presence:set', { presence: 'away' })).ok).toBe(true);
    // The move code is for the one who asked, never in the room's view.
    expect((await server.app.rooms.getLiveRoom(created.roomId)).codes.find((c) => c.code === move.code.code)).toBeDefined();

    const newPhone = await client();
    const inspected = await request<{ invite: { seatName: string | null } }>(newPhone, 'invite:inspect', { invite: move.invite.token });
    expect(inspected.ok && inspected.invite.seatName).toBe('Alex');
    const revoked = nextEvent<{ code: string }>(oldPhone, 'seat:revoked');
    const told = nextEvent<RoomView>(a, 'room:state', (v) => v.history.some((e) => e.kind === 'moved'));
    const taken = await request<{ seat: string; displayName: string; deviceToken: string }>(newPhone, 'invite:claim', {
      invite: move.invite.token,
      displayName: 'Mallory',
      acceptedGroundRules: true,
    });
    expect(taken.ok && [taken.seat, taken.displayName]).toEqual(['B', 'Alex']);
    expect((await revoked).code).toBe('TOKEN_REVOKED');
    const view = await told;
    expect(view.history.map((e) => [e.kind, e.seat, e.name, e.by, e.via])).toEqual([
      ['joined', 'B', 'Alex', null, 'code'],
      ['moveStarted', 'B', 'Alex', 'B', null],
      ['moved', 'B', 'Alex', null, 'invite'],
    ]);
    expect(view.seats.find((s) => s.seat === 'B')?.displayName).toBe('Alex');
    const joined = await request<{ you: string }>(newPhone, 'room:join', { roomId: created.roomId, deviceToken: taken.ok ? taken.deviceToken : '' });
    expect(joined.ok && joined.you).toBe('B');
    const back = await client();
    const old = await request(back, 'room:join', { roomId: created.roomId, deviceToken: claimed.deviceToken });
    expect(old.ok === false && old.error.code).toBe('TOKEN_REVOKED');
  });
});

describe('seat takeover in a moderated room', () => {
  it('a partner cannot move, re-code or see the code of the other seat; the counsellor moves it and it keeps its name', async () => {
    const counsellor = await registerCounsellor(server.url);
    sockets.push(counsellor.socket);
    const created = await createModeratedRoom(counsellor);
    const roomId = created.room.roomId;
    const jo = await partnerJoins(server.url, created, 'A', 'Jo');
    const rae = await partnerJoins(server.url, created, 'B', 'Rae');
    sockets.push(jo.socket, rae.socket);
    const desk = await counsellorEnters(server.url, counsellor, roomId);
    sockets.push(desk);

    // The attack: Jo re-invites Rae's seat to claim it on a second phone as Rae.
    const reinvite = await request(jo.socket, 'room:reinvite', { seat: 'B' });
    expect(reinvite.ok === false && reinvite.error).toEqual({
      code: 'FORBIDDEN',
      message: 'In a room with a counsellor, only the counsellor can move your partner’s seat to a new device. You can move your own seat from the room menu.',
    });
    const newCode = await request(jo.socket, 'room:newCode', { seat: 'B' });
    expect(newCode.ok === false && newCode.error.code).toBe('FORBIDDEN');
    const stillRae = await request(rae.socket, 'privateLine:send', { choice: 'slowDown' });
    expect(stillRae.ok).toBe(true);

    // The counsellor moves it: Rae's old phone is signed out at once; the seat keeps "Rae".
    const revoked = nextEvent<{ code: string }>(rae.socket, 'seat:revoked');
    const joSees = nextEvent<RoomView>(jo.socket, 'room:state', (v) => v.history.some((e) => e.kind === 'moveStarted'));
    const deskSees = nextEvent<RoomView>(desk, 'room:state', (v) => v.codes.some((c) => c.seat === 'B'));
    const moved = await request<{ invite: { token: string }; code: { code: string } }>(desk, 'room:reinvite', { seat: 'B' });
    if (!moved.ok) throw new Error(`counsellor move refused: ${moved.error.code}`);
    expect((await revoked).code).toBe('TOKEN_REVOKED');
    // Jo hears of the move but never gets the code that would open Rae's seat.
    const joView = await joSees;
    expect(joView.codes).toEqual([]);
    expect(JSON.stringify(joView)).not.toContain(moved.code.code);
    expect((await deskSees).codes.map((c) => c.code)).toContain(moved.code.code);

    const newPhone = await client();
    const inspected = await request<{ invite: { seatName: string } }>(newPhone, 'invite:inspect', { invite: moved.invite.token });
    expect(inspected.ok && inspected.invite.seatName).toBe('Rae');
    const joToldMoved = nextEvent<RoomView>(jo.socket, 'room:state', (v) => v.history.some((e) => e.kind === 'moved'));
    const taken = await request<{ displayName: string }>(newPhone, 'code:claim', { code: moved.code.code, displayName: 'Jo', acceptedGroundRules: true });
    expect(taken.ok && taken.displayName).toBe('Rae');
    expect((await joToldMoved).history.filter((e) => e.seat === 'B').map((e) => [e.kind, e.name, e.by])).toEqual([
      ['joined', 'Rae', null],
      ['moveStarted', 'Rae', 'counsellor'],
      ['moved', 'Rae', null],
    ]);
    const back = await client();
    const old = await request(back, 'room:join', { roomId, deviceToken: rae.deviceToken });
    expect(old.ok === false && old.error.code).toBe('TOKEN_REVOKED');
  });
});

describe('"This is not my partner"', () => {
  it('signs out whoever joined with the code, at once, and gives the creator a new code that works', async () => {
    const created = await createRoomOverHttp(server.url, 'Sam');
    const a = await client();
    await request(a, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken });
    const stranger = await client();
    const seen = nextEvent<RoomView>(a, 'room:state', (v) => v.refusable.length > 0);
    const claimed = await request<{ deviceToken: string }>(stranger, 'code:claim', { code: created.code.code, displayName: 'Jo', acceptedGroundRules: true });
    if (!claimed.ok) throw new Error('claim failed');
    const view = await seen;
    expect(view.refusable).toEqual([{ seat: 'B', name: 'Jo', until: expect.any(Number) }]);
    expect(view.history.at(-1)).toMatchObject({ kind: 'joined', seat: 'B', name: 'Jo', via: 'code' });
    await request(stranger, 'room:join', { roomId: created.roomId, deviceToken: claimed.deviceToken });

    // The one who joined cannot refuse themselves.
    const own = await request(stranger, 'room:refuseJoin', { seat: 'B' });
    expect(own.ok === false && own.error.code).toBe('FORBIDDEN');

    const revoked = nextEvent<{ code: string; message: string }>(stranger, 'seat:revoked');
    const gone = new Promise<string>((resolve) => stranger.once('disconnect', resolve));
    const refused = await request<{ code: { code: string }; invite: { token: string } }>(a, 'room:refuseJoin', { seat: 'B' });
    if (!refused.ok) throw new Error(`refusal refused: ${refused.error.code}`);
    expect((await revoked).code).toBe('JOIN_REFUSED');
    expect(await gone).toBe('io server disconnect');
    const room = await server.app.rooms.getLiveRoom(created.roomId);
    expect(room.seats.B).toBeUndefined();
    expect(room.history?.at(-1)).toMatchObject({ kind: 'refused', seat: 'B', name: 'Jo', by: 'A' });

    const back = await client();
    const again = await request(back, 'room:join', { roomId: created.roomId, deviceToken: claimed.deviceToken });
    expect(again.ok === false && again.error.code).toBe('JOIN_REFUSED');
    const partner = await client();
    const right = await request<{ seat: string; displayName: string }>(partner, 'code:claim', { code: refused.code.code, displayName: 'Alex', acceptedGroundRules: true });
    expect(right.ok && [right.seat, right.displayName]).toEqual(['B', 'Alex']);
  });

  it('is refused ten minutes after the join, and for a join by invite', async () => {
    await server.destroy();
    const clock = manualClock();
    await start({ clock });
    const created = await createRoomOverHttp(server.url, 'Sam');
    const a = await client();
    await request(a, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken });
    await request(await client(), 'code:claim', { code: created.code.code, displayName: 'Jo', acceptedGroundRules: true });
    clock.advance(10 * 60 * 1000);
    const late = await request(a, 'room:refuseJoin', { seat: 'B' });
    expect(late.ok === false && late.error.code).toBe('JOIN_NOT_REFUSABLE');

    const second = await createRoomOverHttp(server.url, 'Sam');
    const a2 = await client();
    await request(a2, 'room:join', { roomId: second.roomId, deviceToken: second.deviceToken });
    await request(await client(), 'invite:claim', { invite: second.invite.token, displayName: 'Alex', acceptedGroundRules: true });
    const byInvite = await request(a2, 'room:refuseJoin', { seat: 'B' });
    expect(byInvite.ok === false && byInvite.error.code).toBe('JOIN_NOT_REFUSABLE');
  });
});

describe('at most 5 sockets per seat', () => {
  it('refuses the sixth room:join of a seat with a named error, and takes one again when one leaves', async () => {
    const created = await createRoomOverHttp(server.url);
    const tabs: ClientSocket[] = [];
    for (let i = 0; i < 5; i++) {
      const tab = await client();
      tabs.push(tab);
      expect((await request(tab, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken })).ok).toBe(true);
    }
    const sixth = await client();
    const refused = await request(sixth, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken });
    expect(refused.ok === false && refused.error.code).toBe('SEAT_SOCKETS_EXCEEDED');
    // A tab that joins again counts once.
    expect((await request(tabs[0]!, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken })).ok).toBe(true);
    await request(tabs[1]!, 'room:leave', {});
    expect((await request(sixth, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken })).ok).toBe(true);
  });

  it('2,000 sockets from one address joining one seat at once: at most 5 are seated', { timeout: 120_000 }, async () => {
    const created = await createRoomOverHttp(server.url);
    const attempts: Array<Promise<ClientSocket>> = [];
    for (let i = 0; i < 2000; i++) attempts.push(client());
    const connected = (await Promise.allSettled(attempts)).flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    // The per-address connection cap may refuse most at the handshake; enough get through to try.
    expect(connected.length).toBeGreaterThan(10);
    const answers = await Promise.all(connected.map((s) => request(s, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken })));
    const codes = answers.map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes.filter((c) => c === 'ok')).toHaveLength(5);
    expect(new Set(codes.filter((c) => c !== 'ok'))).toEqual(new Set(['SEAT_SOCKETS_EXCEEDED']));
    const seated = await server.app.io.in(`seat:${created.roomId}:A`).fetchSockets();
    expect(seated).toHaveLength(5);
  });
});

describe('presence', () => {
  it('shows here, away and gone as the other partner comes and goes', async () => {
    const pair = await pairUp(server.url, server.url, 'code');
    sockets.push(...pair.sockets);
    const { a, b } = pair;
    const presenceOfB = (r: RoomView) => r.seats.find((s) => s.seat === 'B')?.presence;

    const away = nextEvent<RoomView>(a, 'room:state', (r) => presenceOfB(r) === 'away');
    await request(b, 'presence:set', { presence: 'away' });
    await away;
    const gone = nextEvent<RoomView>(a, 'room:state', (r) => presenceOfB(r) === 'gone');
    await request(b, 'room:leave', {});
    await gone;
  });
});

describe('refusals change nothing', () => {
  const malformed: Array<[string, unknown]> = [
    ['room:join', { roomId: 'x' }],
    ['room:join', 'not an object'],
    ['invite:claim', { invite: 'short', displayName: 'Jo', acceptedGroundRules: true }],
    ['invite:claim', { invite: 'A'.repeat(22), displayName: '', acceptedGroundRules: true }],
    // wrong in shape as well as unaccepted: the shape is what is refused
    ['invite:claim', { invite: 'short', displayName: 'Jo', acceptedGroundRules: false }],
    ['code:claim', { code: '12345', displayName: 'Jo', acceptedGroundRules: true }],
    ['code:claim', { code: 123456, displayName: 'Jo', acceptedGroundRules: true }],
    ['code:claim', { code: '123456', displayName: 'x'.repeat(200), acceptedGroundRules: true }],
    ['presence:set', { presence: 'invisible' }],
    ['room:reinvite', { seat: 'C' }],
    ['room:delete', {}],
    ['room:join', { roomId: 'A'.repeat(22), deviceToken: 'B'.repeat(43), extra: true }],
  ];

  it.each(malformed)('%s with %j is refused as INVALID_PAYLOAD', async (event, payload) => {
    const created = await createRoomOverHttp(server.url);
    const a = await client();
    await request(a, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken });
    const before = await server.app.rooms.getLiveRoom(created.roomId);
    const res = await request(a, event, payload);
    expect(res.ok === false && res.error.code).toBe('INVALID_PAYLOAD');
    expect(await server.app.rooms.getLiveRoom(created.roomId)).toEqual(before);
  });

  it('refuses room events from a socket without a seat: NOT_IN_ROOM', async () => {
    const stranger = await client();
    const res = await request(stranger, 'room:reinvite', { seat: 'B' });
    expect(res.ok === false && res.error.code).toBe('NOT_IN_ROOM');
  });

  it('refuses deletion unless the room id is confirmed', async () => {
    const created = await createRoomOverHttp(server.url);
    const a = await client();
    await request(a, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken });
    const res = await request(a, 'room:delete', { confirmRoomId: 'A'.repeat(22) });
    expect(res.ok === false && res.error.code).toBe('FORBIDDEN');
    expect(await roomVersion(created.roomId)).toBeDefined();
  });
});

describe('pairing codes cannot be brute-forced', () => {
  it('blocks an address after its wrong tries, even for the right code', async () => {
    await server.destroy();
    await start({ env: { CODE_TRIES_PER_ADDRESS: '5' } });
    const created = await createRoomOverHttp(server.url);
    const guesser = await client();
    const codes = new Set<string>();
    let code = 0;
    const results: string[] = [];
    while (results.length < 7) {
      const guess = String(code++).padStart(6, '0');
      if (guess === created.code.code) continue;
      codes.add(guess);
      const res = await request(guesser, 'code:claim', { code: guess, displayName: 'Jo', acceptedGroundRules: true });
      results.push(res.ok ? 'ok' : res.error.code);
    }
    expect(results.slice(0, 4)).toEqual(Array(4).fill('CODE_INVALID'));
    expect(results.slice(5)).toEqual(['CODE_TRIES_EXCEEDED', 'CODE_TRIES_EXCEEDED']);
    const right = await request(guesser, 'code:claim', { code: created.code.code, displayName: 'Jo', acceptedGroundRules: true });
    expect(right.ok === false && right.error.code).toBe('CODE_TRIES_EXCEEDED');
    expect(Object.keys((await server.app.rooms.getLiveRoom(created.roomId)).seats)).toEqual(['A']);
  });

  it('warns of the last tries: each of the last three wrong codes says how many tries are left from the network', async () => {
    const created = await createRoomOverHttp(server.url);
    const guesser = await client();
    const wrong = guessPlan([created.code.code], 1, 12)[0]!.slice(0, 11);
    const answers = [];
    for (const code of wrong) answers.push(await request(guesser, 'code:claim', { code, displayName: 'Jo', acceptedGroundRules: true }));
    const refusals = answers.map((res) => (res.ok ? null : res.error));
    expect(server.config.codeTriesPerAddress).toBe(10);
    // tries 1 to 6 leave 9 to 4: no count is said
    for (const refusal of refusals.slice(0, 6)) {
      expect(refusal).toEqual({ code: 'CODE_INVALID', message: errorMessages.CODE_INVALID });
    }
    expect(refusals.slice(6, 10).map((r) => r?.triesLeft)).toEqual([3, 2, 1, 0]);
    expect(refusals[7]).toMatchObject({ code: 'CODE_INVALID', triesLeft: 2 });
    expect(refusals[7]!.message).toBe(`${errorMessages.CODE_INVALID} 2 tries left from this network for the next 15 minutes.`);
    expect(refusals[8]!.message).toMatch(/ 1 try left from this network for the next 15 minutes\.$/);
    expect(refusals[9]!.message).toMatch(/That was the last try from this network for the next 15 minutes/);
    expect(refusals[10]).toEqual({ code: 'CODE_TRIES_EXCEEDED', message: errorMessages.CODE_TRIES_EXCEEDED });
  });

  it('1,000 guesses sent at once on 40 sockets from one address: at most CODE_TRIES_PER_ADDRESS are checked, no live code is found', async () => {
    const rooms = await Promise.all(Array.from({ length: 10 }, () => createRoomOverHttp(server.url)));
    const live = rooms.map((r) => r.code.code);
    // Each socket sends 25 guesses; on ten of them the last one is a live code, so the attacker
    // would find all ten if every guess were checked.
    const guessers = await Promise.all(Array.from({ length: 40 }, () => client()));
    const plan = guessPlan(live);
    expect(plan.flat()).toHaveLength(1000);
    const answers = await Promise.all(
      plan.flatMap((guesses, i) => guesses.map((code) => request(guessers[i]!, 'code:claim', { code, displayName: 'Jo', acceptedGroundRules: true }))),
    );
    const codes = answers.map((r) => (r.ok ? 'ok' : r.error.code));
    const checked = codes.filter((c) => c !== 'CODE_TRIES_EXCEEDED' && c !== 'RATE_LIMITED');
    expect(checked.length).toBeLessThanOrEqual(server.config.codeTriesPerAddress);
    expect(codes.filter((c) => c === 'ok')).toEqual([]);
    for (const room of rooms) expect(Object.keys((await server.app.rooms.getLiveRoom(room.roomId)).seats)).toEqual(['A']);
  });

  it('keeps the wrong-code count of an address across a restart of the embedded store', async () => {
    const dataDir = tempDataDir();
    await server.destroy();
    await start({ dataDir, env: { CODE_TRIES_PER_ADDRESS: '3' } });
    const created = await createRoomOverHttp(server.url);
    const guesser = await client();
    const wrong = ['000001', '000002', '000003'].filter((c) => !nearbyCodes(created.code.code).includes(c) && c !== created.code.code);
    for (const code of wrong.slice(0, 3)) {
      const res = await request(guesser, 'code:claim', { code, displayName: 'Jo', acceptedGroundRules: true });
      expect(res.ok === false && res.error.code).toBe('CODE_INVALID');
    }
    await server.stop();
    await start({ dataDir, env: { CODE_TRIES_PER_ADDRESS: '3' } });
    const after = await client();
    const right = await request(after, 'code:claim', { code: created.code.code, displayName: 'Jo', acceptedGroundRules: true });
    expect(right.ok === false && right.error.code).toBe('CODE_TRIES_EXCEEDED');
  });

  it('counts the addresses of one IPv6 /64 as one address', async () => {
    await server.destroy();
    await start({ env: { CODE_TRIES_PER_ADDRESS: '3', TRUST_PROXY: '1' } });
    const created = await createRoomOverHttp(server.url);
    const from = (address: string) => client({ headers: { 'x-forwarded-for': address } });
    for (const [i, code] of ['000001', '000002', '000003'].entries()) {
      const res = await request(await from(`2001:db8:1:2::${i + 1}`), 'code:claim', { code, displayName: 'Jo', acceptedGroundRules: true });
      expect(res.ok === false && res.error.code).toBe('CODE_INVALID');
    }
    const sameNetwork = await request(await from('2001:db8:1:2:ffff::9'), 'code:claim', { code: created.code.code, displayName: 'Jo', acceptedGroundRules: true });
    expect(sameNetwork.ok === false && sameNetwork.error.code).toBe('CODE_TRIES_EXCEEDED');
    const otherNetwork = await request(await from('2001:db8:1:3::1'), 'code:claim', { code: created.code.code, displayName: 'Alex', acceptedGroundRules: true });
    expect(otherNetwork.ok && otherNetwork.seat).toBe('B');
  });

  it('kills a code after five wrong tries one slip of the finger away', async () => {

    const created = await createRoomOverHttp(server.url);
    const real = created.code.code;
    for (let i = 0; i < 5; i++) {
      // a different address per try, so only the per-code limit is in play
      const guesser = await client();
      const typo = real.slice(0, 5) + String((Number(real[5]) + 1 + i) % 10);
      if (typo === real) continue;
      await request(guesser, 'code:claim', { code: typo, displayName: 'Jo', acceptedGroundRules: true });
    }
    const b = await client();
    const res = await request(b, 'code:claim', { code: real, displayName: 'Alex', acceptedGroundRules: true });
    // a dead code is one that is no longer valid (docs/protocol.md), not one that never was
    expect(res.ok === false && res.error.code).toBe('CODE_EXPIRED');
  });

  it('lets the partner ask for a new code, which works', async () => {
    const created = await createRoomOverHttp(server.url);
    const a = await client();
    await request(a, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken });
    const fresh = await request<{ code: { code: string } }>(a, 'room:newCode', { seat: 'B' });
    if (!fresh.ok) throw new Error('no new code');
    const b = await client();
    const old = await request(b, 'code:claim', { code: created.code.code, displayName: 'Alex', acceptedGroundRules: true });
    expect(old.ok).toBe(false);
    const ok = await request<{ seat: string }>(b, 'code:claim', { code: fresh.code.code, displayName: 'Alex', acceptedGroundRules: true });
    expect(ok.ok && ok.seat).toBe('B');
  });
});

describe('deletion and expiry', () => {
  it('deletes the room and everything in it; the other partner is told', async () => {
    const { created, a, b, tokens, sockets: opened } = await pairUp(server.url, server.url, 'code');
    sockets.push(...opened);
    await server.app.rooms['storage'].docs.append(created.roomId, 'agreements', new Uint8Array([1, 2, 3]));

    const told = nextEvent<{ roomId: string }>(b, 'room:deleted');
    const signedOut = new Promise<string>((resolve) => b.once('disconnect', resolve));
    const res = await request(a, 'room:delete', { confirmRoomId: created.roomId });
    expect(res.ok).toBe(true);
    expect((await told).roomId).toBe(created.roomId);
    expect(await signedOut).toBe('io server disconnect');
    b.connect();

    const storage = server.app.rooms['storage'];
    expect(await storage.rooms.get(created.roomId)).toBeNull();
    expect(await storage.rooms.findByCode(created.code.code)).toBeNull();
    expect(await storage.docs.load(created.roomId, 'agreements')).toEqual([]);
    const rejoin = await request(b, 'room:join', { roomId: created.roomId, deviceToken: tokens.B });
    expect(rejoin.ok === false && rejoin.error.code).toBe('ROOM_NOT_FOUND');
  });

  it('expires a room after the configured time without activity', async () => {
    await server.destroy();
    const clock = manualClock();
    await start({ clock, env: { ROOM_TTL_DAYS: '90' } });
    const created = await createRoomOverHttp(server.url);
    clock.advance(89 * 24 * 3600 * 1000);
    expect(await server.app.rooms.sweepExpired()).toBe(0);
    clock.advance(2 * 24 * 3600 * 1000);
    expect(await server.app.rooms.sweepExpired()).toBe(1);
    const a = await client();
    const res = await request(a, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken });
    expect(res.ok === false && res.error.code).toBe('ROOM_NOT_FOUND');
  });
});
