import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { PackLibrary } from '../content/packLoader';
import { createLevelStorage } from '../storage/level/levelStorage';
import type { Storage, TurnStore } from '../storage/types';
import { tempDataDir } from '../../test/support/testServer';
import { SessionService, TurnRefusal } from './sessionService';

const packs = PackLibrary.load();
const log = createLogger('silent');
const A = { role: 'partner', seat: 'A' } as const;
const B = { role: 'partner', seat: 'B' } as const;

let dir: string;
let storage: Storage;

beforeEach(async () => {
  dir = tempDataDir();
  storage = await createLevelStorage(dir);
});
afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The real store, with a hook that lets "another node" write between our read and our compare-and-set. */
function interleaved(turns: TurnStore, between: () => Promise<void>): TurnStore & { conflicts: number } {
  let armed = true;
  const store = {
    conflicts: 0,
    get: turns.get.bind(turns),
    deleteRoom: turns.deleteRoom.bind(turns),
    async compareAndSet<T>(roomId: string, expected: number, next: { version: number; state: T }) {
      if (armed) {
        armed = false;
        await between();
      }
      const stored = await turns.compareAndSet(roomId, expected, next);
      if (!stored) store.conflicts += 1;
      return stored;
    },
  };
  return store;
}

describe('SessionService compare-and-set', () => {
  async function startedRoom(service: SessionService, roomId: string) {
    await service.apply(roomId, A, { type: 'propose', packId: 'turning-the-page', mode: 'aloud' });
    await service.apply(roomId, B, { type: 'accept' });
    return service.get(roomId);
  }

  it('a move that lost the race is re-applied to the new state and refused by its rule', async () => {
    const other = new SessionService({ turns: storage.turns, roomLogs: storage.roomLogs, packs, clock: { now: () => 1 }, log });
    const setup = new SessionService({ turns: storage.turns, roomLogs: storage.roomLogs, packs, clock: { now: () => 1 }, log });
    const s = await startedRoom(setup, 'r1');
    if (s.phase !== 'active' || s.step.kind !== 'speaker-listener') throw new Error('expected speaker-listener');
    const speaker = { role: 'partner', seat: s.step.speaker } as const;
    const turns = interleaved(storage.turns, async () => {
      await other.apply('r1', speaker, { type: 'passToReflect' });
    });
    const service = new SessionService({ turns, roomLogs: storage.roomLogs, packs, clock: { now: () => 2 }, log });
    await expect(service.apply('r1', speaker, { type: 'passToReflect' })).rejects.toMatchObject({ code: 'WRONG_PHASE', rule: 'TM-10' });
    expect(turns.conflicts).toBe(1);
    expect((await service.get('r1')).version).toBe(s.version + 1);
  });

  it('a move that still fits after the race is accepted on the retry, on top of the other', async () => {
    const setup = new SessionService({ turns: storage.turns, roomLogs: storage.roomLogs, packs, clock: { now: () => 1 }, log });
    const s = await startedRoom(setup, 'r2');
    const turns = interleaved(storage.turns, async () => {
      await setup.apply('r2', A, { type: 'repair', phrase: 'moment' });
    });
    const service = new SessionService({ turns, roomLogs: storage.roomLogs, packs, clock: { now: () => 2 }, log });
    const applied = await service.apply('r2', B, { type: 'pause' });
    expect(turns.conflicts).toBe(1);
    expect(applied.state.version).toBe(s.version + 2);
    expect(applied.state.phase).toBe('paused');
  });

  it('gives up with VERSION_CONFLICT when the state never holds still', async () => {
    const setup = new SessionService({ turns: storage.turns, roomLogs: storage.roomLogs, packs, clock: { now: () => 1 }, log });
    await startedRoom(setup, 'r3');
    const busy: TurnStore = { ...storage.turns, get: storage.turns.get.bind(storage.turns), compareAndSet: async () => false };
    const service = new SessionService({ turns: busy, roomLogs: storage.roomLogs, packs, clock: { now: () => 2 }, log, maxAttempts: 3 });
    const refusal = service.apply('r3', A, { type: 'repair', phrase: 'thanks' });
    await expect(refusal).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    await expect(refusal).rejects.not.toBeInstanceOf(TurnRefusal);
  });
});
