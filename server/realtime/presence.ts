import type { Presence } from '../../shared/protocol/rooms';
import type { SeatId } from '../../shared/protocol/identity';
import type { AppServer } from './eventDispatcher';
import { roomChannel } from './realtimeModule';

/**
 * Who is in a room, seat by seat: here if any of the seat's tabs is visible, away if all are
 * hidden. fetchSockets goes through the adapter, so with several nodes it sees every node.
 */
export async function presenceOf(io: AppServer, roomId: string): Promise<Partial<Record<SeatId, Presence>>> {
  const sockets = await io.in(roomChannel(roomId)).fetchSockets();
  const presence: Partial<Record<SeatId, Presence>> = {};
  for (const s of sockets) {
    const seat = s.data.seat;
    if (!seat || s.data.roomId !== roomId) continue;
    if (s.data.presence === 'here') presence[seat] = 'here';
    else presence[seat] ??= 'away';
  }
  return presence;
}
