import { AppError, ErrorCode, errorMessages } from '../../shared/protocol/errors';
import type { ClientEventName } from '../../shared/protocol/clientEvents';
import type { CounsellorService } from '../counsellors/counsellorService';
import type { Logger } from '../logger';
import { consume, refund, type Limiters } from '../security/limiters';
import type { SeatId } from '../../shared/protocol/identity';
import { presenceOf as presenceOfRoom } from './presence';
import type { AppServer, AppSocket, EventDispatcher } from './eventDispatcher';
import { roomChannel, seatChannel, type RealtimeModule } from './realtimeModule';

/** Every socket of one counsellor (workspace tabs and counsellor seats): private lines and live status go here only. */
export const counsellorChannel = (counsellorId: string): string => `counsellor:${counsellorId}`;
/** The workspace sockets signed in with one key, so moving the key signs exactly them out. */
const keyChannel = (keyHash: string): string => `counsellor-key:${keyHash}`;
const isCounsellorChannel = (name: string) => name.startsWith('counsellor:') || name.startsWith('counsellor-key:');

/** Accepted events after which a counsellor's workspace may show something new for the room. */
const STATUS_EVENTS = ['session:command', 'presence:set', 'invite:claim', 'code:claim', 'room:reinvite'] as const satisfies readonly ClientEventName[];
const REFRESH_DELAY_MS = 50;
/** Couple rooms remembered as such, at most this many (then forgotten all at once and learnt again). */
const MAX_REMEMBERED_COUPLE_ROOMS = 10_000;

export interface CounsellorHandlerDeps {
  io: AppServer;
  dispatcher: EventDispatcher;
  counsellors: CounsellorService;
  limiters: Limiters;
  log: Logger;
  addressOf: (socket: AppSocket) => string;
  /** subscribes to "the link between nodes is back after an outage" (server/cluster/redisCluster.ts) */
  onLinkRestored?: (listener: () => void) => () => void;
}

/**
 * Counsellor workspaces, moderated rooms and private lines, thin: parse and authorise (dispatcher and
 * matrix), check that a named room is the counsellor's own, call CounsellorService, and decide
 * who hears what. Nothing a counsellor keeps is ever sent to a room channel or a partner's seat.
 */
