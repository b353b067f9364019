import { startApp } from './app';
import { loadConfig } from './config';
import { networkOrigin } from './http/publicAddress';
import { createLogger } from './logger';
import { createStorage } from './storage/createStorage';

const config = loadConfig();
const log = createLogger(config.logLevel);
const storage = await createStorage(config);
const app = await startApp({ config, storage, log });

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
console.log(startupLines(config, new URL(app.url).port).join('\n'));

/** Where to open the app: on this computer, and from a phone on the same network. */
function startupLines(settings: typeof config, port: string): string[] {
  if (settings.publicOrigin) return [`Common Ground is running at ${settings.publicOrigin} (PUBLIC_URL), listening on port ${port}`];
  const onPhone = networkOrigin(settings.host, Number(port));
  return [
    `Common Ground is running at http://localhost:${port}`,
    `  On this computer: http://localhost:${port} · On a phone on the same network: ${
      onPhone ?? `none known (${settings.host.startsWith('127.') || settings.host === 'localhost' ? `HOST=${settings.host} is this computer only` : 'this computer has no network address'}; see PUBLIC_URL in the README)`
    }`,
  ];
}
