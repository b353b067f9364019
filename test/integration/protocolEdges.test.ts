import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomView } from '../../shared/protocol/rooms';
import { PROTOCOL_VERSION } from '../../shared/protocol/version';
import { connectClient, createRoomOverHttp, nextEvent, request, type ClientSocket } from '../support/socketClient';
import { syncUpdateMessage } from '../support/syncMessages';
import { startTestServer, type TestServer } from '../support/testServer';

/**
 * The value rules and refusals docs/protocol.md states for rooms, pairing and the transport,
 * tried as a script that read only the document would try them: against a real server, with
 * raw Engine.IO frames where the document speaks of frames.
 */

let server: TestServer;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  // every case makes a room of its own over HTTP
  server = await startTestServer({ env: { ROOMS_PER_ADDRESS_PER_HOUR: '1000' } });
});

afterAll(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await server.destroy();
});

async function client(): Promise<ClientSocket> {
  const socket = await connectClient(server.url);
  sockets.push(socket);
  return socket;
}

async function seatedCreator(): Promise<{ socket: ClientSocket; created: Awaited<ReturnType<typeof createRoomOverHttp>> }> {
  const created = await createRoomOverHttp(server.url);
  const socket = await client();
  const joined = await request(socket, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken });
  if (!joined.ok) throw new Error('join failed');
  return { socket, created };
}

