import { Redis, type RedisOptions } from 'ioredis';

/**
 * ioredis, chosen over node-redis because it re-subscribes by itself after a reconnect
 * (autoResubscribe) and resends commands that were in flight (autoResendUnfulfilledCommands):
 * the Socket.IO adapter's subscriptions must outlive a Redis restart, and
 * test/multinode/redisRestart.test.ts proves they do.
 */
export function createRedisClient(url: string, options: RedisOptions = {}): Redis {
  const client = new Redis(url, {
    autoResubscribe: true,
    autoResendUnfulfilledCommands: true,
    // Commands wait for a restarting Redis instead of failing after a few retries; a request
    // that cannot finish is bounded by the caller's own timeout (acks, health checks).
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(50 * attempt, 1000),
    ...options,
  });
  // Errors surface on the commands that fail; an unhandled 'error' event would crash the node.
  client.on('error', () => undefined);
  return client;
}
