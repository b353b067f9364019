import { AppError, ErrorCode } from '../../shared/protocol/errors';
import { SEAT_IDS, type SeatId } from '../../shared/protocol/identity';
import type { SessionView } from '../../shared/protocol/sessions';
import { snapshotFor } from '../../shared/session/sessionRedaction';
import { actorAt, type SessionState } from '../../shared/session/types';
import type { AgreementRecordsService } from '../agreements/agreementRecordsService';
import type { Logger } from '../logger';
import type { RoomService } from '../rooms/roomService';
import { addProposalsToAgreements } from '../sessions/sessionAgreements';
import { TurnRefusal, sessionIdOf, type Applied, type SessionService } from '../sessions/sessionService';
import type { Clock } from '../util/clock';
import type { AppServer, AppSocket, EventDispatcher } from './eventDispatcher';
import { roomChannel, seatChannel, type RealtimeModule } from './realtimeModule';

export interface SessionHandlerDeps {
  io: AppServer;
  dispatcher: EventDispatcher;
  sessions: SessionService;
  rooms: RoomService;
  agreementRecords: AgreementRecordsService;
  clock: Clock;
  log: Logger;
}

/**
 * Guided sessions over Socket.IO, thin on purpose: parse (zod, in the dispatcher), authorise (the
 * permission matrix, then the turn machine's own rules), call SessionService, and send every
 * seat its own snapshot. Raw state never leaves the server: always `snapshotFor(state, seat)`.
 */
export function createSessionHandlers(deps: SessionHandlerDeps): RealtimeModule {
  const { io, dispatcher, sessions, rooms, agreementRecords, clock, log } = deps;

  function seated(socket: AppSocket): { roomId: string; seat: SeatId } {
    const { roomId, seat } = socket.data;
    // A deleted room's sockets were taken out of its channel: nothing more may happen in it.
    if (!roomId || !seat || !socket.rooms.has(roomChannel(roomId))) throw new AppError(ErrorCode.NOT_IN_ROOM);
    return { roomId, seat };
  }

  const viewFor = (state: SessionState, seat: SeatId): SessionView => ({ state: snapshotFor(state, seat), serverNow: clock.now() });

  function broadcast(roomId: string, applied: Applied): void {
    const { state, events, sessionId, appended } = applied;
    // Per seat, through the adapter, so a partner on another node gets their own view too.
    for (const seat of SEAT_IDS) io.to(seatChannel(roomId, seat)).emit('session:state', viewFor(state, seat));
    if (events.length > 0) io.to(roomChannel(roomId)).emit('session:events', { version: state.version, events });
    if (sessionId && appended.length > 0) {
      io.to(roomChannel(roomId)).emit('session:transcript', { sessionId, entries: appended, replace: false });
    }
    if (sessionId && state.phase === 'ended' && !state.summary.recordKept) {
      io.to(roomChannel(roomId)).emit('session:transcript', { sessionId, entries: [], replace: true });
    }
  }

  async function sync(roomId: string, seat: SeatId) {
    const state = await sessions.get(roomId);
    const transcript = await sessions.transcript(roomId, state);
    return { session: viewFor(state, seat), transcript: transcript && { ...transcript, replace: true } };
  }

  return {
    name: 'sessions',
    register() {
      dispatcher.on('session:command', async (socket, command) => {
        const { roomId, seat } = seated(socket);
        try {
          const applied = await sessions.apply(roomId, actorAt(seat), command);
          broadcast(roomId, applied);
          return { version: applied.state.version };
        } catch (err) {
          if (err instanceof TurnRefusal) log.info({ roomId, command: command.type, code: err.code, rule: err.rule }, 'turn refused');
          throw err;
        }
      });

      dispatcher.on('session:sync', async (socket) => {
        const { roomId, seat } = seated(socket);
        return sync(roomId, seat);
      });

      dispatcher.on('session:packs', async (socket) => {
        seated(socket);
        return { packs: [...sessions.packs.all()] };
      });

      // Only the writer's own socket gets an answer back: nothing goes to the room or the counsellor.
      dispatcher.on('session:afterwards', async (socket, input) => {
        const { roomId, seat } = seated(socket);
        if (seat === 'counsellor') throw new AppError(ErrorCode.FORBIDDEN);
        return { afterwards: await sessions.saveAfterwards(roomId, seat, input) };
      });

      dispatcher.on('session:myAfterwards', async (socket) => {
        const { roomId, seat } = seated(socket);
        if (seat === 'counsellor') throw new AppError(ErrorCode.FORBIDDEN);
        return { afterwards: await sessions.afterwardsOf(roomId, seat) };
      });

      dispatcher.on('session:addAgreements', async (socket, { proposalIds }) => {
        const { roomId, seat } = seated(socket);
        const state = await sessions.get(roomId);
        if (state.phase !== 'ended') throw new AppError(ErrorCode.WRONG_PHASE);
        const wanted = new Set(proposalIds);
        const proposals = state.summary.proposals.filter((p) => wanted.has(p.id));
        if (proposals.length !== wanted.size) throw new AppError(ErrorCode.INVALID_PAYLOAD);
        const room = await rooms.getLiveRoom(roomId);
        const names: Partial<Record<SeatId, string>> = {};
        for (const s of SEAT_IDS) {
          const name = room.seats[s]?.displayName;
          if (name) names[s] = name;
        }
        const result = await addProposalsToAgreements({
          records: agreementRecords,
          roomId,
          sessionId: sessionIdOf(state) ?? 'session',
          proposals,
          pack: sessions.packs.get(state.summary.packId),
          sessionStartedAt: state.summary.startedAt,
          names,
        });
        io.to(roomChannel(roomId)).emit('session:agreementsAdded', { proposalIds: [...wanted], by: seat });
        return result;
      });
    },

    async onJoin(socket) {
      const { roomId, seat } = socket.data;
      if (!roomId || !seat) return;
      const { session, transcript } = await sync(roomId, seat);
      socket.emit('session:state', session);
      if (transcript) socket.emit('session:transcript', transcript);
    },
  };
}
