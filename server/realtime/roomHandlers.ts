import { AppError, ErrorCode, errorMessages } from '../../shared/protocol/errors';
import {
  codeClaimSchema,
  deleteRoomSchema,
  emptySchema,
  inviteClaimSchema,
  inviteInspectSchema,
  newCodeSchema,
  presenceSetSchema,
  reinviteSchema,
  roomJoinSchema,
} from '../../shared/protocol/rooms';
import type { Logger } from '../logger';
import type { RoomService } from '../rooms/roomService';
import { consume, isBlocked, type Limiters } from '../security/limiters';
import type { SeatId } from '../storage/types';
import { presenceOf as presenceOfRoom } from './presence';
import type { AppServer, AppSocket, HandlerKit } from './handlerKit';
import { roomChannel, seatChannel, type RealtimeModule } from './realtimeModule';

export interface RoomHandlerDeps {
  io: AppServer;
  kit: HandlerKit;
  rooms: RoomService;
  limiters: Limiters;
  /** the other modules, told when a socket joins or leaves */
  modules: () => RealtimeModule[];
  addressOf: (socket: AppSocket) => string;
  log: Logger;
}

/** Seats, pairing, presence and deletion: the foundation every other module stands on. */
export function createRoomModule(deps: RoomHandlerDeps): RealtimeModule & {
  broadcastState(roomId: string): Promise<void>;
} {
  const { io, kit, rooms, limiters } = deps;

  const presenceOf = (roomId: string) => presenceOfRoom(io, roomId);

  async function broadcastState(roomId: string): Promise<void> {
    const room = await rooms.getLiveRoom(roomId).catch(() => null);
    if (!room) return;
    io.to(roomChannel(roomId)).emit('room:state', rooms.view(room, await presenceOf(roomId)));
  }

  async function leave(socket: AppSocket, options: { broadcast: boolean } = { broadcast: true }): Promise<void> {
    const { roomId, seat } = socket.data;
    if (!roomId) return;
    await socket.leave(roomChannel(roomId));
    if (seat) await socket.leave(seatChannel(roomId, seat));
    socket.data.roomId = null;
    socket.data.seat = null;
    socket.data.role = 'none';
    for (const module of deps.modules()) await module.onLeave?.(socket, roomId);
    if (options.broadcast) await broadcastState(roomId);
  }

  function requireRoom(socket: AppSocket): { roomId: string; seat: SeatId } {
    const { roomId, seat } = socket.data;
    if (!roomId || !seat) throw new AppError(ErrorCode.NOT_IN_ROOM);
    return { roomId, seat };
  }

  rooms.on('seatRevoked', (roomId, seat) => {
    io.to(seatChannel(roomId, seat)).emit('seat:revoked', { code: 'TOKEN_REVOKED', message: errorMessages.TOKEN_REVOKED });
    io.in(seatChannel(roomId, seat)).disconnectSockets(true);
  });

  rooms.on('deleted', (roomId) => {
    io.to(roomChannel(roomId)).emit('room:deleted', { roomId, code: ErrorCode.ROOM_DELETED, message: errorMessages.ROOM_DELETED });
    // Modules drop what they hold first, so nothing is stored again for a room that is gone;
    // then every socket of the room, on whichever node, is disconnected and so lets go of it.
    for (const module of deps.modules()) void module.onRoomDeleted?.(roomId);
    io.in(roomChannel(roomId)).disconnectSockets(true);
  });

  return {
    name: 'rooms',
    broadcastState,
    register() {
      kit.on('invite:inspect', inviteInspectSchema, async (_socket, { invite }) => ({
        invite: await rooms.inspectInvite(invite),
      }));

      kit.on('invite:claim', inviteClaimSchema, async (_socket, { invite, displayName }) => {
        const credentials = await rooms.claimInvite(invite, displayName);
        await broadcastState(credentials.roomId);
        return credentials;
      });

      kit.on('code:claim', codeClaimSchema, async (socket, { code, displayName }) => {
        const address = deps.addressOf(socket);
        if (await isBlocked(limiters.codeTries, address)) throw new AppError(ErrorCode.CODE_TRIES_EXCEEDED);
        try {
          const credentials = await rooms.claimCode(code, displayName);
          await broadcastState(credentials.roomId);
          return credentials;
        } catch (err) {
          if (err instanceof AppError && (err.code === ErrorCode.CODE_INVALID || err.code === ErrorCode.CODE_EXPIRED)) {
            if (!(await consume(limiters.codeTries, address))) throw new AppError(ErrorCode.CODE_TRIES_EXCEEDED);
          }
          throw err;
        }
      });

      kit.on('room:join', roomJoinSchema, async (socket, { roomId, deviceToken }) => {
        const { room, seat } = await rooms.authenticate(roomId, deviceToken);
        if (socket.data.roomId) await leave(socket);
        socket.data.roomId = roomId;
        socket.data.seat = seat;
        socket.data.role = seat === 'counsellor' ? 'counsellor' : 'partner';
        await socket.join([roomChannel(roomId), seatChannel(roomId, seat)]);
        for (const module of deps.modules()) await module.onJoin?.(socket);
        const view = rooms.view(room, await presenceOf(roomId));
        socket.to(roomChannel(roomId)).emit('room:state', view);
        return { room: view, you: seat };
      });

      kit.on('room:leave', emptySchema, async (socket) => {
        await leave(socket);
      });

      kit.on('presence:set', presenceSetSchema, async (socket, { presence }) => {
        const { roomId } = requireRoom(socket);
        if (socket.data.presence === presence) return;
        socket.data.presence = presence;
        await broadcastState(roomId);
      });

      kit.on('room:reinvite', reinviteSchema, async (socket, { seat }) => {
        const { roomId, seat: by } = requireRoom(socket);
        const offer = await rooms.reinvite(roomId, by, seat);
        await broadcastState(roomId);
        return offer;
      });

      kit.on('room:newCode', newCodeSchema, async (socket, { seat }) => {
        const { roomId } = requireRoom(socket);
        const code = await rooms.newCode(roomId, seat);
        await broadcastState(roomId);
        return { code };
      });

      kit.on('room:delete', deleteRoomSchema, async (socket, { confirmRoomId }) => {
        const { roomId } = requireRoom(socket);
        // The id must be sent back on purpose: deletion cannot happen by a stray event.
        if (confirmRoomId !== roomId) throw new AppError(ErrorCode.FORBIDDEN);
        // The person deleting leaves first, so their answer arrives before everyone else is
        // disconnected from the room that no longer exists.
        await leave(socket, { broadcast: false });
        await rooms.deleteRoom(roomId, 'person');
      });

    },

    onDisconnect(socket) {
      const { roomId } = socket.data;
      if (!roomId) return;
      (async () => {
        for (const module of deps.modules()) await module.onLeave?.(socket, roomId);
        await broadcastState(roomId);
      })().catch((err: unknown) => {
        // During shutdown the store may already be closed; nothing is lost, presence is live state.
        deps.log.warn({ roomId, err: err instanceof Error ? err.message : 'unknown' }, 'leave after disconnect failed');
      });
    },
  };
}
