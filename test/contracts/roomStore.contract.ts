import { expect, it } from 'vitest';
import type { RoomRecord, RoomStore } from '../../server/storage/types';
import { describeStoreContract, type StoreFixture } from '../support/storeContract';

const T0 = Date.UTC(2026, 10, 21, 12);

/** A room with one claimed seat, an open invite and a live code; `patch` overrides any field. */
export function sampleRoom(id: string, patch: Partial<RoomRecord> = {}): RoomRecord {
  return {
    id,
    mode: 'couple',
    version: 1,
    createdAt: T0,
    lastActiveAt: T0,
    counsellorId: null,
    seats: {
      A: { displayName: 'Sam', tokenHash: `token-${id}`, claimedAt: T0, groundRulesAcceptedAt: T0, revokedTokenHashes: [] },
    },
    invites: [{ hash: `invite-${id}`, seat: 'B', createdAt: T0, expiresAt: T0 + 1000, claimedAt: null, revokedAt: null }],
    codes: [{ code: `code-${id}`, seat: 'B', expiresAt: T0 + 1000, wrongTries: 0, claimedAt: null }],
    ...patch,
  };
}

/** The next version of a room, as the room service makes it. */
const bump = (room: RoomRecord, patch: Partial<RoomRecord> = {}): RoomRecord => ({ ...room, ...patch, version: room.version + 1 });

/**
 * What every RoomStore must do. Run it from a `*.test.ts`:
 * `roomStoreContract('LevelRoomStore', async () => ({ store, cleanup }))`; each test gets a fresh store.
 */
