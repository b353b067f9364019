import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { CounsellorCredentials } from '../../shared/protocol/counsellors';
import { redisServerAvailable } from '../support/redisServer';
import { createModeratedRoom, registerCounsellor } from '../support/counsellorKit';
import { connectClient, createRoomOverHttp, nextEvent, request, type ClientSocket } from '../support/socketClient';
import { createRedisClient } from '../../server/storage/redis/redisClient';
import { YjsDocClient } from '../support/yjsDocClient';
import { freePort } from '../support/redisServer';
import { claimCode, type InProcessNode, redisClusterPerTest, restored, startTcpProxy } from './cluster';

const text = (doc: Y.Doc) => doc.getText('t').toString();

/** A y-protocols update message (sync, type 2) that writes `words` into the text `t`. */
function writing(words: string): Uint8Array<ArrayBuffer> {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, words);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return new Uint8Array([0, 2, ...varUint(update.byteLength), ...update]);
}

function varUint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** Every doc:message a socket receives, as raw bytes, to search for words it must never see. */
function recordDocMessages(socket: ClientSocket): Buffer[] {
  const seen: Buffer[] = [];
  (socket as unknown as { on(e: string, f: (p: { message: Uint8Array }) => void): void }).on('doc:message', (p) =>
    seen.push(Buffer.from(p.message)),
  );
  return seen;
}

/** The session id and offset socket.io-client would present to recover (or the socket id, if none was issued). */
function recoveryClaim(socket: ClientSocket): { pid: string; offset: string } {
  const internals = socket as unknown as { _pid?: string; _lastOffset?: string };
  return { pid: internals._pid ?? socket.id ?? 'unknown', offset: internals._lastOffset ?? '0-0' };
}

function disconnected(socket: ClientSocket): Promise<string> {
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
}

/**
 * A device that was signed out (its seat moved, its room deleted, its counsellor key replaced)
 * on one node, with its sockets on the other, comes back the two ways an attacker's script
 * can: socket.io-client reconnecting by itself after its network was cut while the sign-out
 * happened (presenting its session id and offset, as it does for connection state recovery),
 * and a raw client presenting them in its handshake. Neither may keep or regain a seat, a
 * channel, a read or a write; one that stayed connected is signed out at once.
 */
