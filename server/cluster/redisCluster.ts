import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Server } from 'socket.io';
import type { RedisStorage } from '../storage/redis/redisStorage';
import type { Storage } from '../storage/types';

/**
 * Joins this node's Socket.IO server to every other node through Redis: room broadcasts go
 * through a Redis stream (so connection-state recovery can replay what a client missed, on
 * whichever node it comes back to), and the ephemeral traffic — fetchSockets,
 * serverSideEmit and their replies — through pub/sub.
 *
 * The adapter duplicates the storage's ioredis connection twice (a blocking XREAD reader and a
 * subscriber); both inherit autoResubscribe, which is what brings the subscriptions back after
 * a Redis restart (test/multinode/redisRestart.test.ts).
 */
export function attachRedisAdapter(io: Server<any, any, any, any>, storage: RedisStorage): void {
  const prefix = storage.keys.prefix;
  io.adapter(
    createAdapter(storage.client, {
      streamName: `${prefix}sio:stream`,
      channelPrefix: `${prefix}sio`,
      sessionKeyPrefix: `${prefix}sio:session:`,
      // XREAD returns as soon as an entry arrives; the block time only bounds how long a
      // closing node waits for its reader to notice.
      blockTimeInMs: 1000,
    }),
  );
}

/**
 * Calls `listener` each time this node's Redis connection is ready again after it was lost
 * (a Redis restart or a network cut). Pub/sub traffic sent meanwhile — `io.serverSideEmit`
 * included — is gone, so a module that mirrors shared state in memory (Y.Docs, turn
 * snapshots) must reload it from the store here. Returns a function that stops listening.
 * With the embedded store there is nothing to lose, and the listener is never called.
 */
export function onRedisReconnected(storage: Storage, listener: () => void): () => void {
  if (!isRedis(storage)) return () => undefined;
  let lost = false;
  const onClose = () => {
    lost = true;
  };
  const onReady = () => {
    if (!lost) return;
    lost = false;
    listener();
  };
  storage.client.on('close', onClose);
  storage.client.on('ready', onReady);
  return () => {
    storage.client.off('close', onClose);
    storage.client.off('ready', onReady);
  };
}

function isRedis(storage: Storage): storage is RedisStorage {
  return storage.kind === 'redis' && 'client' in storage;
}
