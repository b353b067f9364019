import type { Config } from '../config';
import { createLevelStorage } from './level/levelStorage';
import type { Storage } from './types';

/**
 * The embedded LevelDB store unless REDIS_URL is set. The Redis store implements the same
 * interfaces (server/storage/types.ts) and passes the same contract suite.
 */
export async function createStorage(config: Config): Promise<Storage> {
  if (config.redisUrl) {
    throw new Error('REDIS_URL is set, but this build has no Redis store yet. Unset REDIS_URL to use the embedded store.');
  }
  return createLevelStorage(config.dataDir);
}
