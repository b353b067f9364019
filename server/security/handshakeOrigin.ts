import type { IncomingMessage } from 'node:http';
import { ErrorCode } from '../../shared/protocol/errors';

/**
 * Which pages may open a Socket.IO connection: only the app's own. A browser always sends
 * `Origin` on a WebSocket handshake and on a cross-site request, so a page elsewhere cannot
 * connect through a visitor's browser (and spend that visitor's per-address limits, or speak
 * for them from their address).
 *
 * - No `Origin` header: allowed. Browsers leave it out only on same-origin GET requests (a
 *   long-polling handshake from our own page); programs speaking the protocol never need it.
 * - `PUBLIC_URL` (or its other name `PUBLIC_ORIGIN`) set: the Origin must be that origin exactly
 *   (scheme, host and port).
 * - Not set: the Origin must be http(s) with the host and port of the request's own `Host`
 *   header, the origin the app was served from: a phone that opened the machine's LAN address
 *   sends that address as both. Behind a proxy that rewrites Host, set PUBLIC_URL (README,
 *   "Behind a reverse proxy").
 * - Anything else (another site, `null`, a value that is not a URL): refused.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, publicOrigin: string | undefined): boolean {
  if (origin === undefined) return true;
  const parsed = parseOrigin(origin);
  if (!parsed) return false;
  if (publicOrigin !== undefined) return parsed.origin === new URL(publicOrigin).origin;
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (!host) return false;
  // The Host header read with the Origin's scheme, so a default port written out still matches.
  const served = parseOrigin(`${parsed.protocol}//${host}`);
  return served !== null && served.host === parsed.host;
}

/** Engine.IO's `allowRequest`: called once per handshake (polling or WebSocket), before any packet. */
export function allowHandshakeFrom(publicOrigin: string | undefined) {
  return (request: IncomingMessage, callback: (message: string | null | undefined, success: boolean) => void): void => {
    const origin = request.headers.origin;
    if (originAllowed(origin, request.headers.host, publicOrigin)) callback(null, true);
    // The engine answers 403 with `{ "code": 4, "message": "ORIGIN_NOT_ALLOWED" }`.
    else callback(ErrorCode.ORIGIN_NOT_ALLOWED, false);
  };
}

function parseOrigin(value: string): URL | null {
  try {
    const url = new URL(value);
    return url.host === '' ? null : url;
  } catch {
    return null;
  }
}
