import { afterEach, beforeEach } from 'vitest';
import type { ClientSocket } from './socketClient';
import { standIn } from './standIn';
import { startTestServer, type TestServer, type TestServerOptions } from './testServer';

export interface ServerPerTest {
  /** Stands for the server the running test started last (the one before it, unless it started one). */
  readonly server: TestServer;
  /** Sockets the test opens; disconnected after it. */
  readonly sockets: ClientSocket[];
  /** Yjs document clients the test opens; closed after it, first. */
  readonly clients: Array<{ close(): void }>;
  /** Starts a server for this test (another configuration, or a restart on the same folder); destroyed after it. */
  start(options?: TestServerOptions): Promise<TestServer>;
}

/**
 * A real server for every test of the file, and all the test opened closed after it, then the
 * servers destroyed. `startBeforeEach: false` leaves starting to the tests (`start`), for files
 * whose tests each want their own configuration.
 */
export function serverPerTest(options: TestServerOptions & { startBeforeEach?: boolean } = {}): ServerPerTest {
  const { startBeforeEach = true, ...serverOptions } = options;
  const sockets: ClientSocket[] = [];
  const clients: Array<{ close(): void }> = [];
  const started: TestServer[] = [];
  let last: TestServer | undefined;

  async function start(options: TestServerOptions = {}): Promise<TestServer> {
    const server = await startTestServer(options);
    started.push(server);
    last = server;
    return server;
  }

  if (startBeforeEach) {
    beforeEach(async () => {
      await start(serverOptions);
    });
  }
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    for (const socket of sockets.splice(0)) socket.disconnect();
    last = undefined;
    // The newest first: a restart shares its folder with the server it replaced.
    for (const server of started.splice(0).reverse()) await server.destroy();
  });

  return { server: standIn('the test server', () => last), sockets, clients, start };
}
