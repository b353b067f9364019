import { expect, it } from 'vitest';
import type { TurnStore } from '../../server/storage/types';
import { describeStoreContract, type StoreFixture } from '../support/storeContract';

interface Floor {
  phase: string;
  speaker: string | null;
}

/**
 * What every TurnStore must do. `turnStoreContract('LevelTurnStore', async () => ({ store, cleanup }))`;
 * each test gets a fresh store.
 */
export function turnStoreContract(name: string, makeStore: () => Promise<StoreFixture<TurnStore>>): void {
  describeStoreContract(`TurnStore contract: ${name}`, makeStore, (store) => {
    it('returns null before anything is stored', async () => {
      expect(await store.get('room-1')).toBeNull();
    });

    it('the first write expects version 0, later ones the stored version', async () => {
      expect(await store.compareAndSet<Floor>('room-1', 1, { version: 1, state: { phase: 'SPEAK', speaker: 'A' } })).toBe(false);
      expect(await store.compareAndSet<Floor>('room-1', 0, { version: 1, state: { phase: 'SPEAK', speaker: 'A' } })).toBe(true);
      expect(await store.get<Floor>('room-1')).toEqual({ version: 1, state: { phase: 'SPEAK', speaker: 'A' } });
      expect(await store.compareAndSet<Floor>('room-1', 0, { version: 1, state: { phase: 'SPEAK', speaker: 'B' } })).toBe(false);
      expect(await store.compareAndSet<Floor>('room-1', 1, { version: 2, state: { phase: 'REFLECT', speaker: 'A' } })).toBe(true);
      expect(await store.get<Floor>('room-1')).toEqual({ version: 2, state: { phase: 'REFLECT', speaker: 'A' } });
    });

    it('of many writers racing on one version, exactly one wins and its state is stored', async () => {
      await store.compareAndSet<Floor>('room-1', 0, { version: 1, state: { phase: 'SPEAK', speaker: null } });
      const results = await Promise.all(
        Array.from({ length: 16 }, (_, i) => store.compareAndSet<Floor>('room-1', 1, { version: 2, state: { phase: 'SPEAK', speaker: `s${i}` } })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.get<Floor>('room-1'))?.state.speaker).toBe(`s${results.indexOf(true)}`);
    });

    it('keeps nested state, nulls, numbers and unicode exactly', async () => {
      const state = { phase: 'CHECK', speaker: 'B', timers: { endsAt: 1_790_000_000_123, paused: null }, notes: ['ü', '🌱', ''], n: -0.5 };
      await store.compareAndSet('room-1', 0, { version: 1, state });
      expect(await store.get('room-1')).toEqual({ version: 1, state });
    });

    it('rooms are independent, including ids that share a prefix', async () => {
      await store.compareAndSet('room-1', 0, { version: 1, state: 'one' });
      await store.compareAndSet('room-10', 0, { version: 1, state: 'ten' });
      expect(await store.get('room-1')).toEqual({ version: 1, state: 'one' });
      expect(await store.get('room-10')).toEqual({ version: 1, state: 'ten' });
    });

    it('deleteRoom removes the state; the next write starts again from version 0', async () => {
      await store.compareAndSet('room-1', 0, { version: 1, state: 'x' });
      await store.compareAndSet('room-2', 0, { version: 1, state: 'y' });
      await store.deleteRoom('room-1');
      expect(await store.get('room-1')).toBeNull();
      expect(await store.get('room-2')).toEqual({ version: 1, state: 'y' });
      expect(await store.compareAndSet('room-1', 0, { version: 1, state: 'z' })).toBe(true);
      await expect(store.deleteRoom('never')).resolves.toBeUndefined();
    });
  });
}
