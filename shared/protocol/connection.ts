import type { ErrorCode } from './errors';

/**
 * What the server says about the connection itself, whatever the socket's seat. A socket the
 * server closes for falling behind hears why first (it reads it once it catches up), then its
 * transport closes, so the client reconnects by itself as after any network loss.
 */
export interface ConnectionServerEvents {
  'connection:closing': (payload: { code: typeof ErrorCode.SLOW_CONNECTION; message: string }) => void;
}
