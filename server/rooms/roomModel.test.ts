import { describe, expect, it } from 'vitest';
import {
  checkInvite,
  claimSeat,
  countWrongTry,
  maySeatBeMovedBy,
  refuseJoin,
  findLiveCode,
  isExpired,
  MAX_WRONG_CODE_TRIES,
  nearbyCodes,
  newRoomRecord,
  occupySeat,
  openSeat,
  replaceCode,
  roomView,
  seatForToken,
} from './roomModel';
import { hashSecret, newDeviceToken, newInviteToken, newPairingCode, newRoomId } from './secrets';

const timings = { inviteTtlMs: 72 * 3600_000, codeTtlMs: 10 * 60_000, roomTtlMs: 90 * 24 * 3600_000 };
const t0 = Date.UTC(2026, 10, 21, 12);

function coupleRoom() {
  let room = newRoomRecord({ id: 'room-1', mode: 'couple', now: t0 });
  room = occupySeat(room, 'A', 'Sam', hashSecret('token-a'), t0);
  room = openSeat(room, 'B', { hash: hashSecret('invite-b') }, '123456', t0, timings);
  return room;
}

describe('tokens and ids', () => {
  it('makes room ids and invites of 128 bits and device tokens of 256 bits, all different', () => {
    const ids = new Set(Array.from({ length: 500 }, newRoomId));
    expect(ids.size).toBe(500);
    expect(Buffer.from(newRoomId(), 'base64url')).toHaveLength(16);
    expect(Buffer.from(newInviteToken(), 'base64url')).toHaveLength(16);
    expect(Buffer.from(newDeviceToken(), 'base64url')).toHaveLength(32);
  });

  it('makes six-digit codes, leading zeros kept', () => {
    for (let i = 0; i < 200; i++) expect(newPairingCode()).toMatch(/^\d{6}$/);
  });

  it('hashes secrets one way, stably', () => {
    expect(hashSecret('abc')).toBe(hashSecret('abc'));
    expect(hashSecret('abc')).not.toContain('abc');
    expect(hashSecret('abc')).toHaveLength(64);
  });
});

describe('seats', () => {
  it('every change grows the version by one', () => {
    const room = coupleRoom();
    expect(room.version).toBe(3);
    expect(replaceCode(room, 'B', '654321', t0, timings).version).toBe(4);
  });

  it('finds the seat of a device token, and tells a revoked token apart from an unknown one', () => {
    let room = coupleRoom();
    room = occupySeat(room, 'B', 'Alex', hashSecret('token-b1'), t0);
    expect(seatForToken(room, hashSecret('token-b1'))).toEqual({ ok: true, seat: 'B' });
    room = openSeat(room, 'B', { hash: hashSecret('invite-b2') }, '222222', t0 + 1, timings);
    expect(seatForToken(room, hashSecret('token-b1'))).toEqual({ ok: false, code: 'TOKEN_REVOKED' });
    expect(seatForToken(room, hashSecret('nobody'))).toEqual({ ok: false, code: 'TOKEN_INVALID' });
    expect(room.seats.B?.displayName).toBe('Alex');
    expect(room.seats.B?.tokenHash).toBeNull();
  });

  it('a room expires after its time without activity', () => {
    const room = coupleRoom();
    expect(isExpired(room, t0 + timings.roomTtlMs - 1, timings)).toBe(false);
    expect(isExpired(room, t0 + timings.roomTtlMs, timings)).toBe(true);
  });
});

describe('invites', () => {
  const cases: Array<[string, (r: ReturnType<typeof coupleRoom>) => ReturnType<typeof coupleRoom>, string, number, string]> = [
    ['open invite', (r) => r, 'invite-b', t0, 'ok'],
    ['unknown invite', (r) => r, 'nope', t0, 'INVITE_NOT_FOUND'],
    ['expired invite', (r) => r, 'invite-b', t0 + timings.inviteTtlMs, 'INVITE_EXPIRED'],
    ['used invite, seat taken', (r) => occupySeat(r, 'B', 'Alex', 'h', t0), 'invite-b', t0, 'ROOM_FULL'],
    ['replaced invite', (r) => openSeat(r, 'B', { hash: hashSecret('invite-new') }, '999999', t0, timings), 'invite-b', t0, 'INVITE_USED'],
  ];
  it.each(cases)('%s', (_name, arrange, token, now, expected) => {
    const result = checkInvite(arrange(coupleRoom()), hashSecret(token), now);
    expect(result.ok ? 'ok' : result.code).toBe(expected);
  });

  it('an invite is claimed once', () => {
    const room = occupySeat(coupleRoom(), 'B', 'Alex', hashSecret('t'), t0);
    expect(room.invites.find((i) => i.hash === hashSecret('invite-b'))?.claimedAt).toBe(t0);
  });
});

