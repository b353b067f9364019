import { describe, expect, it } from 'vitest';
import type { IceServers, VoiceDescription, VoiceIce, VoiceState } from '../../shared/protocol/voice';
import { VOICE_SDP_MAX } from '../../shared/protocol/voice';
import { counsellorEnters, createModeratedRoom, partnerJoins, registerCounsellor } from '../support/counsellorKit';
import { serverPerTest } from '../support/serverPerTest';
import { pairUp } from '../support/sessionClient';
import { connectClient, nextEvent, request, type ClientSocket } from '../support/socketClient';
import { manualClock } from '../support/testServer';
import { turnCredential } from '../../server/voice/iceServers';

/**
 * Voice signalling (docs/protocol.md, Voice): relayed from a seat to another seat of the same
 * room with `from` set by the server; refused without a seat, to one's own seat, to a counsellor
 * a couple's room has not, oversize; never reaching another room.
 */
const s = serverPerTest({ env: { ICE_SERVERS: 'stun:127.0.0.1:3478,turn:127.0.0.1:3478?transport=udp', TURN_SECRET: 'a-test-secret-of-some-length' } });

const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n';

/** Resolves with every `event` the socket gets within `ms`. */
function collect<T>(socket: ClientSocket, event: string, ms = 300): Promise<T[]> {
  const seen: T[] = [];
  const listener = (payload: T) => void seen.push(payload);
  (socket as unknown as { on(e: string, f: unknown): void }).on(event, listener);
  return new Promise((resolve) =>
    setTimeout(() => {
      (socket as unknown as { off(e: string, f: unknown): void }).off(event, listener);
      resolve(seen);
    }, ms),
  );
}

async function pair() {
  const p = await pairUp(s.server.url);
  s.sockets.push(...p.sockets);
  return p;
}