function postRoom(body: unknown): Promise<Response> {
  return fetch(`${server.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

const codeOf = (res: { ok: boolean; error?: { code: string } }) => (res.ok ? 'ok' : res.error?.code);

describe('the order of the checks', () => {
  it('a socket without a seat sending a malformed room event gets NOT_IN_ROOM, not INVALID_PAYLOAD', async () => {
    const socket = await client();
    expect(codeOf(await request(socket, 'room:delete', { confirmRoomId: 42 }))).toBe('NOT_IN_ROOM');
  });

  it('an event not in the protocol is INVALID_PAYLOAD and spends no rate limit', async () => {
    const socket = await client();
    // EVENTS_PER_SECOND is 40: twice that many unknown events, then a real one
    const unknown = await Promise.all(Array.from({ length: 80 }, () => request(socket, 'room:explode', {})));
    expect(new Set(unknown.map(codeOf))).toEqual(new Set(['INVALID_PAYLOAD']));
    expect(codeOf(await request(socket, 'room:leave', {}))).toBe('NOT_IN_ROOM');
  });
});

describe('ground rules', () => {
  it.each([[{ displayName: 'Sam' }], [{ displayName: 'Sam', acceptedGroundRules: false }], [{ displayName: 'Sam', acceptedGroundRules: 'yes' }]])(
    'POST /api/rooms %j is 400 GROUND_RULES_REQUIRED',
    async (body) => {
      const res = await postRoom(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toEqual({
        code: 'GROUND_RULES_REQUIRED',
        message: 'Please read and accept the ground rules before you enter.',
      });
    },
  );

  it('a payload also wrong in shape is INVALID_PAYLOAD', async () => {
    const res = await postRoom({ displayName: '', acceptedGroundRules: false });
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_PAYLOAD');
  });

  it('invite:claim and code:claim without them take no seat and charge no code try', async () => {
    const { created } = await seatedCreator();
    const guest = await client();
    const invite = await request(guest, 'invite:claim', { invite: created.invite.token, displayName: 'Alex', acceptedGroundRules: false });
    expect(codeOf(invite)).toBe('GROUND_RULES_REQUIRED');
    // More tries than CODE_TRIES_PER_ADDRESS (10): none of them is a code try.
    for (let i = 0; i < 12; i++) {
      const res = await request(guest, 'code:claim', { code: '000000', displayName: 'Alex' });
      expect(codeOf(res)).toBe('GROUND_RULES_REQUIRED');
    }
    const right = await request<{ seat: string }>(guest, 'code:claim', { code: created.code.code, displayName: 'Alex', acceptedGroundRules: true });
    expect(right.ok && right.seat).toBe('B');
  });
});

describe('names', () => {
  it.each([
    ['x'.repeat(40), true],
    ['x'.repeat(41), false],
    [`  ${'x'.repeat(40)}  `, true],
    // counted in Unicode code points: an emoji is one
    ['😀'.repeat(40), true],
    ['😀'.repeat(41), false],
    ['   ', false],
    ['Sam\u0007', false],
  ])('displayName %j accepted: %s', async (displayName, accepted) => {
    const res = await postRoom({ displayName, acceptedGroundRules: true });
    expect(res.status).toBe(accepted ? 201 : 400);
  });
});

describe('seats and deletion', () => {
  it('room:newCode takes a partner seat only: the counsellor seat is INVALID_PAYLOAD', async () => {
    const { socket } = await seatedCreator();
    expect(codeOf(await request(socket, 'room:newCode', { seat: 'counsellor' }))).toBe('INVALID_PAYLOAD');
    expect(codeOf(await request(socket, 'room:newCode', { seat: 'B' }))).toBe('ok');
  });

  it('room:delete with another room id is FORBIDDEN and deletes nothing', async () => {
    const { socket, created } = await seatedCreator();
    const other = await createRoomOverHttp(server.url);
    expect(codeOf(await request(socket, 'room:delete', { confirmRoomId: other.roomId }))).toBe('FORBIDDEN');
    expect(await server.app.rooms.getLiveRoom(created.roomId)).toBeTruthy();
    expect(await server.app.rooms.getLiveRoom(other.roomId)).toBeTruthy();
  });

  it('room:deleted carries the ROOM_DELETED code and who deleted the room', async () => {
    const { socket, created } = await seatedCreator();
    const partner = await client();
    const claimed = await request<{ deviceToken: string }>(partner, 'code:claim', {
      code: created.code.code,
      displayName: 'Alex',
      acceptedGroundRules: true,
    });
    if (!claimed.ok) throw new Error('claim failed');
    await request(partner, 'room:join', { roomId: created.roomId, deviceToken: claimed.deviceToken });
    const told = nextEvent<{ roomId: string; code: string; message: string; by: unknown }>(partner, 'room:deleted');
    expect(codeOf(await request(socket, 'room:delete', { confirmRoomId: created.roomId }))).toBe('ok');
    expect(await told).toEqual({
      roomId: created.roomId,
      code: 'ROOM_DELETED',
      message: 'This room was deleted, with everything in it.',
      by: { seat: 'A', name: 'Sam' },
    });
  });

  it('a code killed by five wrong tries is CODE_EXPIRED and leaves the room view', async () => {
    const { socket, created } = await seatedCreator();
    const real = created.code.code;
    const guesser = await client();
    for (let i = 1; i <= 5; i++) {
      const typo = real.slice(0, 5) + String((Number(real[5]) + i) % 10);
      expect(codeOf(await request(guesser, 'code:claim', { code: typo, displayName: 'Jo', acceptedGroundRules: true }))).toBe('CODE_INVALID');
    }
    const view = nextEvent<RoomView>(socket, 'room:state');
    await request(socket, 'presence:set', { presence: 'away' });
    expect((await view).codes).toEqual([]);
    const late = await client();
    expect(codeOf(await request(late, 'code:claim', { code: real, displayName: 'Alex', acceptedGroundRules: true }))).toBe('CODE_EXPIRED');
  });
});

describe('session values', () => {
  it('pause minutes are whole numbers from 1 to 120', async () => {
    const { socket } = await seatedCreator();
    for (const minutes of [1.5, 0, 121, '20']) {
      expect(codeOf(await request(socket, 'session:command', { type: 'pause', minutes }))).toBe('INVALID_PAYLOAD');
    }
    // in range, it reaches the turn machine, which has no session to pause
    expect(codeOf(await request(socket, 'session:command', { type: 'pause', minutes: 120 }))).toBe('SESSION_NOT_FOUND');
  });
});

describe('document message size', () => {
  it('UPDATE_TOO_LARGE past 256 KiB of update, or 256 KiB + 64 bytes of message', async () => {
    const { socket } = await seatedCreator();
    const send = (message: Uint8Array) => request(socket, 'doc:message', { doc: 'agreements', message });
    expect(codeOf(await send(new Uint8Array(256 * 1024 + 65)))).toBe('UPDATE_TOO_LARGE');
    const overByOne = syncUpdateMessage(new Uint8Array(256 * 1024 + 1));
    expect(overByOne.byteLength).toBeLessThanOrEqual(256 * 1024 + 64);
    expect(codeOf(await send(overByOne))).toBe('UPDATE_TOO_LARGE');
    // At the bound, the bytes are read (and these zeros are no update)
    expect(codeOf(await send(syncUpdateMessage(new Uint8Array(256 * 1024))))).not.toBe('UPDATE_TOO_LARGE');
  });
});

describe('a frame over the engine limit', () => {
  /** A raw Engine.IO WebSocket with a Socket.IO connection on the main namespace. */
  async function rawSocket(): Promise<{ ws: WebSocket; maxPayload: number; frames: string[] }> {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    const frames: string[] = [];
    const open = new Promise<number>((resolve) => {
      ws.once('message', (data) => resolve((JSON.parse(String(data).slice(1)) as { maxPayload: number }).maxPayload));
    });
    const maxPayload = await open;
    const connected = new Promise<void>((resolve) => {
      ws.on('message', (data) => {
        frames.push(String(data));
        if (String(data).startsWith('40')) resolve();
      });
    });
    ws.send(`40{"protocolVersion":${PROTOCOL_VERSION}}`);
    await connected;
    return { ws, maxPayload, frames };
  }

  it('closes the WebSocket with 1009 and handles nothing of it', async () => {
    const { socket, created } = await seatedCreator();
    const { ws, maxPayload, frames } = await rawSocket();
    expect(maxPayload).toBe(1_000_000);
    const body = `420["room:join",{"roomId":"${created.roomId}","deviceToken":"${created.deviceToken}","pad":"`;
    const frame = body + 'x'.repeat(maxPayload + 1 - body.length - 3) + '"}]';
    expect(Buffer.byteLength(frame)).toBe(maxPayload + 1);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(frame);
    expect(await closed).toBe(1009);
    expect(frames.filter((f) => f.startsWith('43'))).toEqual([]);
    // the room is as it was
    expect(codeOf(await request(socket, 'presence:set', { presence: 'away' }))).toBe('ok');
  });

  it('at the limit the frame is read and answered', async () => {
    const { ws, maxPayload, frames } = await rawSocket();
    const body = '420["room:leave",{"pad":"';
    const frame = body + 'x'.repeat(maxPayload - body.length - 3) + '"}]';
    expect(Buffer.byteLength(frame)).toBe(maxPayload);
    const answered = new Promise<string>((resolve) => ws.on('message', (data) => String(data).startsWith('430') && resolve(String(data))));
    ws.send(frame);
    expect(JSON.parse((await answered).slice(3))).toEqual([{ ok: false, error: { code: 'NOT_IN_ROOM', message: 'You are not in a room yet.' } }]);
    expect(frames.length).toBeGreaterThan(0);
    ws.close();
  });

  it('over HTTP long-polling the POST is answered 413 and the connection stays', async () => {
    const handshake = await (await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`)).text();
    const { sid, maxPayload } = JSON.parse(handshake.slice(1)) as { sid: string; maxPayload: number };
    const url = `${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`;
    expect((await fetch(url, { method: 'POST', body: `40{"protocolVersion":${PROTOCOL_VERSION}}` })).status).toBe(200);
    expect((await fetch(url)).status).toBe(200);
    const big = await fetch(url, { method: 'POST', body: `42["room:leave",{"pad":"${'x'.repeat(maxPayload)}"}]` });
    expect(big.status).toBe(413);
    expect((await fetch(url, { method: 'POST', body: '420["room:leave",{}]' })).status).toBe(200);
    expect(await (await fetch(url)).text()).toContain('"NOT_IN_ROOM"');
  });
});
