import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/**
 * TRUST_PROXY in the forms Express takes for its `trust proxy` setting: `true` (every hop),
 * `false` or `0` (none), a number of hops, or a list of addresses, CIDR ranges and the names
 * `loopback`, `linklocal` and `uniquelocal`.
 */
export type TrustProxy = boolean | number | string[];

/** Whether the hop `hop` steps from this server, at `address`, is a proxy we trust to say who is behind it. */
export type TrustFunction = (address: string, hop: number) => boolean;

/** Reads the setting; a list is checked here, so a typo stops the start-up instead of trusting nothing (or anyone). */
export function parseTrustProxy(value: string): TrustProxy {
  const text = value.trim();
  if (text === '' || text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  const list = text.split(',').map((part) => part.trim()).filter(Boolean);
  // Throws with the offending entry named ("invalid IP address: …").
  proxyaddr.compile(list);
  return list;
}

/** The same rule Express builds from the same setting, so HTTP and Socket.IO agree on every address. */
export function compileTrust(setting: TrustProxy): TrustFunction {
  if (setting === true) return () => true;
  if (setting === false) return proxyaddr.compile([]);
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyaddr.compile(setting);
}

/**
 * The address a Socket.IO connection counts under: the peer's own address, unless the peer is
 * a trusted proxy, in which case X-Forwarded-For is read from the right, hop by hop, for as
 * long as each hop is trusted; the first untrusted one is the client (proxy-addr, as Express's
 * `req.ip`). Read from the handshake, which keeps the peer's address for the whole connection
 * (a long-polling request's own socket may be gone by the time a handler asks).
 */
export function socketAddress(socket: { handshake: { address: string; headers: IncomingHttpHeaders } }, trust: TrustFunction): string {
  const request = { headers: socket.handshake.headers, socket: { remoteAddress: socket.handshake.address } };
  return proxyaddr(request as unknown as IncomingMessage, trust);
}