export function createCounsellorHandlers(deps: CounsellorHandlerDeps): RealtimeModule {
  const { io, dispatcher, counsellors, limiters, log } = deps;
  const pending = new Map<string, NodeJS.Timeout>();
  /**
   * Rooms known to be a couple's: they have no counsellor to tell, and a room's mode never
   * changes once it is made, so their status is not worked out again after every turn.
   */
  const coupleRooms = new Set<string>();

  const presenceOf = (roomId: string) => presenceOfRoom(io, roomId);

  /** Sends the room's owner its new status, once per burst of changes. */
  function refresh(roomId: string | null | undefined): void {
    if (!roomId || pending.has(roomId) || coupleRooms.has(roomId)) return;
    const timer = setTimeout(() => {
      pending.delete(roomId);
      counsellors
        .summary(roomId, presenceOf)
        .then(async (found) => {
          if (found) return void io.to(counsellorChannel(found.counsellorId)).emit('counsellor:roomStatus', found.room);
          if ((await counsellors.modeOf(roomId)) !== 'couple') return;
          if (coupleRooms.size >= MAX_REMEMBERED_COUPLE_ROOMS) coupleRooms.clear();
          coupleRooms.add(roomId);
        })
        .catch((err: unknown) => log.warn({ roomId, err: err instanceof Error ? err.message : 'unknown' }, 'counsellor status failed'));
    }, REFRESH_DELAY_MS);
    timer.unref();
    pending.set(roomId, timer);
  }

  /** The key each signed-in workspace socket of this node proved itself with, to check it again. */
  const keys = new WeakMap<AppSocket, string>();

  /**
   * A key moved while this node's subscriptions were down: its workspace sockets here missed
   * `counsellor:keyRevoked`. Once the link is back, each is checked against the store.
   */
  async function recheckSignedIn(): Promise<void> {
    for (const socket of io.of('/').sockets.values()) {
      const key = keys.get(socket);
      if (!key) continue;
      try {
        await counsellors.signIn(key);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        keys.delete(socket);
        socket.emit('counsellor:keyRevoked', { message: errorMessages.TOKEN_REVOKED });
        log.info({ refusal: err.code }, 'workspace signed out after the link between nodes came back');
        socket.disconnect(true);
      }
    }
  }
  const stopWatchingLink = deps.onLinkRestored?.(() => {
    recheckSignedIn().catch((err: unknown) =>
      log.warn({ err: err instanceof Error ? err.message : 'unknown' }, 'checking workspaces after the link came back failed'),
    );
  });

  async function bind(socket: AppSocket, counsellorId: string, keyHash: string): Promise<void> {
    for (const name of socket.rooms) if (isCounsellorChannel(name)) await socket.leave(name);
    socket.data.counsellorId = counsellorId;
    if (socket.data.role === 'none') socket.data.role = 'counsellor';
    await socket.join([counsellorChannel(counsellorId), keyChannel(keyHash)]);
  }

  function signedInCounsellor(socket: AppSocket): string {
    const id = socket.data.counsellorId;
    if (!id) throw new AppError(ErrorCode.FORBIDDEN);
    return id;
  }

  function seated(socket: AppSocket): { roomId: string; seat: SeatId } {
    const { roomId, seat } = socket.data;
    if (!roomId || !seat || !socket.rooms.has(roomChannel(roomId))) throw new AppError(ErrorCode.NOT_IN_ROOM);
    return { roomId, seat };
  }

  return {
    name: 'counsellors',
    register() {
      // After an accepted event that can change a room's status, the owning counsellor hears of
      // it: the room the socket was in, the one it is in now, and the one the answer names.
      dispatcher.onAccepted(STATUS_EVENTS, (socket, roomBefore, response) => {
        refresh(roomBefore);
        refresh(socket.data.roomId);
        if ('roomId' in response) refresh(response.roomId);
      });

      dispatcher.on('counsellor:register', async (socket, { displayName }) => {
        // Charged before the workspace is made, so a burst from one address is counted as it comes.
        if (!(await consume(limiters.counsellorRegistrations, deps.addressOf(socket)))) throw new AppError(ErrorCode.RATE_LIMITED);
        const { counsellorId, credentials } = await counsellors.register(displayName);
        const { keyHash } = await counsellors.signIn(credentials.key);
        await bind(socket, counsellorId, keyHash);
        keys.set(socket, credentials.key);
        return credentials;
      });

      dispatcher.on('counsellor:signIn', async (socket, { key }) => {
        const { counsellorId, counsellor, keyHash } = await counsellors.signIn(key);
        await bind(socket, counsellorId, keyHash);
        // A key moved while this socket was being bound signed out only the sockets already in
        // the key's channel: asked again now that this one is in it, the store says so.
        try {
          await counsellors.signIn(key);
        } catch (err) {
          for (const name of socket.rooms) if (isCounsellorChannel(name)) await socket.leave(name);
          socket.data.counsellorId = null;
          if (socket.data.role === 'counsellor' && !socket.data.roomId) socket.data.role = 'none';
          throw err;
        }
        keys.set(socket, key);
        return { counsellor, rooms: await counsellors.listRooms(counsellorId, presenceOf) };
      });

      dispatcher.on('counsellor:recover', async (socket, { recoveryCode }) => {
        const address = deps.addressOf(socket);
        // Recovery codes share the per-address budget of pairing codes, paid for before the code
        // is checked (so tries sent at once cannot all pass); a right code gets its try back.
        if (!(await consume(limiters.codeTries, address))) throw new AppError(ErrorCode.RATE_LIMITED);
        const moved = await counsellors.recover(recoveryCode);
        await refund(limiters.codeTries, address);
        const { counsellorId, credentials, oldKeyHash } = moved;
        // The old device: its workspace and its counsellor seats are signed out now.
        const old = io.to(keyChannel(oldKeyHash)).except(socket.id);
        old.emit('counsellor:keyRevoked', { message: errorMessages.TOKEN_REVOKED });
        io.in(keyChannel(oldKeyHash)).except(socket.id).disconnectSockets(true);
        // Its counsellor seats too (this socket, which holds the recovery code, keeps its answer).
        for (const roomId of moved.rooms) {
          const seat = seatChannel(roomId, 'counsellor');
          io.to(seat).except(socket.id).emit('seat:revoked', { code: 'TOKEN_REVOKED', message: errorMessages.TOKEN_REVOKED });
          io.in(seat).except(socket.id).disconnectSockets(true);
        }
        await bind(socket, counsellorId, (await counsellors.signIn(credentials.key)).keyHash);
        keys.set(socket, credentials.key);
        return credentials;
      });

      dispatcher.on('counsellor:rooms', async (socket) => ({
        rooms: await counsellors.listRooms(signedInCounsellor(socket), presenceOf),
      }));

      dispatcher.on('counsellor:createRoom', async (socket, { label }) => {
        const counsellorId = signedInCounsellor(socket);
        // The same per-address budget as rooms made over HTTP.
        if (!(await consume(limiters.roomCreations, deps.addressOf(socket)))) throw new AppError(ErrorCode.RATE_LIMITED);
        const created = await counsellors.createRoom(counsellorId, label);
        socket.to(counsellorChannel(counsellorId)).emit('counsellor:roomStatus', created.room);
        return created;
      });

      dispatcher.on('counsellor:lines', async (socket, { roomId }) => {
        await counsellors.requireOwned(socket.data.counsellorId, roomId);
        return { lines: await counsellors.lines(roomId) };
      });

      dispatcher.on('counsellor:proposeAgreement', async (socket, { roomId, ...input }) => {
        await counsellors.requireOwned(socket.data.counsellorId, roomId);
        return { agreementId: await counsellors.proposeAgreement(roomId, input) };
      });

      dispatcher.on('counsellor:suggestPack', async (socket, { roomId, packId }) => {
        await counsellors.requireOwned(socket.data.counsellorId, roomId);
        const suggestion = await counsellors.suggestPack(roomId, packId);
        io.to(roomChannel(roomId)).emit('counsellor:suggestion', suggestion);
        refresh(roomId);
        return { suggestion };
      });

      dispatcher.on('counsellor:suggestion', async (socket) => {
        const { roomId } = seated(socket);
        return { suggestion: await counsellors.suggestion(roomId) };
      });

      dispatcher.on('privateLine:send', async (socket, { choice, text }) => {
        const { roomId, seat } = seated(socket);
        const { counsellorId, line } = await counsellors.sendPrivateLine(roomId, seat, choice, text);
        // The counsellor channel only: never the room, never the other partner's seat.
        io.to(counsellorChannel(counsellorId)).emit('counsellor:privateLine', line);
        refresh(roomId);
        return { at: line.at };
      });
    },

    async onJoin(socket) {
      const { roomId, role } = socket.data;
      if (!roomId) return;
      if (role === 'counsellor') {
        const owner = await counsellors.ownerOf(roomId);
        if (owner) {
          socket.data.counsellorId = owner;
          await socket.join(counsellorChannel(owner));
        }
      } else {
        // A partner's socket hears nothing meant for a counsellor, whatever it did before.
        keys.delete(socket);
        for (const name of socket.rooms) if (isCounsellorChannel(name)) await socket.leave(name);
        socket.data.counsellorId = null;
      }
      refresh(roomId);
    },

    async onLeave(socket, roomId) {
      const signedIn = [...socket.rooms].some((name) => name.startsWith('counsellor-key:'));
      if (signedIn && socket.connected) socket.data.role = 'counsellor';
      else if (socket.data.counsellorId && socket.connected) {
        for (const name of socket.rooms) if (isCounsellorChannel(name)) await socket.leave(name);
        socket.data.counsellorId = null;
      }
      refresh(roomId);
    },

    async onRoomDeleted(roomId) {
      coupleRooms.delete(roomId);
      const owner = await counsellors.forgetRoom(roomId);
      if (owner) io.to(counsellorChannel(owner)).emit('counsellor:roomRemoved', { roomId });
    },

    async close() {
      stopWatchingLink?.();
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
      coupleRooms.clear();
    },
  };
}
