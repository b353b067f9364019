import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, permissionMatrix } from '../../shared/permissions';
import { ROOM_NAMING_COUNSELLOR_EVENTS } from '../../shared/protocol/counsellors';
import type { ClientEventName } from '../../shared/protocol/clientEvents';
import type { Role } from '../../shared/protocol/identity';
import { counsellorEnters, createModeratedRoom, partnerJoins, registerCounsellor } from '../support/counsellorKit';
import { connectClient, createRoomOverHttp, request, type ClientSocket } from '../support/socketClient';
import { syncStep1Message } from '../support/syncMessages';
import { startTestServer, type TestServer } from '../support/testServer';

/**
 * The whole permission matrix (shared/permissions.ts), generated from it: every event, sent by
 * every role. An allowed event must never come back NOT_IN_ROOM or FORBIDDEN (nor
 * INVALID_PAYLOAD, which would mean the sample below is wrong and the check proves nothing); a
 * refused one must come back with exactly the named refusal. A new event without a sample here
 * fails to type-check, and fails at run time too.
 */

interface Fixture {
  roomId: string;
  counsellorKey: string;
  recoveryCode: string;
  /** seated sockets of this room */
  partner: ClientSocket;
  counsellor: ClientSocket;
  /** a fresh socket with no seat */
  none: ClientSocket;
}

type Sample = (f: Fixture, role: Role) => unknown;

const unknownToken = 'AAAAAAAAAAAAAAAAAAAAAA';
const unknownDevice = 'x'.repeat(43);

const samples: Record<ClientEventName, Sample> = {
  'invite:inspect': () => ({ invite: unknownToken }),
  'invite:claim': () => ({ invite: unknownToken, displayName: 'Pat', acceptedGroundRules: true }),
  'code:claim': () => ({ code: '000 000', displayName: 'Pat', acceptedGroundRules: true }),
  'room:join': (f) => ({ roomId: f.roomId, deviceToken: unknownDevice }),
  'room:leave': () => ({}),
  'presence:set': () => ({ presence: 'away' }),
  // in this moderated room a partner moves only their own seat (the partner socket here is A),
  // the counsellor a partner's; refusing a join by code is said to have nothing to refuse first
  'room:reinvite': (_f, role) => ({ seat: role === 'counsellor' ? 'B' : 'A' }),
  'room:newCode': (_f, role) => ({ seat: role === 'counsellor' ? 'B' : 'A' }),
  'room:refuseJoin': () => ({ seat: 'B' }),
  'room:delete': (f) => ({ confirmRoomId: f.roomId }),
  'doc:message': () => ({ doc: 'agreements', message: syncStep1Message(new Y.Doc()) }),
  'agreement:propose': () => ({ title: 'We say goodnight', category: 'communication' }),
  // an id no draft has: an allowed seat hears AGREEMENT_NOT_FOUND, which is no refusal of the seat
  'agreement:accept': () => ({ agreementId: 'no-such-agreement' }),
  'agreement:withdraw': () => ({ agreementId: 'no-such-agreement' }),
  'agreement:requestReview': () => ({ agreementId: 'no-such-agreement' }),
  'agreement:clearReview': () => ({ agreementId: 'no-such-agreement' }),
  'version:save': () => ({ name: 'Before the holidays' }),
  // an id no version has: an allowed seat hears VERSION_NOT_FOUND, which is no refusal of the seat
  'version:get': () => ({ versionId: 'no-such-version' }),
  'agreements:records': () => ({}),
  // a commitment id the record does not hold: an allowed seat hears COMMITMENT_NOT_FOUND, no refusal of the seat
  'checkIn:get': () => ({}),
  'checkIn:setRhythm': () => ({ commitmentId: 'no-such-commitment', kind: 'weekly', weekday: 'sunday', timeZone: 'Europe/Berlin' }),
  'checkIn:answer': () => ({ commitmentId: 'no-such-commitment', periodKey: 'w:2026-06-01', mark: 'kept' }),
  'checkIn:note': () => ({ text: 'We walked before we talked, twice' }),
  'checkIn:shareWithCounsellor': () => ({ commitmentId: 'no-such-commitment', share: true }),
  'checkIn:counsellorMarks': (f) => ({ roomId: f.roomId }),
  'session:command': () => ({ type: 'endSession' }),
  'session:sync': () => ({}),
  'session:packs': () => ({}),
  'session:addAgreements': () => ({ proposalIds: ['p1'] }),
  'session:afterwards': () => ({ feeling: 3 }),
  'session:myAfterwards': () => ({}),
  'counsellor:register': () => ({ displayName: 'Kim' }),
  'counsellor:signIn': (f) => ({ key: f.counsellorKey }),
  'counsellor:recover': (f) => ({ recoveryCode: f.recoveryCode }),
  'counsellor:rooms': () => ({}),
  'counsellor:createRoom': () => ({ label: 'P & Q' }),
  'counsellor:lines': (f) => ({ roomId: f.roomId }),
  'counsellor:proposeAgreement': (f) => ({ roomId: f.roomId, title: 'We say goodnight', category: 'communication' }),
  'counsellor:suggestPack': (f) => ({ roomId: f.roomId, packId: null }),
  'counsellor:suggestion': () => ({}),
  'privateLine:send': () => ({ choice: 'talkAlone' }),
  // addressed to seat B, which neither the partner socket (A) nor the counsellor is
  'voice:offer': () => ({ to: 'B', peer: 'peer-aaaa', sdp: 'v=0' }),
  'voice:answer': () => ({ to: 'B', peer: 'peer-aaaa', sdp: 'v=0' }),
  'voice:ice': () => ({ to: 'B', peer: 'peer-aaaa', candidate: null }),
  'voice:state': () => ({ peer: 'peer-aaaa', call: 'start', mic: 'open' }),
  'voice:iceServers': () => ({}),
  'push:publicKey': () => ({}),
  'push:subscribe': () => ({ endpoint: 'https://push.example.org/send/abc', keys: { p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) }, show: 'neutral', kinds: ['reviews'] }),
  'push:unsubscribe': () => ({}),
  'push:mine': () => ({}),
};