describe.skipIf(!redisServerAvailable())('a signed-out device comes back (two nodes)', () => {
  const cluster = redisClusterPerTest();
  const { sockets, clients, proxies } = cluster;

  async function twoNodes(): Promise<[InProcessNode, InProcessNode]> {
    await cluster.startNodes(2);
    return cluster.nodes as [InProcessNode, InProcessNode];
  }
  async function socketOn(url: string, auth?: Record<string, unknown>): Promise<ClientSocket> {
    const socket = await connectClient(url, { auth });
    sockets.push(socket);
    return socket;
  }
  async function device(url: string, credentials: { roomId: string; deviceToken: string }): Promise<YjsDocClient> {
    const client = await YjsDocClient.connect(url, credentials);
    clients.push(client);
    return client;
  }

  /** A device behind a connection we can cut, as a phone's network is. */
  async function deviceBehindProxy(node: InProcessNode, credentials: { roomId: string; deviceToken: string }) {
    const proxy = await startTcpProxy(Number(new URL(node.url).port));
    proxies.push(proxy);
    const client = await device(proxy.url, credentials);
    const nodePort = proxy.target;
    return {
      client,
      /** The network goes: the connection drops and reconnecting fails until `networkBack`. */
      async networkGone(): Promise<void> {
        const gone = disconnected(client.socket);
        proxy.target = await freePort();
        proxy.dropAll();
        expect(await gone).toBe('transport close');
      },
      /** The network is back: socket.io-client reconnects by itself, with its session id and offset. */
      async networkBack(): Promise<void> {
        const back = new Promise<void>((resolve) => client.socket.once('connect', () => resolve()));
        proxy.target = nodePort;
        await back;
      },
    };
  }

  /** The old device's two ways back: its own reconnect, and a raw client with its recovery claim. */
  async function comeBack(old: ClientSocket, claim: { pid: string; offset: string }, url: string): Promise<ClientSocket[]> {
    const raw = await socketOn(url, claim);
    for (const socket of [old, raw]) expect(socket.recovered).toBeFalsy();
    return [old, raw];
  }

  /** Every socket in the room's channels, on every node, by id. */
  async function inRoom(node: InProcessNode, roomId: string): Promise<string[]> {
    const ids = new Set<string>();
    for (const channel of [`room:${roomId}`, `seat:${roomId}:A`, `seat:${roomId}:B`, `seat:${roomId}:counsellor`, `doc:${roomId}:agreements`, `doc:${roomId}:counsellor-notes`]) {
      for (const s of await node.app.io.in(channel).fetchSockets()) ids.add(s.id);
    }
    return [...ids].sort();
  }

  /**
   * Sam (A) on node one; Alex (B) with an old phone on node two: one tab whose network is cut
   * now, before the sign-out, and one that stays connected.
   */
  async function roomWithOldPhone() {
    const [one, two] = await twoNodes();
    const created = await createRoomOverHttp(one.url, 'Sam');
    const b = await claimCode(await socketOn(two.url), created.code.code, 'Alex');
    const a = await device(one.url, { roomId: created.roomId, deviceToken: created.deviceToken });
    const offline = await deviceBehindProxy(two, { roomId: b.roomId, deviceToken: b.deviceToken });
    const online = await device(two.url, { roomId: b.roomId, deviceToken: b.deviceToken });
    const claim = recoveryClaim(offline.client.socket);
    await offline.networkGone();
    return { one, two, created, b, a, offline, online, claim };
  }

  /** What the app does after the server closed its connection: connect again. */
  async function connectAgain(socket: ClientSocket): Promise<void> {
    const reconnected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.connect();
    await reconnected;
  }

  async function stored(node: InProcessNode, roomId: string): Promise<string> {
    const doc = new Y.Doc();
    for (const update of await node.storage.docs.load(roomId, 'agreements')) Y.applyUpdate(doc, update);
    return text(doc);
  }

  it('after room:reinvite moves a seat, its old device cannot read what is written after, write, or re-invite the other seat', async () => {
    const { one, two, created, b, a, offline, online, claim } = await roomWithOldPhone();
    const revoked = nextEvent<{ code: string }>(online.socket, 'seat:revoked');
    const closed = disconnected(online.socket);

    expect((await request(a.socket, 'room:reinvite', { seat: 'B' })).ok).toBe(true);
    expect((await revoked).code).toBe('TOKEN_REVOKED');
    expect(await closed).toBe('io server disconnect');
    for (const node of [one, two]) expect(await inRoom(node, created.roomId)).toEqual([a.socket.id]);

    await offline.networkBack();
    await connectAgain(online.socket);
    const comeback = [online.socket, ...(await comeBack(offline.client.socket, claim, two.url))];
    const seen = comeback.map(recordDocMessages);
    for (const socket of comeback) {
      expect(socket.recovered).toBeFalsy();
      expect(await request(socket, 'presence:set', { presence: 'away' })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
      expect(await request(socket, 'room:reinvite', { seat: 'A' })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
      expect(await request(socket, 'doc:message', { doc: 'agreements', message: writing('OLD-DEVICE-WROTE') })).toMatchObject({
        ok: false,
        error: { code: 'NOT_IN_ROOM' },
      });
      expect(await request(socket, 'room:join', { roomId: b.roomId, deviceToken: b.deviceToken })).toMatchObject({
        ok: false,
        error: { code: 'TOKEN_REVOKED' },
      });
    }

    // A writes after the move; a witness on the old device's node (A's second device) gets it,
    // so the old device's sockets on that node would have had it too.
    const witness = await device(two.url, { roomId: created.roomId, deviceToken: created.deviceToken });
    a.doc.getText('t').insert(0, 'WRITTEN-AFTER-THE-MOVE');
    await a.settled();
    await witness.waitFor((doc) => text(doc).includes('WRITTEN-AFTER-THE-MOVE'));
    for (const frames of seen) expect(Buffer.concat(frames).includes('WRITTEN-AFTER-THE-MOVE')).toBe(false);
    expect(await stored(one, created.roomId)).not.toContain('OLD-DEVICE-WROTE');
    for (const node of [one, two]) expect(await inRoom(node, created.roomId)).toEqual([a.socket.id, witness.socket.id].sort());
    expect(a.refusals).toEqual([]);
  });

  it('after room:delete, the old devices cannot come back in, and a write leaves nothing in the store', async () => {
    const { one, two, created, b, a, offline, online, claim } = await roomWithOldPhone();
    const told = nextEvent<{ roomId: string }>(online.socket, 'room:deleted');
    const closed = disconnected(online.socket);

    expect((await request(a.socket, 'room:delete', { confirmRoomId: created.roomId })).ok).toBe(true);
    expect((await told).roomId).toBe(created.roomId);
    expect(await closed).toBe('io server disconnect');
    for (const node of [one, two]) expect(await inRoom(node, created.roomId)).toEqual([]);

    await offline.networkBack();
    await connectAgain(online.socket);
    for (const socket of [online.socket, ...(await comeBack(offline.client.socket, claim, two.url))]) {
      expect(socket.recovered).toBeFalsy();
      expect(await request(socket, 'doc:message', { doc: 'agreements', message: writing('WRITTEN-TO-A-DELETED-ROOM') })).toMatchObject({
        ok: false,
        error: { code: 'NOT_IN_ROOM' },
      });
      expect(await request(socket, 'room:join', { roomId: b.roomId, deviceToken: b.deviceToken })).toMatchObject({
        ok: false,
        error: { code: 'ROOM_NOT_FOUND' },
      });
      expect(await request(socket, 'room:reinvite', { seat: 'A' })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    }
    for (const node of [one, two]) expect(await inRoom(node, created.roomId)).toEqual([]);
    const left = await one.storage.client.keys(`${one.storage.keys.roomPrefix(created.roomId)}*`);
    expect(left).toEqual([one.storage.keys.roomDeleted(created.roomId)]);
  });

  it('writes still arriving on another node while the room is deleted leave nothing of it in Redis', async () => {
    const [one, two] = await twoNodes();
    const created = await createRoomOverHttp(one.url, 'Sam');
    const b = await claimCode(await socketOn(two.url), created.code.code, 'Alex');
    const a = await device(one.url, { roomId: created.roomId, deviceToken: created.deviceToken });
    const writer = await device(two.url, { roomId: b.roomId, deviceToken: b.deviceToken });
    const closed = disconnected(writer.socket);
    // B's script keeps writing, without waiting on any answer, while A deletes the room.
    let sent = 0;
    const flood = setInterval(() => {
      for (let i = 0; i < 10; i++) writer.socket.emit('doc:message', { doc: 'agreements', message: writing(`LATE-WRITE-${sent++}`) });
    }, 1);
    try {
      expect((await request(writer.socket, 'doc:message', { doc: 'agreements', message: writing('STORED-FIRST') })).ok).toBe(true);
      expect((await request(a.socket, 'room:delete', { confirmRoomId: created.roomId })).ok).toBe(true);
      await closed;
    } finally {
      clearInterval(flood);
    }
    expect(sent).toBeGreaterThan(0);
    // Closing the node waits for every command it had in flight, and stores what it still holds.
    await two.close();
    const left = await one.storage.client.keys(`${one.storage.keys.roomPrefix(created.roomId)}*`);
    expect(left).toEqual([one.storage.keys.roomDeleted(created.roomId)]);
  });

  it('a node that missed the sign-out while its subscriptions were down signs the old device out once they are back', async () => {
    const [one, two] = await twoNodes();
    const created = await createRoomOverHttp(one.url, 'Sam');
    const b = await claimCode(await socketOn(two.url), created.code.code, 'Alex');
    const a = await device(one.url, { roomId: created.roomId, deviceToken: created.deviceToken });
    const old = await device(two.url, { roomId: b.roomId, deviceToken: b.deviceToken });
    const revoked = nextEvent<{ code: string }>(old.socket, 'seat:revoked');
    const closed = disconnected(old.socket);
    const back = restored(two);
    // The nodes' subscriber connections drop (a network cut between them and Redis); the seat
    // moves on node one before node two has subscribed again, so its sign-out by pub/sub is lost.
    const admin = createRedisClient(cluster.redis.url);
    try {
      await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      expect((await request(a.socket, 'room:reinvite', { seat: 'B' })).ok).toBe(true);
      await back;
    } finally {
      admin.disconnect();
    }
    expect((await revoked).code).toBe('TOKEN_REVOKED');
    expect(await closed).toBe('io server disconnect');
    for (const node of [one, two]) expect(await inRoom(node, created.roomId)).toEqual([a.socket.id]);
  });

  it("a node that missed a counsellor key's move while its subscriptions were down signs the old workspace out once they are back", async () => {
    const [one, two] = await twoNodes();
    const counsellor = await registerCounsellor(two.url);
    sockets.push(counsellor.socket);
    const revoked = nextEvent(counsellor.socket, 'counsellor:keyRevoked');
    const closed = disconnected(counsellor.socket);
    const back = restored(two);
    const admin = createRedisClient(cluster.redis.url);
    try {
      await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      const moved = await request(await socketOn(one.url), 'counsellor:recover', { recoveryCode: counsellor.recoveryCode });
      expect(moved.ok).toBe(true);
      await back;
    } finally {
      admin.disconnect();
    }
    await revoked;
    expect(await closed).toBe('io server disconnect');
  });

  it('a join racing the seat move on the other node never keeps the seat (30 races)', async () => {
    const [one, two] = await twoNodes();
    const created = await createRoomOverHttp(one.url, 'Sam');
    const a = await socketOn(one.url);
    expect((await request(a, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken })).ok).toBe(true);
    let code = created.code.code;
    let kept = 0;
    let joinedFirst = 0;
    for (let race = 0; race < 30; race++) {
      const claimer = await socketOn(two.url);
      const b = await claimCode(claimer, code, 'Alex');
      claimer.disconnect();
      // The old device joins on node two while A moves its seat on node one, at the same moment.
      const old = await socketOn(two.url);
      // A socket the move disconnects gets no answer at all.
      const joining = request(old, 'room:join', { roomId: b.roomId, deviceToken: b.deviceToken }).catch(() => null);
      // The move is sent 0 to 7 ms after the join, so that the races cover the join's every step.
      await new Promise((resolve) => setTimeout(resolve, race % 8));
      const [joined, moved] = await Promise.all([joining, request<{ code: { code: string } }>(a, 'room:reinvite', { seat: 'B' })]);
      if (!moved.ok) throw new Error(moved.error.code);
      code = moved.code.code;
      if (joined?.ok) joinedFirst += 1;
      // Whatever the join was answered, a round trip later the old device holds no seat.
      const after = old.connected ? await request(old, 'presence:set', { presence: 'away' }).catch(() => null) : null;
      if (after?.ok) kept += 1;
      for (const node of [one, two]) expect(await inRoom(node, created.roomId)).toEqual([a.id]);
      old.disconnect();
    }
    expect(kept).toBe(0);
    console.info(`join racing a seat move: ${joinedFirst} of 30 joins were answered before the move signed them out`);
  });

  it("after a counsellor's key moves to a new device, the old device's workspace and seat cannot come back", async () => {
    const [one, two] = await twoNodes();
    const counsellor = await registerCounsellor(one.url);
    sockets.push(counsellor.socket);
    const room = await createModeratedRoom(counsellor);
    const roomId = room.room.roomId;
    // The old device: its workspace stays connected, its tab in the room loses the network.
    const offlineSeat = await deviceBehindProxy(one, { roomId, deviceToken: counsellor.key });
    const partnerSocket = await socketOn(two.url);
    const invite = room.invites.find((i) => i.seat === 'A')!;
    const partner = await request<{ deviceToken: string }>(partnerSocket, 'invite:claim', {
      invite: invite.token,
      displayName: 'Sam',
      acceptedGroundRules: true,
    });
    if (!partner.ok) throw new Error(partner.error.code);
    const a = await device(two.url, { roomId, deviceToken: partner.deviceToken });
    const claims = [recoveryClaim(counsellor.socket), recoveryClaim(offlineSeat.client.socket)];
    await offlineSeat.networkGone();
    const keyRevoked = nextEvent(counsellor.socket, 'counsellor:keyRevoked');
    const closed = disconnected(counsellor.socket);

    // The new device, on the other node, takes the workspace with the recovery code.
    const newDevice = await socketOn(two.url);
    const moved = await request<CounsellorCredentials>(newDevice, 'counsellor:recover', { recoveryCode: counsellor.recoveryCode });
    if (!moved.ok) throw new Error(moved.error.code);
    await keyRevoked;
    expect(await closed).toBe('io server disconnect');

    await offlineSeat.networkBack();
    await connectAgain(counsellor.socket);
    const comeback = [
      ...(await comeBack(counsellor.socket, claims[0]!, one.url)),
      ...(await comeBack(offlineSeat.client.socket, claims[1]!, one.url)),
    ];
    const seen = comeback.map(recordDocMessages);
    for (const socket of comeback) {
      expect(await request(socket, 'counsellor:rooms', {})).toMatchObject({ ok: false });
      expect(await request(socket, 'room:reinvite', { seat: 'A' })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
      expect(await request(socket, 'doc:message', { doc: 'counsellor-notes', message: writing('OLD-KEY-NOTES') })).toMatchObject({ ok: false });
      expect(await request(socket, 'counsellor:signIn', { key: counsellor.key })).toMatchObject({
        ok: false,
        error: { code: 'COUNSELLOR_KEY_INVALID' },
      });
      expect(await request(socket, 'room:join', { roomId, deviceToken: counsellor.key })).toMatchObject({
        ok: false,
        error: { code: 'TOKEN_REVOKED' },
      });
    }

    // The partner writes after the move; the counsellor's new device, on the old one's node, gets it.
    const witness = await device(one.url, { roomId, deviceToken: moved.key });
    a.doc.getText('t').insert(0, 'AGREED-AFTER-THE-KEY-MOVED');
    await a.settled();
    await witness.waitFor((doc) => text(doc).includes('AGREED-AFTER-THE-KEY-MOVED'));
    for (const frames of seen) expect(Buffer.concat(frames).includes('AGREED-AFTER-THE-KEY-MOVED')).toBe(false);
    const ids = comeback.map((s) => s.id);
    for (const node of [one, two]) for (const id of await inRoom(node, roomId)) expect(ids).not.toContain(id);
  });
});
