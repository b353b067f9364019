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

/**
 * Counts commands in flight on a client, so that closing can wait for work that handlers
 * started while the node was shutting down (a disconnect that broadcasts presence, say)
 * instead of failing it with "Connection is closed".
 */
export function trackInFlight(client: Redis): { idle(quietMs?: number, maxMs?: number): Promise<void> } {
  let pending = 0;
  let lastActivity = Date.now();
  const send = client.sendCommand.bind(client);
  client.sendCommand = ((...args: Parameters<Redis['sendCommand']>) => {
    pending += 1;
    lastActivity = Date.now();
    const command = args[0];
    const settle = () => {
      pending -= 1;
      lastActivity = Date.now();
    };
    command.promise.then(settle, settle);
    return send(...args);
  }) as Redis['sendCommand'];
  return {
    async idle(quietMs = 50, maxMs = 2000) {
      const deadline = Date.now() + maxMs;
      while (Date.now() < deadline && (pending > 0 || Date.now() - lastActivity < quietMs)) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

/** A Lua script a store runs as one command: how many of its arguments are keys, and its source. */
export interface RedisScript {
  keys: number;
  lua: string;
}

/**
 * Defines a store's Lua scripts as commands of `redis` and returns the client typed with them
 * (`Commands` names each command's arguments and reply; ioredis adds a `…Buffer` variant of
 * each, for replies read as bytes). Defining a command twice on one client is harmless.
 */
export function withScripts<Commands extends object>(redis: Redis, scripts: Record<string, RedisScript>): Redis & Commands {
  for (const [name, { keys, lua }] of Object.entries(scripts)) redis.defineCommand(name, { numberOfKeys: keys, lua });
  return redis as Redis & Commands;
}
