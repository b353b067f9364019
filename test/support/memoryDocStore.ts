import { AppError, ErrorCode } from '../../shared/protocol/errors';
import type { DocStore } from '../../server/storage/types';

/** A DocStore in memory, for tests of the layers above storage. Passes the DocStore contract. */
export class MemoryDocStore implements DocStore {
  private readonly logs = new Map<string, Uint8Array[]>();
  private readonly deleted = new Set<string>();

  async append(roomId: string, docName: string, update: Uint8Array): Promise<number> {
    if (this.deleted.has(roomId)) throw new AppError(ErrorCode.ROOM_NOT_FOUND);
    const log = this.log(roomId, docName);
    log.push(update.slice());
    return log.length;
  }

  async load(roomId: string, docName: string): Promise<Uint8Array[]> {
    return this.log(roomId, docName).map((u) => u.slice());
  }

  async compact(roomId: string, docName: string, merge: (updates: Uint8Array[]) => Uint8Array | Promise<Uint8Array>): Promise<number> {
    const log = this.log(roomId, docName);
    if (log.length <= 1) return 0;
    const read = log.slice(0);
    const merged = await merge(read.map((u) => u.slice()));
    // The same update objects first: nobody compacted meanwhile.
    if (log.length < read.length || read.some((u, i) => log[i] !== u)) return 0;
    log.splice(0, read.length, merged.slice());
    return read.length;
  }

  async deleteRoom(roomId: string): Promise<void> {
    this.deleted.add(roomId);
    for (const key of [...this.logs.keys()]) if (key.startsWith(`${roomId}\u0000`)) this.logs.delete(key);
  }

  async release(): Promise<void> {
    // Everything here is the store itself; there is nothing else to let go of.
  }

  /** for tests: how many updates a document's log holds */
  size(roomId: string, docName: string): number {
    return this.logs.get(`${roomId}\u0000${docName}`)?.length ?? 0;
  }

  private log(roomId: string, docName: string): Uint8Array[] {
    const key = `${roomId}\u0000${docName}`;
    let log = this.logs.get(key);
    if (!log) {
      log = [];
      this.logs.set(key, log);
    }
    return log;
  }
}
