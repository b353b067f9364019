import { AppError, ErrorCode } from '../../shared/protocol/errors';
import type { SeatId } from '../../shared/protocol/identity';
import type { CheckInService } from '../checkIns/checkInService';
import type { CounsellorService } from '../counsellors/counsellorService';
import type { RoomService } from '../rooms/roomService';
import type { AppSocket, EventDispatcher } from './eventDispatcher';
import { roomChannel, type RealtimeModule } from './realtimeModule';

export interface CheckInHandlerDeps {
  dispatcher: EventDispatcher;
  checkIns: CheckInService;
  rooms: RoomService;
  counsellors: Pick<CounsellorService, 'requireOwned'>;
}

/**
 * Check-ins over Socket.IO, thin on purpose: parse (zod, strict, in the dispatcher), authorise
 * (the permission matrix), then CheckInService with the seat of the socket. The room hears only
 * that something changed (`checkIn:changed`); each device asks for the view its seat may have.
 */
export function createCheckInHandlers(deps: CheckInHandlerDeps): RealtimeModule {
  const { dispatcher, checkIns, rooms, counsellors } = deps;

  function seated(socket: AppSocket): { roomId: string; seat: SeatId } {
    const { roomId, seat } = socket.data;
    if (!roomId || !seat || !socket.rooms.has(roomChannel(roomId))) throw new AppError(ErrorCode.NOT_IN_ROOM);
    return { roomId, seat };
  }

  return {
    name: 'checkIns',
    register() {
      dispatcher.on('checkIn:get', async (socket) => {
        const { roomId, seat } = seated(socket);
        return { checkIns: await checkIns.view(roomId, seat) };
      });

      dispatcher.on('checkIn:setRhythm', async (socket, input) => {
        const { roomId, seat } = seated(socket);
        return { checkIns: await checkIns.setRhythm(roomId, seat, input) };
      });

      dispatcher.on('checkIn:answer', async (socket, input) => {
        const { roomId, seat } = seated(socket);
        return { checkIns: await checkIns.answer(roomId, seat, input) };
      });

      dispatcher.on('checkIn:note', async (socket, input) => {
        const { roomId, seat } = seated(socket);
        return { checkIns: await checkIns.note(roomId, seat, input) };
      });

      dispatcher.on('checkIn:shareWithCounsellor', async (socket, input) => {
        const { roomId, seat } = seated(socket);
        const room = await rooms.getLiveRoom(roomId);
        return { checkIns: await checkIns.shareWithCounsellor(roomId, seat, input, room.mode === 'moderated') };
      });

      dispatcher.on('checkIn:counsellorMarks', async (socket, { roomId, commitmentId }) => {
        await counsellors.requireOwned(socket.data.counsellorId, roomId);
        return { commitments: await checkIns.counsellorMarks(roomId, commitmentId) };
      });
    },
  };
}