describe('pairing codes', () => {
  it('a code works within its ten minutes and not after', () => {
    const room = coupleRoom();
    expect(findLiveCode(room, '123456', t0 + timings.codeTtlMs - 1).ok).toBe(true);
    expect(findLiveCode(room, '123456', t0 + timings.codeTtlMs)).toEqual({ ok: false, code: 'CODE_EXPIRED' });
  });

  it('a used code says the room is full', () => {
    const room = occupySeat(coupleRoom(), 'B', 'Alex', hashSecret('t'), t0);
    expect(findLiveCode(room, '123456', t0)).toEqual({ ok: false, code: 'ROOM_FULL' });
  });

  it(`a code dies after ${MAX_WRONG_CODE_TRIES} wrong tries`, () => {
    let room = coupleRoom();
    for (let i = 0; i < MAX_WRONG_CODE_TRIES - 1; i++) room = countWrongTry(room, '123456');
    expect(findLiveCode(room, '123456', t0).ok).toBe(true);
    room = countWrongTry(room, '123456');
    // Typed right after that, it is a code that is no longer valid, not one that never was.
    expect(findLiveCode(room, '123456', t0)).toEqual({ ok: false, code: 'CODE_EXPIRED' });
    expect(roomView(room, {}, t0, timings, 'partners').codes).toEqual([]);
  });

  it('nearby codes are one digit off or two neighbours swapped', () => {
    const near = nearbyCodes('123456');
    expect(near).toHaveLength(54 + 5);
    expect(near).toContain('123457');
    expect(near).toContain('213456');
    expect(near).not.toContain('123456');
    expect(nearbyCodes('111111')).toHaveLength(54);
  });
});

describe('the room view', () => {
  it('shows names, presence and only unused codes; never token hashes', () => {
    const room = coupleRoom();
    const view = roomView(room, { A: 'here' }, t0, timings, 'partners');
    expect(view.seats).toEqual([
      { seat: 'A', displayName: 'Sam', claimed: true, presence: 'here' },
      { seat: 'B', displayName: null, claimed: false, presence: 'gone' },
    ]);
    expect(view.codes).toEqual([{ seat: 'B', code: '123456', expiresAt: t0 + timings.codeTtlMs }]);
    expect(JSON.stringify(view)).not.toContain(hashSecret('token-a'));
  });
});

