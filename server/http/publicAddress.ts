import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import type { Request, Response } from 'express';
import type { NetworkAddress } from '../../shared/protocol/address';

type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

const ALL_ADDRESSES = new Set(['0.0.0.0', '::', '']);
const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');

/** The machine's address on its local network: the first IPv4 address that is not loopback. */
export function lanAddress(interfaces: Interfaces = networkInterfaces()): string | null {
  for (const infos of Object.values(interfaces)) {
    for (const info of infos ?? []) if (info.family === 'IPv4' && !info.internal) return info.address;
  }
  return null;
}

/**
 * The origin another device on the same network opens, for a server listening on `host`:
 * the LAN address when it listens on every address, the address itself when it is one other
 * devices can reach, none when only this computer can reach it.
 */
export function networkOrigin(host: string, port: number, interfaces?: Interfaces): string | null {
  if (isLoopback(host)) return null;
  const address = ALL_ADDRESSES.has(host) ? lanAddress(interfaces) : host;
  if (address === null) return null;
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/**
 * `GET /api/address`: where other devices reach this app, for the invite links and QR codes a
 * page shows. The port is the one the request came in on, the one this server listens on.
 */
export function addressHandler(options: { publicOrigin: string | undefined; host: string }) {
  return (req: Request, res: Response): void => {
    const answer: NetworkAddress = {
      ok: true,
      publicUrl: options.publicOrigin ?? null,
      networkUrl: options.publicOrigin ? null : networkOrigin(options.host, req.socket.localPort ?? 0),
    };
    res.setHeader('Cache-Control', 'no-store');
    res.json(answer);
  };
}
