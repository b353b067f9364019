import type { DocStore } from '../storage/types';

/** A DocStore in memory, for tests of the layers above storage. Passes the DocStore contract. */
export class MemoryDocStore implements DocStore {
  private readonly logs = new Map<string, Uint8Array[]>();

  async append(roomId: string, docName: string, update: Uint8Array): Promise<number> {
    const log = this.log(roomId, docName);
    log.push(update.slice());
    return log.length;
  }

  async load(roomId: string, docName: string): Promise<Uint8Array[]> {
    return this.log(roomId, docName).map((u) => u.slice());
  }

  async compact(roomId: string, docName: string, merged: Uint8Array, count: number): Promise<void> {
    const log = this.log(roomId, docName);
    if (!Number.isInteger(count) || count < 1 || count > log.length) throw new RangeError(`compact: bad count ${count}`);
    log.splice(0, count, merged.slice());
  }

  async deleteRoom(roomId: string): Promise<void> {
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
