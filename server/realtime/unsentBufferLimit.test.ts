import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import type { AppServer } from './eventDispatcher';
import { limitUnsentBuffer } from './unsentBufferLimit';

/**
 * An Engine.IO connection as the limit sees it: packets are announced (`packetCreate`) and
 * handed to the transport (`flush`), whose websocket reports what it still holds.
 */
class FakeConnection extends EventEmitter {
  readyState = 'open';
  closed = false;
  readonly websocket = { bufferedAmount: 0 };
  readonly transport = { name: 'websocket', socket: this.websocket };
  private buffer: Array<{ data: unknown }> = [];
  /** a packet of `bytes` is queued; with `flush`, the transport takes the buffer at once */
  queue(bytes: number, flush = false): void {
    const packet = { data: Buffer.alloc(bytes) };
    this.emit('packetCreate', packet);
    this.buffer.push(packet);
    if (flush) this.flush();
  }
  flush(): void {
    this.emit('flush', this.buffer);
    for (const packet of this.buffer) this.websocket.bufferedAmount += (packet.data as Buffer).byteLength;
    this.buffer = [];
  }
  close(): void {
    this.closed = true;
  }
}

function setUp(limitBytes = 1000) {
  const io = new EventEmitter();
  limitUnsentBuffer(io as unknown as AppServer, { limitBytes, log: createLogger('silent') });
  const conn = new FakeConnection();
  const emitted: Array<[string, unknown]> = [];
  const socket = { id: 's1', conn, data: { roomId: 'r1' }, disconnected: false, emit: (e: string, p: unknown) => emitted.push([e, p]), disconnect() { this.disconnected = true; } };
  io.emit('connection', socket);
  const settled = () => new Promise((resolve) => process.nextTick(resolve));
  return { conn, socket, emitted, settled };
}

describe('unsent buffer limit', () => {
  it('closes a socket once more than the limit waits behind what is in flight, after telling it why', async () => {
    const { conn, socket, emitted, settled } = setUp(1000);
    conn.queue(400, true);
    for (let i = 0; i < 6; i++) conn.queue(100);
    await settled();
    expect(conn.closed).toBe(false);
    conn.queue(100);
    conn.queue(100);
    await settled();
    expect(emitted).toEqual([['connection:closing', { code: 'SLOW_CONNECTION', message: expect.any(String) }]]);
    expect(conn.closed).toBe(true);
    expect(socket.disconnected).toBe(true);
  });

  it('lets one message larger than the limit drain (a big document to a device joining), not a pile behind it', async () => {
    const { conn, settled } = setUp(1000);
    conn.queue(5000, true);
    for (let i = 0; i < 9; i++) conn.queue(100);
    await settled();
    expect(conn.closed).toBe(false);
    // It drained: the allowance for it goes, and what piled up counts alone again.
    conn.websocket.bufferedAmount = 0;
    conn.flush();
    conn.queue(100);
    await settled();
    expect(conn.closed).toBe(false);
    for (let i = 0; i < 12; i++) conn.queue(100);
    await settled();
    expect(conn.closed).toBe(true);
  });

  it('counts a transport without a websocket (long-polling) by its write buffer alone', async () => {
    const { conn, settled } = setUp(1000);
    (conn.transport as { name: string }).name = 'polling';
    conn.websocket.bufferedAmount = 1_000_000;
    for (let i = 0; i < 10; i++) conn.queue(100);
    await settled();
    expect(conn.closed).toBe(false);
    conn.queue(100);
    conn.queue(100);
    await settled();
    expect(conn.closed).toBe(true);
  });
});
