import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { libraryDebugIsQuiet } from '../../server/realtime/quietLibraryDebug';
import { startServerProcess } from '../support/serverProcess';
import { connectClient } from '../support/socketClient';

// server/realtime/quietLibraryDebug.ts: Socket.IO's per-packet `debug()` calls cost CPU and
// garbage even when switched off, so the server hands those libraries a silent logger unless
// DEBUG asks for their output.
describe("the libraries' debug output", () => {
  it('is replaced by a silent logger when DEBUG is unset, before Socket.IO loads', async () => {
    expect(process.env.DEBUG ?? '', 'run this test with DEBUG unset: DEBUG turns the silencing off').toBe('');
    expect(libraryDebugIsQuiet()).toBe(true);
    // What socket.io itself gets when it asks for `debug`:
    const fromSocketIo = createRequire(createRequire(import.meta.url).resolve('socket.io'));
    const createDebug = fromSocketIo('debug') as (namespace: string) => { enabled: boolean };
    expect(createDebug('socket.io:socket').enabled).toBe(false);
  });

  it('still prints when an operator sets DEBUG (real server process)', async () => {
    const server = await startServerProcess({ DEBUG: 'engine:socket,socket.io:client' });
    try {
      const client = await connectClient(server.url);
      client.close();
      await expect.poll(() => server.output(), { timeout: 5_000 }).toMatch(/engine:socket|socket\.io:client/);
    } finally {
      await server.stop();
    }
  });
});
