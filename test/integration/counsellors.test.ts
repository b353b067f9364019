import { ClassicLevel } from 'classic-level';
import { describe, expect, it } from 'vitest';
import { dayOf, readAgreements } from '../../shared/agreements';
import type { AgreementRecordsView } from '../../shared/protocol/agreements';
import type { CounsellorCredentials, CounsellorRoomSummary, PackSuggestion, PrivateLine } from '../../shared/protocol/counsellors';
import { counsellorEnters, createModeratedRoom, partnerJoins, registerCounsellor } from '../support/counsellorKit';
import { serverPerTest } from '../support/serverPerTest';
import { connectClient, nextEvent, request, type ClientSocket } from '../support/socketClient';
import { manualClock } from '../support/testServer';
import { YjsDocClient } from '../support/yjsDocClient';

const { server, sockets, start } = serverPerTest();
const track = <T extends ClientSocket>(s: T): T => (sockets.push(s), s);

/** Every key and value of a stopped server's embedded store, as one text to search. */
async function storedText(dataDir: string): Promise<string> {
  const db = new ClassicLevel<string, string>(`${dataDir}/commonground.leveldb`);
  const everything: string[] = [];
  for await (const [k, v] of db.iterator()) everything.push(k, v);
  await db.close();
  return everything.join('\n');
}

