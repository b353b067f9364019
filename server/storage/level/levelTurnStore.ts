import type { AbstractSublevel } from 'abstract-level';
import type { ClassicLevel } from 'classic-level';
import { KeyedMutex } from '../../util/keyedMutex';
import type { TurnStore, VersionedState } from '../types';

type Db = ClassicLevel<string, string>;

export class LevelTurnStore implements TurnStore {
  private readonly turns: AbstractSublevel<Db, string | Buffer | Uint8Array, string, VersionedState<unknown>>;
  private readonly lock = new KeyedMutex();

  constructor(db: Db) {
    this.turns = db.sublevel<string, VersionedState<unknown>>('turns', { valueEncoding: 'json' });
  }

  async get<T>(roomId: string): Promise<VersionedState<T> | null> {
    return ((await this.turns.get(roomId)) as VersionedState<T> | undefined) ?? null;
  }

  compareAndSet<T>(roomId: string, expectedVersion: number, next: VersionedState<T>): Promise<boolean> {
    return this.lock.run(roomId, async () => {
      const current = await this.turns.get(roomId);
      if ((current?.version ?? 0) !== expectedVersion) return false;
      await this.turns.put(roomId, next);
      return true;
    });
  }

  async deleteRoom(roomId: string): Promise<void> {
    await this.turns.del(roomId);
  }
}
