import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLevelStorage } from '../../server/storage/level/levelStorage';
import { createRedisStorage, type RedisStorage } from '../../server/storage/redis/redisStorage';
import type { Storage } from '../../server/storage/types';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redisServer';
import type { StoreFixture } from '../support/storeContract';
import { docStoreContract } from './docStore.contract';
import { recordStoreContract } from './recordStore.contract';
import { roomEntryStoreContract } from './roomEntryStore.contract';
import { roomStoreContract, sampleRoom } from './roomStore.contract';
import { storageContract } from './storage.contract';
import { roomLogStoreContract } from './roomLogStore.contract';
import { turnStoreContract } from './turnStore.contract';

interface Made {
  storage: Storage;
  cleanup: () => Promise<void>;
}

/** Runs every contract against one implementation; each test gets a fresh Storage from `make`. */
function allContracts(name: string, make: () => Promise<Made>): void {
  const part = <K extends keyof Storage>(key: K) => async (): Promise<StoreFixture<Storage[K]>> => {
    const { storage, cleanup } = await make();
    return { store: storage[key], cleanup };
  };
  docStoreContract(`${name} docs`, part('docs'));
  roomStoreContract(`${name} rooms`, part('rooms'));
  turnStoreContract(`${name} turns`, part('turns'));
  turnStoreContract(`${name} agreement records`, part('agreementRecords'));
  roomEntryStoreContract(`${name} agreement versions`, part('agreementVersions'));
  turnStoreContract(`${name} check-ins`, part('checkIns'));
  roomLogStoreContract(`${name} room logs`, part('roomLogs'));
  recordStoreContract(`${name} records`, part('records'));
  storageContract(name, async () => {
    const { storage, cleanup } = await make();
    return { store: storage, cleanup };
  });
}

describe('embedded LevelDB', () => {
  allContracts('level', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cg-contract-'));
    const storage = await createLevelStorage(dir);
    return {
      storage,
      cleanup: async () => {
        await storage.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  });
});

describe.skipIf(!redisServerAvailable())('Redis', () => {
  let server: RedisServer;
  let n = 0;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.destroy();
  });

  /** A fresh key prefix per test (as Hocuspocus does), so tests share one redis-server safely. */
  async function make(): Promise<Made & { storage: RedisStorage }> {
    const storage = await createRedisStorage(server.url, { prefix: `t${process.pid}-${++n}:` });
    return { storage, cleanup: () => storage.close() };
  }

  allContracts('redis', make);

  it('deleteRoom leaves no key that belongs to the room, and keeps the prefix of other tests apart', async () => {
    const { storage, cleanup } = await make();
    const other = await make();
    try {
      for (const s of [storage, other.storage]) {
        await s.rooms.create(sampleRoom('room-1', { counsellorId: 'c1' }));
        await s.docs.append('room-1', 'agreements', new Uint8Array([1]));
        await s.turns.compareAndSet('room-1', 0, { version: 1, state: {} });
        await s.agreementVersions.put('room-1', 'v1', { id: 'v1' });
        await s.checkIns.compareAndSet('room-1', 0, { version: 1, state: {} });
        await s.roomLogs.append('room-1', 's1', 'x');
      }
      // A key some later module writes under the room's prefix goes too.
      await storage.client.set(`${storage.keys.roomPrefix('room-1')}future-module`, '1');
      await storage.deleteRoom('room-1');
      // Only the mark that refuses late writes is left, holding nothing and expiring on its own.
      const left = await storage.client.keys(`${storage.keys.prefix}*`);
      expect(left).toEqual([storage.keys.roomDeleted('room-1')]);
      expect(await storage.client.get(storage.keys.roomDeleted('room-1'))).toBe('1');
      expect(await storage.client.pttl(storage.keys.roomDeleted('room-1'))).toBeGreaterThan(0);
      expect((await other.storage.client.keys(`${other.storage.keys.prefix}*`)).length).toBeGreaterThan(5);
    } finally {
      await cleanup();
      await other.cleanup();
    }
  });
});