describe('counsellor workspace', () => {
  it('lists only the rooms of the counsellor who asks, two counsellors side by side', async () => {
    const lee = await registerCounsellor(server.url, 'Dr Lee');
    const kim = await registerCounsellor(server.url, 'Kim');
    track(lee.socket);
    track(kim.socket);
    const leeRoom1 = await createModeratedRoom(lee, 'J & R');
    const leeRoom2 = await createModeratedRoom(lee, 'M & T');
    const kimRoom = await createModeratedRoom(kim, 'P & Q');

    const leeList = await request<{ rooms: CounsellorRoomSummary[] }>(lee.socket, 'counsellor:rooms', {});
    const kimList = await request<{ rooms: CounsellorRoomSummary[] }>(kim.socket, 'counsellor:rooms', {});
    expect(leeList.ok && leeList.rooms.map((r) => r.roomId).sort()).toEqual([leeRoom1.room.roomId, leeRoom2.room.roomId].sort());
    expect(kimList.ok && kimList.rooms.map((r) => [r.roomId, r.label])).toEqual([[kimRoom.room.roomId, 'P & Q']]);

    // Signing in again from another tab with the key gives the same list.
    const tab = track(await connectClient(server.url));
    const signedIn = await request<{ rooms: CounsellorRoomSummary[] }>(tab, 'counsellor:signIn', { key: kim.key });
    expect(signedIn.ok && signedIn.rooms.map((r) => r.roomId)).toEqual([kimRoom.room.roomId]);

    // Kim cannot read, suggest to, or propose in Lee's room.
    for (const [event, payload] of [
      ['counsellor:lines', { roomId: leeRoom1.room.roomId }],
      ['counsellor:suggestPack', { roomId: leeRoom1.room.roomId, packId: null }],
      ['counsellor:proposeAgreement', { roomId: leeRoom1.room.roomId, title: 'x', category: 'other' }],
    ] as const) {
      const res = await request(kim.socket, event, payload);
      expect(res.ok === false && res.error.code, event).toBe('FORBIDDEN');
    }
    // Nor take a seat in it with her key.
    const intruder = track(await connectClient(server.url));
    const join = await request(intruder, 'room:join', { roomId: leeRoom1.room.roomId, deviceToken: kim.key });
    expect(join.ok === false && join.error.code).toBe('TOKEN_INVALID');
  });

  it('shows live status: who is here, the pack and step, paused or not', async () => {
    const lee = await registerCounsellor(server.url);
    track(lee.socket);
    const created = await createModeratedRoom(lee);
    const roomId = created.room.roomId;
    expect(created.invites.map((i) => i.seat)).toEqual(['A', 'B']);
    expect(created.codes.map((c) => c.seat)).toEqual(['A', 'B']);

    const herePromise = nextEvent<CounsellorRoomSummary>(lee.socket, 'counsellor:roomStatus', (r) =>
      r.partners.every((p) => p.presence === 'here'),
    );
    const a = track((await partnerJoins(server.url, created, 'A', 'Jo')).socket);
    track((await partnerJoins(server.url, created, 'B', 'Rae')).socket);
    const here = await herePromise;
    expect(here.partners.map((p) => [p.displayName, p.presence])).toEqual([
      ['Jo', 'here'],
      ['Rae', 'here'],
    ]);

    const seat = track(await counsellorEnters(server.url, lee, roomId));
    const packs = await request<{ packs: Array<{ id: string; title: string }> }>(seat, 'session:packs', {});
    if (!packs.ok) throw new Error('no packs');
    const pack = packs.packs[0]!;
    expect((await request(seat, 'session:command', { type: 'choosePack', packId: pack.id })).ok).toBe(true);
    const b = sockets[2]!;
    expect((await request(a, 'session:command', { type: 'accept' })).ok).toBe(true);
    const activePromise = nextEvent<CounsellorRoomSummary>(lee.socket, 'counsellor:roomStatus', (r) => r.session.phase === 'active');
    expect((await request(b, 'session:command', { type: 'accept' })).ok).toBe(true);
    const active = await activePromise;
    expect(active.session).toMatchObject({ packId: pack.id, packTitle: pack.title, stepNumber: 1 });

    const pausedPromise = nextEvent<CounsellorRoomSummary>(lee.socket, 'counsellor:roomStatus', (r) => r.session.phase === 'paused');
    expect((await request(a, 'session:command', { type: 'pause' })).ok).toBe(true);
    expect((await pausedPromise).session.pausedUntil).toBeGreaterThan(Date.now());

    const gonePromise = nextEvent<CounsellorRoomSummary>(lee.socket, 'counsellor:roomStatus', (r) => r.partners[1]!.presence === 'gone');
    b.disconnect();
    expect((await gonePromise).partners[0]!.presence).toBe('here');
  });

  it('a private line reaches the counsellor channel, and the sender only hears that it was sent', async () => {
    const lee = await registerCounsellor(server.url);
    track(lee.socket);
    const created = await createModeratedRoom(lee);
    const a = track((await partnerJoins(server.url, created, 'A', 'Jo')).socket);
    const b = track((await partnerJoins(server.url, created, 'B', 'Rae')).socket);
    const heardByB: string[] = [];
    b.onAny((event) => heardByB.push(event));
    const arriving = nextEvent<PrivateLine>(lee.socket, 'counsellor:privateLine');
    const sent = await request<{ at: number }>(a, 'privateLine:send', { choice: 'talkAlone', text: 'about last week' });
    expect(sent.ok).toBe(true);
    expect(Object.keys(sent)).toEqual(['ok', 'at']);
    expect(await arriving).toMatchObject({ from: 'A', fromName: 'Jo', choice: 'talkAlone', text: 'about last week' });
    const inbox = await request<{ lines: PrivateLine[] }>(lee.socket, 'counsellor:lines', { roomId: created.room.roomId });
    expect(inbox.ok && inbox.lines.map((l) => l.text)).toEqual(['about last week']);
    expect(heardByB).not.toContain('counsellor:privateLine');
    // A counsellor has no private line to send.
    const seat = track(await counsellorEnters(server.url, lee, created.room.roomId));
    const own = await request(seat, 'privateLine:send', { choice: 'talkAlone' });
    expect(own.ok === false && own.error.code).toBe('FORBIDDEN');
  });

  it('opening rooms counts against the per-address budget for new rooms', async () => {
    await server.destroy();
    await start({ env: { ROOMS_PER_ADDRESS_PER_HOUR: '2' } });
    const lee = await registerCounsellor(server.url);
    track(lee.socket);
    await createModeratedRoom(lee, 'one');
    await createModeratedRoom(lee, 'two');
    const third = await request(lee.socket, 'counsellor:createRoom', { label: 'three' });
    expect(third.ok === false && third.error.code).toBe('RATE_LIMITED');
  });

  it('a couple without a counsellor has no private line', async () => {
    const res = await fetch(`${server.url}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Sam', acceptedGroundRules: true }),
    });
    const created = (await res.json()) as { roomId: string; deviceToken: string };
    const a = track(await connectClient(server.url));
    await request(a, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken });
    const line = await request(a, 'privateLine:send', { choice: 'talkAlone' });
    expect(line.ok === false && line.error.code).toBe('FORBIDDEN');
  });

  it('between sessions: a proposed agreement lands in the agreements doc as the counsellor\'s; partners see the suggested pack', async () => {
    const lee = await registerCounsellor(server.url, 'Dr Lee');
    track(lee.socket);
    const created = await createModeratedRoom(lee);
    const roomId = created.room.roomId;
    const a = await partnerJoins(server.url, created, 'A', 'Jo');
    track(a.socket);
    const packs = await request<{ packs: Array<{ id: string; title: string }> }>(a.socket, 'session:packs', {});
    const pack = packs.ok ? packs.packs[0]! : null;

    const suggested = nextEvent<PackSuggestion | null>(a.socket, 'counsellor:suggestion');
    const res = await request(lee.socket, 'counsellor:suggestPack', { roomId, packId: pack!.id });
    expect(res.ok).toBe(true);
    expect(await suggested).toMatchObject({ packId: pack!.id, packTitle: pack!.title });
    const asked = await request<{ suggestion: PackSuggestion | null }>(a.socket, 'counsellor:suggestion', {});
    expect(asked.ok && asked.suggestion?.packId).toBe(pack!.id);
    const unknown = await request(lee.socket, 'counsellor:suggestPack', { roomId, packId: 'no-such-pack' });
    expect(unknown.ok === false && unknown.error.code).toBe('PACK_NOT_FOUND');

    const proposed = await request<{ agreementId: string }>(lee.socket, 'counsellor:proposeAgreement', {
      roomId,
      title: 'We check in every Sunday evening',
      category: 'communication',
    });
    expect(proposed.ok).toBe(true);
    const device = await YjsDocClient.connect(server.url, { roomId, deviceToken: a.deviceToken });
    try {
      const records = await request<{ records: AgreementRecordsView }>(device.socket, 'agreements:records', {});
      if (!records.ok) throw new Error(records.error.code);
      const agreements = readAgreements(device.doc, records.records, dayOf(Date.now()));
      expect(agreements.map((x) => [x.title, x.proposedBy?.seat, x.proposedBy?.name, x.state])).toEqual([
        ['We check in every Sunday evening', 'counsellor', 'Dr Lee', 'draft'],
      ]);
    } finally {
      device.close();
    }
  });
});

describe('counsellor key and recovery code', () => {
  it('the recovery code moves the key: the old key and the old code stop working, rooms follow the new key', async () => {
    const lee = await registerCounsellor(server.url);
    track(lee.socket);
    expect(lee.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(lee.recoveryCode).toMatch(/^[A-Z2-7]{5}(-[A-Z2-7]{5}){3}$/);
    const created = await createModeratedRoom(lee);
    const roomId = created.room.roomId;
    const oldSeat = track(await counsellorEnters(server.url, lee, roomId));

    const revoked = nextEvent<{ message: string }>(lee.socket, 'counsellor:keyRevoked');
    const seatRevoked = nextEvent<{ code: string }>(oldSeat, 'seat:revoked');
    const laptop = track(await connectClient(server.url));
    // Typed from paper: lower case and spaces are fine.
    const typed = lee.recoveryCode.toLowerCase().replace(/-/g, ' ');
    const moved = await request<CounsellorCredentials>(laptop, 'counsellor:recover', { recoveryCode: typed });
    if (!moved.ok) throw new Error(moved.error.code);
    expect(moved.key).not.toBe(lee.key);
    expect(moved.recoveryCode).not.toBe(lee.recoveryCode);
    await revoked;
    expect((await seatRevoked).code).toBe('TOKEN_REVOKED');

    // The new device has the rooms, and its key is the counsellor seat.
    const list = await request<{ rooms: CounsellorRoomSummary[] }>(laptop, 'counsellor:rooms', {});
    expect(list.ok && list.rooms.map((r) => r.roomId)).toEqual([roomId]);
    track(await counsellorEnters(server.url, { ...lee, key: moved.key }, roomId));

    // The old key: refused for the workspace and for the room.
    const oldTab = track(await connectClient(server.url));
    const signIn = await request(oldTab, 'counsellor:signIn', { key: lee.key });
    expect(signIn.ok === false && signIn.error.code).toBe('COUNSELLOR_KEY_INVALID');
    const join = await request(oldTab, 'room:join', { roomId, deviceToken: lee.key });
    expect(join.ok === false && join.error.code).toBe('TOKEN_REVOKED');
    // The old recovery code is used up; the new one works once.
    const again = await request(oldTab, 'counsellor:recover', { recoveryCode: lee.recoveryCode });
    expect(again.ok === false && again.error.code).toBe('RECOVERY_CODE_INVALID');
  });

  it('the server keeps only hashes of the key and the recovery code', async () => {
    const lee = await registerCounsellor(server.url);
    track(lee.socket);
    await server.stop();
    const dump = await storedText(server.dataDir);
    expect(dump).toContain('counsellor');
    expect(dump).not.toContain(lee.key);
    expect(dump.toUpperCase()).not.toContain(lee.recoveryCode.replace(/-/g, ''));
    expect(dump).not.toContain(lee.recoveryCode);
  });
});

describe('counsellor workspaces are bounded', () => {
  it('counsellor:register is limited per address: 980 registrations sent at once make 10 workspaces, the rest RATE_LIMITED', async () => {
    const attackers = await Promise.all(Array.from({ length: 28 }, async () => track(await connectClient(server.url))));
    const answers = await Promise.all(
      Array.from({ length: 980 }, (_, i) => request(attackers[i % attackers.length]!, 'counsellor:register', { displayName: `Bot ${i}` })),
    );
    expect(answers.filter((a) => a.ok)).toHaveLength(10);
    expect(answers.every((a) => a.ok || a.error.code === 'RATE_LIMITED')).toBe(true);
  });

  it('a workspace unused for 30 days expires with its rooms; use, a return or a couple still meeting keeps one', async () => {
    await server.destroy();
    const DAY = 24 * 60 * 60 * 1000;
    const clock = manualClock();
    await start({ clock });

    const idle = await registerCounsellor(server.url, 'Idle marker');
    const lapsed = await registerCounsellor(server.url, 'Lapsed marker');
    const lapsedRoom = await createModeratedRoom(lapsed, 'Lapsed label marker');
    const lapsedPartner = await partnerJoins(server.url, lapsedRoom, 'A', 'Jo');
    const returning = await registerCounsellor(server.url, 'Returning');
    const meeting = await registerCounsellor(server.url, 'Meeting');
    const meetingRoom = await createModeratedRoom(meeting, 'M & T');
    const meetingPartner = await partnerJoins(server.url, meetingRoom, 'A', 'Mo');
    for (const s of [idle.socket, lapsed.socket, returning.socket, meeting.socket, lapsedPartner.socket, meetingPartner.socket]) s.disconnect();

    clock.advance(20 * DAY);
    const tab = track(await connectClient(server.url));
    expect((await request(tab, 'counsellor:signIn', { key: returning.key })).ok).toBe(true);
    // The couple in the meeting counsellor's room comes back; the counsellor does not.
    const mo = track(await connectClient(server.url));
    expect((await request(mo, 'room:join', { roomId: meetingRoom.room.roomId, deviceToken: meetingPartner.deviceToken })).ok).toBe(true);
    mo.disconnect();

    clock.advance(11 * DAY);
    await server.app.sweepExpired();

    const after = track(await connectClient(server.url));
    const code = async (event: string, payload: object) => {
      const res = await request(after, event, payload);
      return res.ok ? 'ok' : res.error.code;
    };
    expect(await code('counsellor:signIn', { key: idle.key })).toBe('COUNSELLOR_KEY_INVALID');
    expect(await code('counsellor:recover', { recoveryCode: idle.recoveryCode })).toBe('RECOVERY_CODE_INVALID');
    expect(await code('counsellor:signIn', { key: lapsed.key })).toBe('COUNSELLOR_KEY_INVALID');
    // Its room went with it, and everything in it.
    expect(await code('room:join', { roomId: lapsedRoom.room.roomId, deviceToken: lapsedPartner.deviceToken })).toBe('ROOM_NOT_FOUND');
    expect(await code('counsellor:signIn', { key: returning.key })).toBe('ok');
    expect(await code('counsellor:signIn', { key: meeting.key })).toBe('ok');

    // Nothing of the expired workspaces is left in the store.
    await server.stop();
    const dump = await storedText(server.dataDir);
    expect(dump).toContain('Returning');
    for (const marker of ['Idle marker', 'Lapsed marker', 'Lapsed label marker', lapsedRoom.room.roomId]) expect(dump).not.toContain(marker);

    // Another 30 days without anyone: the rest go too (a new server on the same folder, same clock).
    clock.advance(31 * DAY);
    await start({ clock, dataDir: server.dataDir });
    await server.app.sweepExpired();
    const last = track(await connectClient(server.url));
    for (const key of [returning.key, meeting.key]) {
      const res = await request(last, 'counsellor:signIn', { key });
      expect(res.ok === false && res.error.code).toBe('COUNSELLOR_KEY_INVALID');
    }
  });
});