describe('voice signalling between the partners of one room', () => {
  it('an offer, an answer, candidates and the call state reach the addressed seat, with from set by the server', async () => {
    const { a, b } = await pair();
    const offer = nextEvent<VoiceDescription>(b, 'voice:offer');
    expect(await request(a, 'voice:offer', { to: 'B', peer: 'sam-phone-1', sdp: SDP })).toEqual({ ok: true });
    expect(await offer).toEqual({ from: 'A', peer: 'sam-phone-1', sdp: SDP });

    const answer = nextEvent<VoiceDescription>(a, 'voice:answer');
    expect(await request(b, 'voice:answer', { to: 'A', peer: 'alex-laptop', toPeer: 'sam-phone-1', sdp: SDP })).toEqual({ ok: true });
    expect(await answer).toEqual({ from: 'B', peer: 'alex-laptop', toPeer: 'sam-phone-1', sdp: SDP });

    const candidate = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd' };
    const ice = nextEvent<VoiceIce>(b, 'voice:ice');
    expect(await request(a, 'voice:ice', { to: 'B', peer: 'sam-phone-1', candidate })).toEqual({ ok: true });
    expect(await ice).toEqual({ from: 'A', peer: 'sam-phone-1', candidate });
    const done = nextEvent<VoiceIce>(b, 'voice:ice');
    await request(a, 'voice:ice', { to: 'B', peer: 'sam-phone-1', candidate: null });
    expect((await done).candidate).toBeNull();

    const state = nextEvent<VoiceState>(b, 'voice:state');
    const echo = collect<VoiceState>(a, 'voice:state');
    expect(await request(a, 'voice:state', { peer: 'sam-phone-1', call: 'start', mic: 'open' })).toEqual({ ok: true });
    expect(await state).toEqual({ from: 'A', peer: 'sam-phone-1', call: 'start', mic: 'open' });
    expect(await echo).toEqual([]);

    const query = nextEvent<VoiceState>(a, 'voice:state');
    expect(await request(b, 'voice:state', { peer: 'alex-laptop', call: 'query', mic: 'muted' })).toEqual({ ok: true });
    expect(await query).toEqual({ from: 'B', peer: 'alex-laptop', call: 'query', mic: 'muted' });
    const reply = nextEvent<VoiceState>(b, 'voice:state');
    expect(await request(a, 'voice:state', { to: 'B', peer: 'sam-phone-1', call: 'accept', mic: 'open' })).toEqual({ ok: true });
    expect(await reply).toEqual({ from: 'A', peer: 'sam-phone-1', call: 'accept', mic: 'open' });
    expect(await request(a, 'voice:state', { peer: 'sam-phone-1', call: 'hangUp', mic: 'open' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  });

  it('a socket without a seat is refused NOT_IN_ROOM, and nothing is relayed', async () => {
    const { b } = await pair();
    const stranger = await connectClient(s.server.url);
    s.sockets.push(stranger);
    const seen = collect(b, 'voice:offer');
    for (const [event, payload] of [
      ['voice:offer', { to: 'B', peer: 'stranger-1', sdp: SDP }],
      ['voice:answer', { to: 'B', peer: 'stranger-1', sdp: SDP }],
      ['voice:ice', { to: 'B', peer: 'stranger-1', candidate: null }],
      ['voice:state', { peer: 'stranger-1', call: 'start', mic: 'open' }],
      ['voice:iceServers', {}],
    ] as const) {
      expect(await request(stranger, event, payload)).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    }
    expect(await seen).toEqual([]);
  });

  it('never crosses rooms: a room is not named, only a seat of the sender’s own room, and a foreign room id is refused', async () => {
    const one = await pair();
    const two = await pair();
    const inTwo = [collect(two.a, 'voice:offer'), collect(two.b, 'voice:offer'), collect(two.b, 'voice:state')];
    const inOne = nextEvent<VoiceDescription>(one.b, 'voice:offer');
    await request(one.a, 'voice:offer', { to: 'B', peer: 'sam-phone-1', sdp: SDP });
    await request(one.a, 'voice:state', { peer: 'sam-phone-1', call: 'start', mic: 'open' });
    expect((await inOne).from).toBe('A');
    for (const seen of inTwo) expect(await seen).toEqual([]);
    // Naming the other room is no field of the protocol: refused whole.
    for (const event of ['voice:offer', 'voice:answer'] as const) {
      expect(await request(one.a, event, { to: 'B', peer: 'sam-phone-1', sdp: SDP, roomId: two.roomId })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    }
    expect(await request(one.a, 'voice:ice', { to: 'B', peer: 'sam-phone-1', candidate: null, roomId: two.roomId })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  });

  it('one’s own seat, and a counsellor a couple’s room has not, are refused FORBIDDEN', async () => {
    const { a } = await pair();
    expect(await request(a, 'voice:offer', { to: 'A', peer: 'sam-phone-1', sdp: SDP })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await request(a, 'voice:state', { to: 'A', peer: 'sam-phone-1', call: 'start', mic: 'open' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await request(a, 'voice:ice', { to: 'counsellor', peer: 'sam-phone-1', candidate: null })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('a session description over 16,384 characters, or a candidate over 1,024, is VOICE_SIGNAL_TOO_LARGE; at the limit it passes', async () => {
    const { a, b } = await pair();
    const seen = nextEvent<VoiceDescription>(b, 'voice:offer');
    const atLimit = SDP + 'a'.repeat(VOICE_SDP_MAX - SDP.length);
    expect(await request(a, 'voice:offer', { to: 'B', peer: 'sam-phone-1', sdp: atLimit })).toEqual({ ok: true });
    expect((await seen).sdp).toHaveLength(VOICE_SDP_MAX);
    const over = await request(a, 'voice:offer', { to: 'B', peer: 'sam-phone-1', sdp: atLimit + 'a' });
    expect(over).toMatchObject({ ok: false, error: { code: 'VOICE_SIGNAL_TOO_LARGE' } });
    const overAnswer = await request(a, 'voice:answer', { to: 'B', peer: 'sam-phone-1', sdp: 'x'.repeat(100_000) });
    expect(overAnswer).toMatchObject({ ok: false, error: { code: 'VOICE_SIGNAL_TOO_LARGE' } });
    const candidate = { candidate: 'c'.repeat(1_025), sdpMid: '0', sdpMLineIndex: 0 };
    expect(await request(a, 'voice:ice', { to: 'B', peer: 'sam-phone-1', candidate })).toMatchObject({ ok: false, error: { code: 'VOICE_SIGNAL_TOO_LARGE' } });
    // Wrong in shape as well as too large: the shape is what is wrong.
    expect(await request(a, 'voice:offer', { to: 'Z', peer: 'sam-phone-1', sdp: atLimit + 'a' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await request(a, 'voice:offer', { to: 'B', peer: 'sam-phone-1', sdp: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await request(a, 'voice:offer', { to: 'B', peer: 'short', sdp: SDP })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  });

  it('voice:iceServers gives STUN as configured and TURN with credentials minted for this seat', async () => {
    const { a, b } = await pair();
    const before = Date.now();
    const res = await request<IceServers>(a, 'voice:iceServers', {});
    if (!res.ok) throw new Error(res.error.code);
    expect(res.iceServers[0]).toEqual({ urls: ['stun:127.0.0.1:3478'] });
    const turn = res.iceServers[1]!;
    expect(turn.urls).toEqual(['turn:127.0.0.1:3478?transport=udp']);
    const [expiry] = turn.username!.split(':');
    expect(Number(expiry) * 1000).toBe(res.expiresAt);
    expect(res.expiresAt! - before).toBeGreaterThan(3_590_000);
    expect(turn.credential).toBe(turnCredential('a-test-secret-of-some-length', turn.username!));
    const forB = await request<IceServers>(b, 'voice:iceServers', {});
    expect(forB.ok && forB.iceServers[1]!.username).not.toBe(turn.username);
    // Asking again gets the same credential (until a minute before its expiry), so no new TURN user is minted.
    const again = await request<IceServers>(a, 'voice:iceServers', {});
    expect(again).toEqual(res);
  });
});

describe('voice in a room that has expired since the socket joined', () => {
  it('to: counsellor deletes it then: room:deleted (by: null) and a disconnect, never ROOM_NOT_FOUND', async () => {
    const clock = manualClock(Date.now());
    const server = await s.start({ clock, env: { ROOM_TTL_DAYS: '1' } });
    const lee = await registerCounsellor(server.url);
    s.sockets.push(lee.socket);
    const created = await createModeratedRoom(lee);
    const jo = await partnerJoins(server.url, created, 'A', 'Jo');
    s.sockets.push(jo.socket);
    clock.advance(2 * 24 * 60 * 60 * 1000);
    const deleted = nextEvent<{ code: string; by: unknown }>(jo.socket, 'room:deleted');
    const answer = request(jo.socket, 'voice:offer', { to: 'counsellor', peer: 'jo-phone-1', sdp: SDP }).catch((err: Error) => err.message);
    expect(await deleted).toMatchObject({ code: 'ROOM_DELETED', by: null });
    // The server disconnects the socket; an ack that still gets out first is NOT_IN_ROOM.
    const settled = await answer;
    if (typeof settled === 'string') expect(settled).toMatch(/disconnected/);
    else expect(settled).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  });
});

describe('voice and the event limits', () => {
  it('voice events count against EVENTS_PER_SECOND like every event', async () => {
    const server = await s.start({ env: { EVENTS_PER_SECOND: '3' } });
    const p = await pairUp(server.url);
    s.sockets.push(...p.sockets);
    // The join already spent one of this second's events; wait for the next window.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const answers = await Promise.all(Array.from({ length: 5 }, () => request(p.a, 'voice:ice', { to: 'B', peer: 'sam-phone-1', candidate: null })));
    expect(answers.filter((r) => r.ok)).toHaveLength(3);
    expect(answers.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
  });
});

describe('voice in a moderated room', () => {
  it('partners and the counsellor reach each other; each partner may call the counsellor', async () => {
    const lee = await registerCounsellor(s.server.url);
    s.sockets.push(lee.socket);
    const created = await createModeratedRoom(lee);
    const jo = await partnerJoins(s.server.url, created, 'A', 'Jo');
    const rae = await partnerJoins(s.server.url, created, 'B', 'Rae');
    const counsellor = await counsellorEnters(s.server.url, lee, created.room.roomId);
    s.sockets.push(jo.socket, rae.socket, counsellor);
    const toCounsellor = nextEvent<VoiceDescription>(counsellor, 'voice:offer');
    expect(await request(jo.socket, 'voice:offer', { to: 'counsellor', peer: 'jo-phone-1', sdp: SDP })).toEqual({ ok: true });
    expect((await toCounsellor).from).toBe('A');
    const toRae = nextEvent<VoiceDescription>(rae.socket, 'voice:offer');
    const notJo = collect(jo.socket, 'voice:offer');
    expect(await request(counsellor, 'voice:offer', { to: 'B', peer: 'lee-laptop', sdp: SDP })).toEqual({ ok: true });
    expect((await toRae).from).toBe('counsellor');
    expect(await notJo).toEqual([]);
    // The workspace socket (signed in, no seat in the room) has nobody to call.
    expect(await request(lee.socket, 'voice:offer', { to: 'A', peer: 'lee-laptop', sdp: SDP })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  });
});
