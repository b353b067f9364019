import { AppError, ErrorCode, errorMessages, TRIES_LEFT_WARNING, triesLeftWords } from '../../shared/protocol/errors';
import { SOCKETS_PER_SEAT, type Presence } from '../../shared/protocol/rooms';
import type { Logger } from '../logger';
import type { SeatSilence as Silence } from '../rooms/roomModel';
import type { RoomService } from '../rooms/roomService';
import { refund, spend, type Limiters } from '../security/limiters';
import type { SeatId } from '../../shared/protocol/identity';
import type { RoomRecord } from '../storage/types';
import { KeyedMutex } from '../util/keyedMutex';
import { silentForMs } from './linkSilence';
import { presenceOf as presenceOfRoom } from './presence';
import type { AppServer, AppSocket, EventDispatcher } from './eventDispatcher';
import type { LifecycleHooks } from './gateway';
import { roomChannel, seatChannel, type RealtimeModule } from './realtimeModule';

export interface RoomHandlerDeps {
  io: AppServer;
  dispatcher: EventDispatcher;
  rooms: RoomService;
  limiters: Limiters;
  /** tells every module when a socket takes its seat, leaves its room, or a room is gone */
  hooks: LifecycleHooks;
  addressOf: (socket: AppSocket) => string;
  log: Logger;
  /** subscribes to "the link between nodes is back after an outage" (server/cluster/redisCluster.ts) */
  onLinkRestored?: (listener: () => void) => () => void;
}