export function roomStoreContract(name: string, makeStore: () => Promise<StoreFixture<RoomStore>>): void {
  describeStoreContract(`RoomStore contract: ${name}`, makeStore, (store) => {
    it('returns null for a room never created', async () => {
      expect(await store.get('nope')).toBeNull();
    });

    it('creates a room and reads back the same record', async () => {
      const room = sampleRoom('room-1');
      await store.create(room);
      expect(await store.get('room-1')).toEqual(room);
    });

    it('refuses to create a room whose id exists, and keeps the first', async () => {
      const room = sampleRoom('room-1');
      await store.create(room);
      await expect(store.create(sampleRoom('room-1', { mode: 'moderated' }))).rejects.toThrow();
      expect(await store.get('room-1')).toEqual(room);
    });

    it('only one of two creates racing on the same id succeeds', async () => {
      const results = await Promise.allSettled([store.create(sampleRoom('room-1')), store.create(sampleRoom('room-1', { mode: 'moderated' }))]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });

    it('compareAndSet stores the next version only over the one before it', async () => {
      const room = sampleRoom('room-1');
      await store.create(room);
      const v2 = bump(room, { lastActiveAt: T0 + 5 });
      expect(await store.compareAndSet(v2)).toBe(true);
      expect(await store.get('room-1')).toEqual(v2);
      expect(await store.compareAndSet(v2)).toBe(false);
      expect(await store.compareAndSet({ ...v2, version: 5 })).toBe(false);
      expect(await store.get('room-1')).toEqual(v2);
    });

    it('compareAndSet on a missing room fails and creates nothing', async () => {
      expect(await store.compareAndSet(sampleRoom('ghost', { version: 2 }))).toBe(false);
      expect(await store.get('ghost')).toBeNull();
      expect(await store.findByInviteHash('invite-ghost')).toBeNull();
    });

    it('of many compareAndSets racing on one version, exactly one wins', async () => {
      const room = sampleRoom('room-1');
      await store.create(room);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.compareAndSet(bump(room, { lastActiveAt: T0 + i + 1 }))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect((await store.get('room-1'))?.lastActiveAt).toBe(T0 + winner + 1);
    });

    it('finds a room by invite hash and by code', async () => {
      await store.create(sampleRoom('room-1'));
      await store.create(sampleRoom('room-2'));
      expect(await store.findByInviteHash('invite-room-1')).toBe('room-1');
      expect(await store.findByCode('code-room-2')).toBe('room-2');
      expect(await store.findByInviteHash('invite-none')).toBeNull();
      expect(await store.findByCode('000000')).toBeNull();
    });

    it('keeps the indexes in step with compareAndSet: new entries found, dropped ones gone', async () => {
      const room = sampleRoom('room-1');
      await store.create(room);
      const v2 = bump(room, {
        invites: [...room.invites, { hash: 'invite-new', seat: 'A', createdAt: T0, expiresAt: T0 + 1, claimedAt: null, revokedAt: null }],
        codes: [{ code: '123456', seat: 'B', expiresAt: T0 + 1000, wrongTries: 0, claimedAt: null }],
      });
      expect(await store.compareAndSet(v2)).toBe(true);
      expect(await store.findByInviteHash('invite-new')).toBe('room-1');
      expect(await store.findByInviteHash('invite-room-1')).toBe('room-1');
      expect(await store.findByCode('123456')).toBe('room-1');
      expect(await store.findByCode('code-room-1')).toBeNull();
    });

    it('a failed compareAndSet leaves the indexes alone', async () => {
      const room = sampleRoom('room-1');
      await store.create(room);
      expect(await store.compareAndSet({ ...room, version: 7, codes: [] })).toBe(false);
      expect(await store.findByCode('code-room-1')).toBe('room-1');
    });

    it('lists the rooms of a counsellor, and follows a change of counsellor', async () => {
      await store.create(sampleRoom('room-1', { counsellorId: 'c1', mode: 'moderated' }));
      await store.create(sampleRoom('room-2', { counsellorId: 'c1', mode: 'moderated' }));
      const room3 = sampleRoom('room-3', { counsellorId: 'c2', mode: 'moderated' });
      await store.create(room3);
      await store.create(sampleRoom('room-4'));
      expect((await store.listByCounsellor('c1')).sort()).toEqual(['room-1', 'room-2']);
      expect(await store.listByCounsellor('c2')).toEqual(['room-3']);
      expect(await store.listByCounsellor('c3')).toEqual([]);
      expect(await store.compareAndSet(bump(room3, { counsellorId: 'c1' }))).toBe(true);
      expect((await store.listByCounsellor('c1')).sort()).toEqual(['room-1', 'room-2', 'room-3']);
      expect(await store.listByCounsellor('c2')).toEqual([]);
    });

    it('counsellor ids that share a prefix do not see each other', async () => {
      await store.create(sampleRoom('room-1', { counsellorId: 'c1' }));
      await store.create(sampleRoom('room-2', { counsellorId: 'c10' }));
      expect(await store.listByCounsellor('c1')).toEqual(['room-1']);
    });

    it('lists rooms inactive since a cutoff, strictly before it, following activity updates', async () => {
      const old = sampleRoom('old', { lastActiveAt: T0 - 10 });
      await store.create(old);
      await store.create(sampleRoom('edge', { lastActiveAt: T0 }));
      await store.create(sampleRoom('fresh', { lastActiveAt: T0 + 10 }));
      expect(await store.listInactiveSince(T0)).toEqual(['old']);
      expect(await store.compareAndSet(bump(old, { lastActiveAt: T0 + 20 }))).toBe(true);
      expect(await store.listInactiveSince(T0)).toEqual([]);
      expect((await store.listInactiveSince(T0 + 100)).sort()).toEqual(['edge', 'fresh', 'old']);
    });

    it('delete removes the room and every index entry, and only that room', async () => {
      await store.create(sampleRoom('room-1', { counsellorId: 'c1', lastActiveAt: T0 - 5 }));
      await store.create(sampleRoom('room-10', { counsellorId: 'c1', lastActiveAt: T0 - 5 }));
      await store.delete('room-1');
      expect(await store.get('room-1')).toBeNull();
      expect(await store.findByInviteHash('invite-room-1')).toBeNull();
      expect(await store.findByCode('code-room-1')).toBeNull();
      expect(await store.listByCounsellor('c1')).toEqual(['room-10']);
      expect(await store.listInactiveSince(T0)).toEqual(['room-10']);
      expect(await store.findByCode('code-room-10')).toBe('room-10');
    });

    it('deleting a missing room succeeds, and a deleted id can be created again', async () => {
      await expect(store.delete('ghost')).resolves.toBeUndefined();
      await store.create(sampleRoom('room-1'));
      await store.delete('room-1');
      await store.create(sampleRoom('room-1', { mode: 'moderated' }));
      expect((await store.get('room-1'))?.mode).toBe('moderated');
    });

    it('keeps names, hashes and unicode exactly', async () => {
      const room = sampleRoom('room-ü', {
        seats: { A: { displayName: 'Zoë 🌱 "quoted" \\ back', tokenHash: 'ab'.repeat(32), claimedAt: null, groundRulesAcceptedAt: null, revokedTokenHashes: ['x', 'y'] } },
      });
      await store.create(room);
      expect(await store.get('room-ü')).toEqual(room);
    });
  });
}
