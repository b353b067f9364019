import { startApp } from './app';
import { loadConfig } from './config';
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
console.log(`Common Ground is running at http://localhost:${new URL(app.url).port}`);
