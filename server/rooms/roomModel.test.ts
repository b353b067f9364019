import { describe, expect, it } from 'vitest';
import {
  checkInvite,
  countWrongTry,
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
    expect(roomView(room, {}, t0, timings).codes).toEqual([]);
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
    const view = roomView(room, { A: 'here' }, t0, timings);
    expect(view.seats).toEqual([
      { seat: 'A', displayName: 'Sam', claimed: true, presence: 'here' },
      { seat: 'B', displayName: null, claimed: false, presence: 'gone' },
    ]);
    expect(view.codes).toEqual([{ seat: 'B', code: '123456', expiresAt: t0 + timings.codeTtlMs }]);
    expect(JSON.stringify(view)).not.toContain(hashSecret('token-a'));
  });
});
