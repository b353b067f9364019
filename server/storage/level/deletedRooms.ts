import { LRUCache } from 'lru-cache';
import { AppError, ErrorCode } from '../../../shared/protocol/errors';

/**
 * Rooms deleted lately, shared by every part of the embedded store: a write to one (a document
 * update, the turn state, the agreement records or a version, a transcript line) is refused with
 * ROOM_NOT_FOUND, so a write still on its way when the room went (a command that passed its
 * checks just before) leaves nothing behind that no sweep would find. The Redis store keeps the
 * same rule with its deletion mark. Within one process a day is far longer than any such write
 * takes; a restart ends every socket.
 */
export class DeletedRooms {
  private readonly marks = new LRUCache<string, true>({ max: 100_000, ttl: 24 * 60 * 60 * 1000 });

  mark(roomId: string): void {
    this.marks.set(roomId, true);
  }

  has(roomId: string): boolean {
    return this.marks.has(roomId);
  }

  /** Throws ROOM_NOT_FOUND for a room deleted lately. */
  refuseWrite(roomId: string): void {
    if (this.marks.has(roomId)) throw new AppError(ErrorCode.ROOM_NOT_FOUND);
  }
}
