import { randomUUID } from 'node:crypto';
import { AppError, ErrorCode } from '../../shared/protocol/errors';
import type { SeatId } from '../../shared/protocol/identity';
import type { AgreementRecordsService, Author } from '../agreements/agreementRecordsService';
import type { RoomService } from '../rooms/roomService';
import type { AppSocket, EventDispatcher } from './eventDispatcher';
import { roomChannel, type RealtimeModule } from './realtimeModule';

export interface AgreementHandlerDeps {
  dispatcher: EventDispatcher;
  records: AgreementRecordsService;
  rooms: RoomService;
}

/**
 * Agreements on the record over Socket.IO, thin on purpose: parse (zod, strict, in the dispatcher),
 * authorise (the permission matrix), then AgreementRecordsService with the seat of the socket.
 * The service publishes the new record to the room after every change: summaries of the saved
 * versions only; a device fetches the snapshot it opens with `version:get`.
 */
export function createAgreementHandlers(deps: AgreementHandlerDeps): RealtimeModule {
  const { dispatcher, records, rooms } = deps;

  function seated(socket: AppSocket): { roomId: string; seat: SeatId } {
    const { roomId, seat } = socket.data;
    // A deleted room's sockets were taken out of its channel: nothing more may happen in it.
    if (!roomId || !seat || !socket.rooms.has(roomChannel(roomId))) throw new AppError(ErrorCode.NOT_IN_ROOM);
    return { roomId, seat };
  }

  async function authorOf(roomId: string, seat: SeatId): Promise<Author> {
    const room = await rooms.getLiveRoom(roomId);
    return { seat, name: room.seats[seat]?.displayName ?? (seat === 'counsellor' ? 'Counsellor' : `Partner ${seat}`) };
  }

  return {
    name: 'agreements',
    register() {
      dispatcher.on('agreement:propose', async (socket, { title, body, category, reviewOn }) => {
        const { roomId, seat } = seated(socket);
        const by = await authorOf(roomId, seat);
        const agreementId = randomUUID();
        await records.addDrafts(roomId, 'proposal', [{ id: agreementId, title, body: body ?? '', category, reviewOn: reviewOn ?? null, by }]);
        return { agreementId };
      });

      dispatcher.on('agreement:accept', async (socket, { agreementId }) => {
        const { roomId, seat } = seated(socket);
        return records.accept(roomId, seat, agreementId);
      });

      dispatcher.on('agreement:withdraw', async (socket, { agreementId }) => {
        const { roomId, seat } = seated(socket);
        return records.withdraw(roomId, seat, agreementId);
      });

      dispatcher.on('agreement:requestReview', async (socket, { agreementId }) => {
        const { roomId, seat } = seated(socket);
        await records.requestReview(roomId, seat, agreementId);
      });

      dispatcher.on('agreement:clearReview', async (socket, { agreementId }) => {
        const { roomId } = seated(socket);
        await records.clearReview(roomId, agreementId);
      });

      dispatcher.on('version:save', async (socket, { name }) => {
        const { roomId, seat } = seated(socket);
        return records.saveVersion(roomId, await authorOf(roomId, seat), name);
      });

      dispatcher.on('version:get', async (socket, { versionId }) => {
        const { roomId } = seated(socket);
        return records.getVersion(roomId, versionId);
      });

      dispatcher.on('agreements:records', async (socket) => {
        const { roomId } = seated(socket);
        // the ack alone carries what is due: the room's first screen asks for it on every join
        return { records: await records.get(roomId), due: await records.dueReviews(roomId) };
      });
    },

    async onJoin(socket) {
      const { roomId } = socket.data;
      if (!roomId) return;
      socket.emit('agreements:records', await records.get(roomId));
    },

    async onRoomDeleted(roomId) {
      records.forgetRoom(roomId);
    },
  };
}
