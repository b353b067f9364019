import type { Socket as TcpSocket } from 'node:net';

/**
 * Counts a server-side Socket.IO socket's writes as they reach the kernel (one `write` or
 * `writev` each): what the write-saving parts of server/realtime are judged by.
 */
export function countWrites(serverSocket: { conn: unknown } | undefined): { count(): number } {
  const tcp = (serverSocket?.conn as { transport: { socket: { _socket: TcpSocket } } } | undefined)?.transport.socket._socket;
  if (!tcp) throw new Error('no websocket connection to count writes on');
  const internals = tcp as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
  let writes = 0;
  for (const method of ['_write', '_writev'] as const) {
    const original = internals[method].bind(tcp);
    internals[method] = (...args: unknown[]) => {
      writes += 1;
      return original(...args);
    };
  }
  return { count: () => writes };
}
