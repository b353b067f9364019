import { AppError, ErrorCode } from '../../shared/protocol/errors';
import type { SeatId } from '../../shared/protocol/identity';
import type { RoomService } from '../rooms/roomService';
import type { Clock } from '../util/clock';
import { IceServerMint, type IceConfig } from '../voice/iceServers';
import type { AppServer, AppSocket, EventDispatcher } from './eventDispatcher';
import { roomChannel, seatChannel, type RealtimeModule } from './realtimeModule';

export interface VoiceHandlerDeps {
  io: AppServer;
  dispatcher: EventDispatcher;
  rooms: RoomService;
  ice: IceConfig;
  clock: Clock;
}

/** Why a seat may not be called: the message names the reader's situation, not the rule. */
const NOT_YOURSELF = 'Voice connects you with someone else in the room, not with your own seat.';
const NO_COUNSELLOR = 'This room has no counsellor to call.';

/**
 * Voice signalling, thin on purpose: the dispatcher parses and authorises, this checks the
 * addressed seat is another seat of the sender's own room and passes the message on to that
 * seat's channel with `from` set to the sender's seat (through the adapter, so a seat on
 * another node gets it). Nothing is stored and nothing of a message is logged: the server
 * never sees audio, only the descriptions that let two devices find each other.
 */
export function createVoiceHandlers(deps: VoiceHandlerDeps): RealtimeModule {
  const { io, dispatcher, rooms, ice, clock } = deps;
  const mint = new IceServerMint(ice);

  function seated(socket: AppSocket): { roomId: string; seat: SeatId } {
    const { roomId, seat } = socket.data;
    if (!roomId || !seat || !socket.rooms.has(roomChannel(roomId))) throw new AppError(ErrorCode.NOT_IN_ROOM);
    return { roomId, seat };
  }

  /** The socket's room; one deleted or expired since the socket joined is NOT_IN_ROOM, as for every voice event. */
  async function liveRoomOf(roomId: string) {
    try {
      return await rooms.getLiveRoom(roomId);
    } catch (err) {
      if (err instanceof AppError && err.code === ErrorCode.ROOM_NOT_FOUND) throw new AppError(ErrorCode.NOT_IN_ROOM);
      throw err;
    }
  }

  /** The sender's room and seat, once `to` is another seat that room has. */
  async function addressed(socket: AppSocket, to: SeatId): Promise<{ roomId: string; seat: SeatId }> {
    const from = seated(socket);
    if (to === from.seat) throw new AppError(ErrorCode.FORBIDDEN, NOT_YOURSELF);
    // Only a partner can name a counsellor seat their room may not have; the counsellor's own room is moderated.
    if (to === 'counsellor') {
      const room = await liveRoomOf(from.roomId);
      if (room.mode !== 'moderated') throw new AppError(ErrorCode.FORBIDDEN, NO_COUNSELLOR);
    }
    return from;
  }

  return {
    name: 'voice',
    register() {
      dispatcher.on('voice:offer', async (socket, { to, ...message }) => {
        const { roomId, seat } = await addressed(socket, to);
        io.to(seatChannel(roomId, to)).emit('voice:offer', { ...message, from: seat });
      });
      dispatcher.on('voice:answer', async (socket, { to, ...message }) => {
        const { roomId, seat } = await addressed(socket, to);
        io.to(seatChannel(roomId, to)).emit('voice:answer', { ...message, from: seat });
      });
      dispatcher.on('voice:ice', async (socket, { to, ...message }) => {
        const { roomId, seat } = await addressed(socket, to);
        io.to(seatChannel(roomId, to)).emit('voice:ice', { ...message, from: seat });
      });
      dispatcher.on('voice:state', async (socket, { to, ...message }) => {
        if (to === undefined) {
          const { roomId, seat } = seated(socket);
          // Every other socket of the room, the sender's own other tabs included.
          socket.to(roomChannel(roomId)).emit('voice:state', { ...message, from: seat });
          return;
        }
        const { roomId, seat } = await addressed(socket, to);
        io.to(seatChannel(roomId, to)).emit('voice:state', { ...message, from: seat });
      });
      dispatcher.on('voice:iceServers', async (socket) => {
        const { roomId, seat } = seated(socket);
        return mint.for(roomId, seat, clock.now());
      });
    },
  };
}