const ROLES: readonly Role[] = ['none', 'partner', 'counsellor'];
const EVENTS = Object.keys(permissionMatrix) as ClientEventName[];

let server: TestServer;
const opened: ClientSocket[] = [];
const track = (s: ClientSocket) => (opened.push(s), s);

beforeAll(async () => {
  // A fresh room per case, all from one address, its sockets kept open until the end: more than
  // the default budgets and caps per address.
  server = await startTestServer({ env: { ROOMS_PER_ADDRESS_PER_HOUR: '100000', SOCKETS_PER_ADDRESS: '100000', COUNSELLOR_REGISTRATIONS_PER_ADDRESS_PER_HOUR: '100000', EVENTS_PER_SECOND_PER_ADDRESS: '100000' } });
});

afterAll(async () => {
  for (const s of opened.splice(0)) s.disconnect();
  await server.destroy();
});

/** A moderated room with its counsellor seated and both partners in: a fresh one per case. */
async function fixture(): Promise<Fixture> {
  const lee = await registerCounsellor(server.url);
  track(lee.socket);
  const created = await createModeratedRoom(lee);
  const a = await partnerJoins(server.url, created, 'A', 'Jo');
  const b = await partnerJoins(server.url, created, 'B', 'Rae');
  track(a.socket);
  track(b.socket);
  const counsellor = track(await counsellorEnters(server.url, lee, created.room.roomId));
  const none = track(await connectClient(server.url));
  return {
    roomId: created.room.roomId,
    counsellorKey: lee.key,
    recoveryCode: lee.recoveryCode,
    partner: a.socket,
    counsellor,
    none,
  };
}

const REFUSALS = ['NOT_IN_ROOM', 'FORBIDDEN'];

describe('permission matrix: every event × every role', () => {
  it('has a sample for every event of the matrix, and a row for every sample', () => {
    expect(Object.keys(samples).sort()).toEqual([...EVENTS].sort());
  });

  for (const event of EVENTS) {
    for (const role of ROLES) {
      const expected = authorize(event, role);
      it(`[PM] ${event} × ${role} → ${expected ?? 'allowed'}`, async () => {
        const f = await fixture();
        const socket = f[role];
        const res = await request(socket, event, samples[event](f, role));
        if (expected) {
          expect(res.ok === false && res.error.code, `${event} by ${role}`).toBe(expected);
        } else if (!res.ok) {
          expect([...REFUSALS, 'INVALID_PAYLOAD'], `${event} by ${role}: ${res.error.code}`).not.toContain(res.error.code);
        }
      });
    }
  }
});

describe('permission matrix: a seat of another room, a counsellor who does not own the room', () => {
  it('[PM-other-room] a partner seated in another room is refused every event that names this room, and touches nothing here', async () => {
    const f = await fixture();
    const elsewhere = await createRoomOverHttp(server.url, 'Sam');
    const other = track(await connectClient(server.url));
    expect((await request(other, 'room:join', { roomId: elsewhere.roomId, deviceToken: elsewhere.deviceToken })).ok).toBe(true);

    for (const event of ROOM_NAMING_COUNSELLOR_EVENTS) {
      const res = await request(other, event, samples[event](f, 'partner'));
      expect(res.ok === false && res.error.code, event).toBe('FORBIDDEN');
    }
    // Its own token is no key to this room.
    const join = await request(other, 'room:join', { roomId: f.roomId, deviceToken: elsewhere.deviceToken });
    expect(join.ok === false && join.error.code).toBe('TOKEN_INVALID');
    // Deleting "this" room from there is refused: a socket acts on its own room only.
    const del = await request(other, 'room:delete', { confirmRoomId: f.roomId });
    expect(del.ok === false && del.error.code).toBe('FORBIDDEN');
    const stillThere = await request(f.partner, 'session:sync', {});
    expect(stillThere.ok).toBe(true);
  });

  for (const event of ROOM_NAMING_COUNSELLOR_EVENTS) {
    it(`[PM-not-owner] ${event} naming a room of another counsellor → FORBIDDEN, from the workspace and from their own room`, async () => {
      const f = await fixture();
      const kim = await registerCounsellor(server.url, 'Kim');
      track(kim.socket);
      const kimsRoom = await createModeratedRoom(kim, 'P & Q');
      const kimSeated = track(await counsellorEnters(server.url, kim, kimsRoom.room.roomId));
      for (const socket of [kim.socket, kimSeated]) {
        const res = await request(socket, event, samples[event](f, 'counsellor'));
        expect(res.ok === false && res.error.code, event).toBe('FORBIDDEN');
      }
      // …while the same event naming her own room is allowed.
      const own = await request(kim.socket, event, samples[event]({ ...f, roomId: kimsRoom.room.roomId }, 'counsellor'));
      expect(own.ok, event).toBe(true);
    });
  }

  it('[PM-not-owner] a counsellor key is no seat in another counsellor\'s room', async () => {
    const f = await fixture();
    const kim = await registerCounsellor(server.url, 'Kim');
    track(kim.socket);
    const res = await request(kim.socket, 'room:join', { roomId: f.roomId, deviceToken: kim.key });
    expect(res.ok === false && res.error.code).toBe('TOKEN_INVALID');
  });
});
