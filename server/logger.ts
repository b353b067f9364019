import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Logs carry ids, event names, sizes and timings, never what people wrote or their names.
 * The redaction list is a second line of defence for fields that must never be logged even
 * if someone passes a whole payload by mistake.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'common-ground' },
    redact: {
      paths: [
        'displayName', '*.displayName', 'text', '*.text', 'payload', '*.payload', 'deviceToken', '*.deviceToken',
        'invite', '*.invite', 'code', '*.code', 'update', '*.update', 'note', '*.note', 'req.headers.cookie',
      ],
      censor: '[private]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
