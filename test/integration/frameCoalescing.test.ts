// One Socket.IO event, one write to the TCP socket (server/realtime/frameCoalescing.ts): a binary
// event's header and bytes leave together, and arrive intact.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { connectClient, type ClientSocket } from '../support/socketClient';
import { countWrites } from '../support/socketWrites';
import { startTestServer, type TestServer } from '../support/testServer';

let server: TestServer;
let client: ClientSocket;

beforeEach(async () => {
  server = await startTestServer();
  client = await connectClient(server.url);
});
afterEach(async () => {
  client.disconnect();
  await server.destroy();
});

function countServerWrites(): { count(): number } {
  return countWrites([...server.app.io.of('/').sockets.values()][0]);
}

it('a binary event is one write to the socket, and arrives whole', async () => {
  const writes = countServerWrites();
  const message = Uint8Array.from({ length: 300 }, (_, i) => i % 251);
  const received = new Promise<{ doc: string; message: Uint8Array }>((resolve) => client.once('doc:message', resolve));
  server.app.io.emit('doc:message', { doc: 'agreements', message });
  const got = await received;
  expect(got.doc).toBe('agreements');
  expect(Array.from(new Uint8Array(got.message))).toEqual(Array.from(message));
  // Without coalescing: the header, then (after its write callback) the bytes, two writes.
  expect(writes.count()).toBe(1);
});

it('events sent back to back arrive whole and in order', async () => {
  const got: number[] = [];
  const all = new Promise<void>((resolve) =>
    client.on('doc:message', ({ message }) => {
      got.push(new Uint8Array(message)[0] ?? -1);
      if (got.length === 50) resolve();
    }),
  );
  for (let i = 0; i < 50; i++) server.app.io.emit('doc:message', { doc: 'agreements', message: Uint8Array.of(i, 1, 2, 3) });
  await all;
  expect(got).toEqual(Array.from({ length: 50 }, (_, i) => i));
});