/** Seats, pairing, presence and deletion: the foundation every other module stands on. */
export function createRoomHandlers(deps: RoomHandlerDeps): RealtimeModule & {
  broadcastState(roomId: string): Promise<void>;
} {
  const { io, dispatcher, rooms, limiters } = deps;

  const presenceOf = (roomId: string) => presenceOfRoom(io, roomId);
  /** The device token each seated socket of this node proved itself with, to check it again. */
  const tokens = new WeakMap<AppSocket, string>();

  /** Joins of one seat run one at a time on this node, so the seat's socket count is exact here. */
  const seatLocks = new KeyedMutex();
  /** One device's own channel: a revocation signs out that device only, never the seat's new one. */
  const deviceChannel = (roomId: string, tokenHash: string) => `device:${roomId}:${tokenHash}`;

  /**
   * Sends the room's view to everyone in it (or everyone but `from`). The counsellor of a
   * moderated room gets the view with the pairing codes; partners there get theirs without.
   */
  function emitState(room: RoomRecord, presence: Partial<Record<SeatId, Presence>>, from?: AppSocket, silence?: Silence): void {
    const everyone = from ? from.to(roomChannel(room.id)) : io.to(roomChannel(room.id));
    if (room.mode === 'couple') return void everyone.emit('room:state', rooms.view(room, presence, 'partners', silence));
    const counsellorSeat = seatChannel(room.id, 'counsellor');
    everyone.except(counsellorSeat).emit('room:state', rooms.view(room, presence, 'partners', silence));
    (from ? from.to(counsellorSeat) : io.to(counsellorSeat)).emit('room:state', rooms.view(room, presence, 'counsellor', silence));
  }

  async function broadcastState(roomId: string, silence?: Silence): Promise<void> {
    const room = await rooms.getLiveRoom(roomId).catch(() => null);
    if (!room) return;
    emitState(room, await presenceOf(roomId), undefined, silence);
  }

  async function leave(socket: AppSocket, options: { broadcast: boolean } = { broadcast: true }): Promise<void> {
    const { roomId, seat } = socket.data;
    if (!roomId) return;
    await socket.leave(roomChannel(roomId));
    if (seat) await socket.leave(seatChannel(roomId, seat));
    for (const channel of socket.rooms) if (channel.startsWith(deviceChannel(roomId, ''))) await socket.leave(channel);
    tokens.delete(socket);
    socket.data.roomId = null;
    socket.data.seat = null;
    socket.data.role = 'none';
    await deps.hooks.left(socket, roomId);
    if (options.broadcast) await broadcastState(roomId);
  }

  function requireRoom(socket: AppSocket): { roomId: string; seat: SeatId } {
    const { roomId, seat } = socket.data;
    if (!roomId || !seat) throw new AppError(ErrorCode.NOT_IN_ROOM);
    return { roomId, seat };
  }

  /**
   * The handler of an event by which one seat changes another seat of its room (a new invite, a
   * new code, a refused join): the service checks who may, then everyone in the room sees it.
   */
  function changeOfSeat<S extends SeatId, R extends object>(change: (roomId: string, by: SeatId, seat: S) => Promise<R>) {
    return async (socket: AppSocket, { seat }: { seat: S }): Promise<R> => {
      const { roomId, seat: by } = requireRoom(socket);
      const result = await change(roomId, by, seat);
      await broadcastState(roomId);
      return result;
    };
  }

  /**
   * Signs out every seated socket of this node whose token no longer holds its seat (moved to
   * another device) or whose room is gone. The sign-out a revocation or a deletion sends goes
   * to the other nodes by pub/sub, which loses what is sent while a node's subscriptions are
   * down: after any outage, each node checks its own sockets against the store.
   */
  async function recheckSeated(): Promise<void> {
    for (const socket of io.of('/').sockets.values()) {
      const { roomId } = socket.data;
      const token = tokens.get(socket);
      if (!roomId || !token) continue;
      try {
        await rooms.authenticate(roomId, token);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const gone = err.code === ErrorCode.ROOM_NOT_FOUND;
        if (gone) socket.emit('room:deleted', { roomId, code: ErrorCode.ROOM_DELETED, message: errorMessages.ROOM_DELETED, by: null });
        else {
          const reason = err.code === ErrorCode.JOIN_REFUSED ? ErrorCode.JOIN_REFUSED : ErrorCode.TOKEN_REVOKED;
          socket.emit('seat:revoked', { code: reason, message: errorMessages[reason] });
        }
        deps.log.info({ roomId, refusal: err.code }, 'seat signed out after the link between nodes came back');
        socket.disconnect(true);
      }
    }
  }
  const stopWatchingLink = deps.onLinkRestored?.(() => {
    recheckSeated().catch((err: unknown) =>
      deps.log.warn({ err: err instanceof Error ? err.message : 'unknown' }, 'checking seats after the link came back failed'),
    );
  });

  rooms.on('seatRevoked', (roomId, _seat, tokenHash, reason) => {
    io.to(deviceChannel(roomId, tokenHash)).emit('seat:revoked', { code: reason, message: errorMessages[reason] });
    io.in(deviceChannel(roomId, tokenHash)).disconnectSockets(true);
  });

  rooms.on('deleted', (roomId, by) => {
    io.to(roomChannel(roomId)).emit('room:deleted', { roomId, code: ErrorCode.ROOM_DELETED, message: errorMessages.ROOM_DELETED, by });
    // Modules drop what they hold first, so nothing is stored again for a room that is gone;
    // then every socket of the room, on whichever node, is disconnected and so lets go of it.
    deps.hooks.roomDeleted(roomId);
    io.in(roomChannel(roomId)).disconnectSockets(true);
  });

  return {
    name: 'rooms',
    broadcastState,
    register() {
      dispatcher.on('invite:inspect', async (_socket, { invite }) => ({
        invite: await rooms.inspectInvite(invite),
      }));

      dispatcher.on('invite:claim', async (_socket, { invite, displayName }) => {
        const credentials = await rooms.claimInvite(invite, displayName);
        await broadcastState(credentials.roomId);
        return credentials;
      });

      dispatcher.on('code:claim', async (socket, { code, displayName }) => {
        // The try is paid for before the code is looked at, in one step of the limiter: of many
        // tries sent at once, only as many as the address has left are ever checked. A right
        // code gets its point back; every other answer keeps it spent.
        const address = deps.addressOf(socket);
        const spent = await spend(limiters.codeTries, address);
        if (!spent) throw new AppError(ErrorCode.CODE_TRIES_EXCEEDED);
        let credentials: Awaited<ReturnType<RoomService['claimCode']>>;
        try {
          credentials = await rooms.claimCode(code, displayName);
        } catch (err) {
          // The last few tries are announced, so the limit does not come as a surprise.
          if (err instanceof AppError && spent.pointsLeft <= TRIES_LEFT_WARNING) {
            const { pointsLeft: triesLeft, msLeft } = spent;
            throw new AppError(err.code, `${err.message} ${triesLeftWords(triesLeft, msLeft)}`, { ...err.details, triesLeft });
          }
          throw err;
        }
        await refund(limiters.codeTries, address);
        await broadcastState(credentials.roomId);
        return credentials;
      });

      dispatcher.on('room:join', async (socket, { roomId, deviceToken }) => {
        const { room, seat, tokenHash } = await rooms.authenticate(roomId, deviceToken);
        // Counted and joined in one turn per seat, so sockets joining at once cannot all pass
        // the count. fetchSockets goes through the adapter: the other nodes' sockets count too.
        await seatLocks.run(`${roomId}:${seat}`, async () => {
          const holders = await io.in(seatChannel(roomId, seat)).fetchSockets();
          if (holders.filter((s) => s.id !== socket.id).length >= SOCKETS_PER_SEAT) throw new AppError(ErrorCode.SEAT_SOCKETS_EXCEEDED);
          if (socket.data.roomId) await leave(socket);
          socket.data.roomId = roomId;
          socket.data.seat = seat;
          socket.data.role = seat === 'counsellor' ? 'counsellor' : 'partner';
          await socket.join([roomChannel(roomId), seatChannel(roomId, seat), deviceChannel(roomId, tokenHash)]);
        });
        // A revocation or a deletion signs out the sockets in the seat's channels when it is
        // stored; one that was stored while this socket was being seated missed it. Asked again
        // now that the socket is in the channels, the store says so.
        try {
          await rooms.authenticate(roomId, deviceToken);
        } catch (err) {
          await leave(socket, { broadcast: false });
          throw err;
        }
        tokens.set(socket, deviceToken);
        await deps.hooks.joined(socket);
        const presence = await presenceOf(roomId);
        emitState(room, presence, socket);
        return { room: rooms.view(room, presence, seat === 'counsellor' ? 'counsellor' : 'partners'), you: seat };
      });

      dispatcher.on('room:leave', async (socket) => {
        await leave(socket);
      });

      dispatcher.on('presence:set', async (socket, { presence }) => {
        const { roomId } = requireRoom(socket);
        if (socket.data.presence === presence) return;
        socket.data.presence = presence;
        await broadcastState(roomId);
      });

      dispatcher.on('room:reinvite', changeOfSeat((roomId, by, seat) => rooms.reinvite(roomId, by, seat)));
      dispatcher.on('room:newCode', changeOfSeat(async (roomId, by, seat) => ({ code: await rooms.newCode(roomId, by, seat) })));
      dispatcher.on('room:refuseJoin', changeOfSeat((roomId, by, seat) => rooms.refuseJoin(roomId, by, seat)));

      dispatcher.on('room:delete', async (socket, { confirmRoomId }) => {
        const { roomId, seat } = requireRoom(socket);
        // The id must be sent back on purpose: deletion cannot happen by a stray event.
        if (confirmRoomId !== roomId) throw new AppError(ErrorCode.FORBIDDEN);
        // The person deleting leaves first, so their answer arrives before everyone else is
        // disconnected from the room that no longer exists.
        await leave(socket, { broadcast: false });
        await rooms.deleteRoom(roomId, 'person', seat);
      });

    },

    async close() {
      stopWatchingLink?.();
    },

    onDisconnect(socket, reason) {
      const { roomId, seat } = socket.data;
      if (!roomId) return;
      // How long the link had been quiet before it was found dead: about the ping's timeout or
      // more for a phone that lost its network; 0 for a tab that closed or reloaded, which was
      // in touch until the moment it went.
      const silence: Silence | undefined = seat ? { [seat]: reason === 'ping timeout' ? silentForMs(socket) : 0 } : undefined;
      (async () => {
        await deps.hooks.left(socket, roomId);
        await broadcastState(roomId, silence);
      })().catch((err: unknown) => {
        // During shutdown the store may already be closed; nothing is lost, presence is live state.
        deps.log.warn({ roomId, err: err instanceof Error ? err.message : 'unknown' }, 'leave after disconnect failed');
      });
    },
  };
}
