import { randomUUID } from 'node:crypto';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { Server } from 'socket.io';
import type { RedisStorage } from '../storage/redis/redisStorage';

/** What the rest of the node knows of its link to the other nodes. */
export interface ClusterLink {
  /**
   * Calls `listener` each time this node's subscriptions are back after they were lost (a
   * Redis restart, a network cut). Whatever was published meanwhile, by pub/sub, is gone, so a
   * module that mirrors shared state in memory (Y.Docs, who holds which seat) checks it against
   * the store here. Returns a function that stops listening.
   */
  onRestored(listener: () => void): () => void;
  close(): Promise<void>;
}

/** The link of a node that has no other nodes (the embedded store): never lost. */
export const singleNodeLink: ClusterLink = {
  onRestored: () => () => undefined,
  close: async () => undefined,
};

/**
 * Joins this node's Socket.IO server to every other node through Redis sharded pub/sub (Redis
 * 7): room broadcasts, fetchSockets, disconnectSockets and serverSideEmit. Live traffic only:
 * the adapter keeps nothing in Redis, so nothing anyone writes outlives its delivery there.
 *
 * The adapter accepts ioredis for sharded pub/sub (it subscribes with SSUBSCRIBE and reads
 * `smessageBuffer`), so the storage's client publishes, and a duplicate of it subscribes. The
 * duplicate inherits autoResubscribe: ioredis subscribes it to its channels again after every
 * reconnect. Publishing on the storage's own connection keeps a publish after the writes that
 * were sent before it.
 */
export function attachRedisAdapter(io: Server<any, any, any, any>, storage: RedisStorage): ClusterLink {
  const prefix = storage.keys.prefix;
  const subscriber = storage.client.duplicate();
  subscriber.on('error', () => undefined);
  io.adapter(createShardedAdapter(storage.client, subscriber, { channelPrefix: `${prefix}sio` }));
  return watchSubscriptions(subscriber, `${prefix}sio#probe#${randomUUID()}#`);
}

/**
 * ioredis emits `ready` on a reconnect before it sends the SSUBSCRIBE of each channel again,
 * and does not say when Redis confirmed them. Redis answers one connection's commands in the
 * order they were sent (redis.io, "Pipelining"), so a SSUBSCRIBE of a channel of our own,
 * sent after ioredis sent its own ones, is answered only after every one of those was: its
 * answer is the signal that the subscriptions are back. (One Redis, not a Redis Cluster: in a
 * cluster sharded channels live on different shards, which order nothing between them.)
 */
function watchSubscriptions(subscriber: Redis, probeChannel: string): ClusterLink {
  const listeners = new Set<() => void>();
  let lost = false;
  let closed = false;
  const onClose = () => {
    lost = true;
  };
  const onReady = () => {
    if (!lost) return;
    lost = false;
    // After ioredis's own `ready` work, which sends the subscriptions again.
    setImmediate(() => {
      if (closed) return;
      subscriber.ssubscribe(probeChannel).then(
        () => {
          if (closed) return;
          for (const listener of [...listeners]) listener();
        },
        () => {
          // The connection went again before the answer: the next `ready` asks again.
        },
      );
    });
  };
  subscriber.on('close', onClose);
  subscriber.on('ready', onReady);
  void subscriber.ssubscribe(probeChannel).catch(() => undefined);
  return {
    onRestored(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      listeners.clear();
      subscriber.off('close', onClose);
      subscriber.off('ready', onReady);
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
