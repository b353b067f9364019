import { mkdirSync } from 'node:fs';
import { ClassicLevel } from 'classic-level';
import type { Storage } from '../types';
import { DeletedRooms } from './deletedRooms';
import { LevelCompactor } from './levelCompaction';
import { LevelDocStore } from './levelDocStore';
import { LevelRecordStore } from './levelRecordStore';
import { LevelRoomEntryStore } from './levelRoomEntryStore';
import { LevelRoomStore } from './levelRoomStore';
import { LevelRoomLogStore } from './levelRoomLogStore';
import { LevelTurnStore } from './levelTurnStore';

/**
 * The embedded default: one LevelDB folder, no set-up, survives restarts.
 *
 * Its files are written uncompressed (classic-level's `compression: false`), so that what
 * a room held can be looked for with `grep -r` in DATA_DIR: after a deletion, nothing
 * (server/storage/level/levelCompaction.ts). Snappy would hide text behind back-references.
 */
export async function createLevelStorage(dataDir: string): Promise<Storage> {
  mkdirSync(dataDir, { recursive: true });
  const db = new ClassicLevel<string, string>(`${dataDir}/commonground.leveldb`, { valueEncoding: 'utf8', compression: false });
  await db.open();
  const compactor = new LevelCompactor(db);
  const rooms = new LevelRoomStore(db, compactor);
  const deleted = new DeletedRooms();
  const docs = new LevelDocStore(db.sublevel<string, Uint8Array>('docs', { valueEncoding: 'view' }), compactor, deleted);
  const turns = new LevelTurnStore(db, compactor, 'turns', deleted);
  const agreementRecords = new LevelTurnStore(db, compactor, 'agreementRecords', deleted);
  const agreementVersions = new LevelRoomEntryStore(db, compactor, 'agreementVersions', deleted);
  const checkIns = new LevelTurnStore(db, compactor, 'checkIns', deleted);
  const roomLogs = new LevelRoomLogStore(db, compactor, deleted);
  const records = new LevelRecordStore(db, compactor);
  return {
    kind: 'level',
    rooms,
    docs,
    turns,
    agreementRecords,
    agreementVersions,
    checkIns,
    roomLogs,
    records,
    async deleteRoom(roomId) {
      // Marked first, as the Redis store does: from then on a write to the room is refused.
      deleted.mark(roomId);
      await Promise.all([docs.deleteRoom(roomId), turns.deleteRoom(roomId), agreementRecords.deleteRoom(roomId), agreementVersions.deleteRoom(roomId), checkIns.deleteRoom(roomId), roomLogs.deleteRoom(roomId)]);
      // The room record goes last: while it exists, a retry of this deletion can still find it.
      await rooms.delete(roomId);
    },
    async close() {
      await compactor.close();
      await db.close();
    },
  };
}
