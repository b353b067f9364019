import { mkdirSync } from 'node:fs';
import { ClassicLevel } from 'classic-level';
import type { Storage } from '../types';
import { LevelDocStore } from './levelDocStore';
import { LevelRecordStore } from './levelRecordStore';
import { LevelRoomStore } from './levelRoomStore';
import { LevelTranscriptStore } from './levelTranscriptStore';
import { LevelTurnStore } from './levelTurnStore';

/** The embedded default: one LevelDB folder, no set-up, survives restarts. */
export async function createLevelStorage(dataDir: string): Promise<Storage> {
  mkdirSync(dataDir, { recursive: true });
  const db = new ClassicLevel<string, string>(`${dataDir}/commonground.leveldb`, { valueEncoding: 'utf8' });
  await db.open();
  const rooms = new LevelRoomStore(db);
  const docs = new LevelDocStore(db.sublevel<string, Uint8Array>('docs', { valueEncoding: 'view' }));
  const turns = new LevelTurnStore(db);
  const transcripts = new LevelTranscriptStore(db);
  const records = new LevelRecordStore(db);
  return {
    kind: 'level',
    rooms,
    docs,
    turns,
    transcripts,
    records,
    async deleteRoom(roomId) {
      await Promise.all([docs.deleteRoom(roomId), turns.deleteRoom(roomId), transcripts.deleteRoom(roomId)]);
      // The room record goes last: while it exists, a retry of this deletion can still find it.
      await rooms.delete(roomId);
    },
    close: () => db.close(),
  };
}
