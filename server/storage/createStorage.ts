import type { Config } from '../config';
import { createLevelStorage } from './level/levelStorage';
import { createRedisStorage } from './redis/redisStorage';
import type { Storage } from './types';

/**
 * The embedded LevelDB store unless REDIS_URL is set. The Redis store implements the same
 * interfaces (server/storage/types.ts) and passes the same contract suite
 * (test/contracts/storage.contract.test.ts).
 */
export async function createStorage(config: Config): Promise<Storage> {
  if (config.redisUrl) return createRedisStorage(config.redisUrl, { prefix: config.redisKeyPrefix });
  return createLevelStorage(config.dataDir);
}
