import { createRequire } from 'node:module';
import type { Socket as TcpSocket } from 'node:net';
import path from 'node:path';
import { transports } from 'engine.io';

// socket.io exports only its entry point; its Client class sits beside it.
const require = createRequire(import.meta.url);
const { Client } = require(path.join(path.dirname(require.resolve('socket.io')), 'client.js')) as { Client: unknown };

/**
 * Socket.IO sends a binary event as two WebSocket frames: a text header, then the bytes. As
 * shipped, engine.io writes the header, waits for that write's callback, and only then writes
 * the bytes, each with its own `writev` system call and its own drain/flush round. Every
 * y-protocols message we broadcast is such an event; at a thousand rooms those writes and
 * rounds are the largest cost in the server's profile (`npm run bench -- --profile DIR`).
 *
 * Two small changes make one event one write, with the same bytes in the same order as
 * engine.io's own writes:
 * - the parts of one encoded packet are queued together before engine.io flushes, so they
 *   reach the transport in one `send`;
 * - the TCP socket is corked while the transport writes one `send`, and uncorked right after,
 *   in the same tick.
 * Nothing waits for a timer, so no message is delayed. Both are idempotent; tests in
 * test/integration/frameCoalescing.test.ts pin the library behaviour they rely on.
 */

interface EngineTransport {
  writable: boolean;
  send(packets: unknown[]): void;
  socket?: { _socket?: TcpSocket | null };
}

interface EngineConnection {
  transport: EngineTransport;
  flush(): void;
}

interface ClientInternals {
  conn: EngineConnection;
  writeToEngine(encodedPackets: unknown, opts: { volatile?: boolean }): void;
}

const PATCHED = Symbol.for('common-ground.frameCoalescing');
type Patchable<T> = T & { [PATCHED]?: true };

export function coalesceWebSocketFrames(): void {
  const client = (Client as unknown as { prototype: Patchable<ClientInternals> }).prototype;
  if (!client[PATCHED]) {
    const writeToEngine = client.writeToEngine;
    client.writeToEngine = function (this: ClientInternals, encodedPackets, opts) {
      const transport = this.conn.transport;
      // A volatile packet is dropped when the transport is busy: leave that rule to the original.
      if (!Array.isArray(encodedPackets) || encodedPackets.length < 2 || opts.volatile || !transport.writable) {
        return writeToEngine.call(this, encodedPackets, opts);
      }
      sendTogether(this, () => writeToEngine.call(this, encodedPackets, opts));
    };
    client[PATCHED] = true;
  }

  const websocket = (transports.websocket as unknown as { prototype: Patchable<EngineTransport> }).prototype;
  if (!websocket[PATCHED]) {
    const send = websocket.send;
    websocket.send = function (this: EngineTransport, packets: unknown[]) {
      const tcp = packets.length > 1 ? this.socket?._socket : null;
      if (!tcp || tcp.destroyed) return send.call(this, packets);
      tcp.cork();
      try {
        send.call(this, packets);
      } finally {
        tcp.uncork();
      }
    };
    websocket[PATCHED] = true;
  }
}

/**
 * Runs `send` (which emits several packets to one socket) so that they leave in one write:
 * engine.io buffers them while its transport looks busy, then flushes them as one `send`,
 * which the corked websocket transport above writes with one system call.
 */
export function sendTogether(socket: { conn: unknown }, send: () => void): void {
  const conn = socket.conn as Partial<EngineConnection> | undefined;
  const transport = conn?.transport;
  if (!conn?.flush || !transport?.writable) return send();
  transport.writable = false;
  try {
    send();
  } finally {
    transport.writable = true;
  }
  conn.flush();
}