describe('moving seats', () => {
  function moderatedRoom() {
    let room = newRoomRecord({ id: 'room-m', mode: 'moderated', now: t0, counsellorId: 'c1' });
    room = occupySeat(room, 'counsellor', 'Dr Lee', hashSecret('key'), t0);
    room = openSeat(room, 'A', { hash: hashSecret('invite-a') }, '111111', t0, timings);
    room = openSeat(room, 'B', { hash: hashSecret('invite-b') }, '222222', t0, timings);
    room = claimSeat(room, 'A', 'Jo', hashSecret('token-a'), 'invite', t0).room;
    return claimSeat(room, 'B', 'Rae', hashSecret('token-b'), 'invite', t0).room;
  }

  it('a seat moves from its own device, by the other partner in a couple room, by the counsellor in a moderated one', () => {
    const couple = coupleRoom();
    expect(maySeatBeMovedBy(couple, 'A', 'A').ok).toBe(true);
    expect(maySeatBeMovedBy(couple, 'A', 'B').ok).toBe(true);
    const moderated = moderatedRoom();
    expect(maySeatBeMovedBy(moderated, 'A', 'A').ok).toBe(true);
    expect(maySeatBeMovedBy(moderated, 'counsellor', 'B').ok).toBe(true);
    expect(maySeatBeMovedBy(moderated, 'A', 'B')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(maySeatBeMovedBy(moderated, 'counsellor', 'counsellor')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('a moved seat keeps its name whatever the claimer types, and the history says it moved', () => {
    let room = coupleRoom();
    room = claimSeat(room, 'B', 'Alex', hashSecret('token-b1'), 'code', t0).room;
    room = openSeat(room, 'B', { hash: hashSecret('invite-b2') }, '333333', t0 + 1, timings, { keepDevice: true });
    // its own device asked: still seated until the new one claims
    expect(seatForToken(room, hashSecret('token-b1'))).toEqual({ ok: true, seat: 'B' });
    expect(checkInvite(room, hashSecret('invite-b2'), t0 + 2)).toEqual({ ok: true, value: { seat: 'B' } });
    const claimed = claimSeat(room, 'B', 'Mallory', hashSecret('token-b2'), 'invite', t0 + 2);
    expect(claimed.displaced).toBe(hashSecret('token-b1'));
    expect(claimed.room.seats.B?.displayName).toBe('Alex');
    expect(seatForToken(claimed.room, hashSecret('token-b1'))).toEqual({ ok: false, code: 'TOKEN_REVOKED' });
    expect(claimed.room.history?.map((e) => [e.kind, e.seat, e.name])).toEqual([
      ['joined', 'B', 'Alex'],
      ['moved', 'B', 'Alex'],
    ]);
  });

  it('a moderated room shows pairing codes to the counsellor only', () => {
    let room = newRoomRecord({ id: 'room-m', mode: 'moderated', now: t0, counsellorId: 'c1' });
    room = openSeat(room, 'A', { hash: hashSecret('invite-a') }, '111111', t0, timings);
    expect(roomView(room, {}, t0, timings, 'partners').codes).toEqual([]);
    expect(roomView(room, {}, t0, timings, 'counsellor').codes.map((c) => c.code)).toEqual(['111111']);
  });
});

describe('"This is not my partner"', () => {
  const fresh = { hash: hashSecret('invite-b2') };

  it('signs out whoever joined with the code within ten minutes, forgets their name and opens the seat again', () => {
    const joined = claimSeat(coupleRoom(), 'B', 'Jo', hashSecret('token-jo'), 'code', t0).room;
    const refused = refuseJoin(joined, 'A', 'B', fresh, '444444', t0 + 9 * 60_000, timings);
    if (!refused.ok) throw new Error(refused.code);
    expect(refused.value.refused).toBe(hashSecret('token-jo'));
    expect(refused.value.room.seats.B).toBeUndefined();
    expect(seatForToken(refused.value.room, hashSecret('token-jo'))).toEqual({ ok: false, code: 'JOIN_REFUSED' });
    expect(findLiveCode(refused.value.room, '444444', t0 + 9 * 60_000).ok).toBe(true);
    expect(refused.value.room.history?.at(-1)).toMatchObject({ kind: 'refused', seat: 'B', name: 'Jo', by: 'A' });
  });

  it('is refused after ten minutes, for a join by invite, for the seat itself, and for the other partner in a moderated room', () => {
    const joined = claimSeat(coupleRoom(), 'B', 'Jo', hashSecret('token-jo'), 'code', t0).room;
    expect(refuseJoin(joined, 'A', 'B', fresh, '444444', t0 + 10 * 60_000, timings)).toMatchObject({ ok: false, code: 'JOIN_NOT_REFUSABLE' });
    expect(refuseJoin(joined, 'B', 'B', fresh, '444444', t0, timings)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const byInvite = claimSeat(coupleRoom(), 'B', 'Jo', hashSecret('token-jo'), 'invite', t0).room;
    expect(refuseJoin(byInvite, 'A', 'B', fresh, '444444', t0, timings)).toMatchObject({ ok: false, code: 'JOIN_NOT_REFUSABLE' });
    let moderated = newRoomRecord({ id: 'room-m', mode: 'moderated', now: t0, counsellorId: 'c1' });
    moderated = openSeat(moderated, 'A', { hash: hashSecret('invite-a') }, '111111', t0, timings);
    moderated = openSeat(moderated, 'B', { hash: hashSecret('invite-b') }, '222222', t0, timings);
    moderated = claimSeat(moderated, 'A', 'Jo', hashSecret('token-a'), 'invite', t0).room;
    moderated = claimSeat(moderated, 'B', 'Rae', hashSecret('token-b'), 'code', t0).room;
    expect(refuseJoin(moderated, 'A', 'B', fresh, '444444', t0, timings)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(refuseJoin(moderated, 'counsellor', 'B', fresh, '444444', t0, timings).ok).toBe(true);
  });
});
