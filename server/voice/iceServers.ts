import { createHash, createHmac } from 'node:crypto';
import type { IceServer, IceServers } from '../../shared/protocol/voice';

/**
 * The STUN and TURN servers a device's RTCPeerConnection is given. TURN credentials follow
 * coturn's REST scheme (`use-auth-secret`): username `<expiry>:<id>`, password
 * base64(HMAC-SHA1(secret, username)); coturn checks both from the shared secret and refuses
 * them after the expiry. So the client never holds a long-lived password, and the id names
 * nobody: it is a hash of the room and the seat.
 */
export interface IceConfig {
  /** STUN and TURN URLs (`stun:`, `turn:`, `turns:`), as ICE_SERVERS lists them */
  urls: string[];
  /** TURN_SECRET; without it TURN URLs are left out (coturn would refuse them) */
  turnSecret: string | undefined;
  /** how long minted credentials last, in seconds */
  ttlSeconds: number;
}

const isTurn = (url: string) => /^turns?:/i.test(url);

/** coturn's REST credential: the password for `username`, from the shared secret. */
export function turnCredential(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/** A username that names neither room nor seat: 16 hex digits of a hash of both. */
export function turnUserId(roomId: string, seat: string): string {
  return createHash('sha256').update(`${roomId}:${seat}`).digest('hex').slice(0, 16);
}

/** The servers for one seat at `nowMs`: STUN as they are, TURN with credentials minted now. */
export function iceServersFor(config: IceConfig, roomId: string, seat: string, nowMs: number): IceServers {
  const stun = config.urls.filter((url) => !isTurn(url));
  const turn = config.turnSecret === undefined ? [] : config.urls.filter(isTurn);
  const servers: IceServer[] = [];
  if (stun.length > 0) servers.push({ urls: stun });
  if (turn.length === 0 || config.turnSecret === undefined) return { iceServers: servers, expiresAt: null };
  const expiry = Math.floor(nowMs / 1000) + config.ttlSeconds;
  const username = `${expiry}:${turnUserId(roomId, seat)}`;
  servers.push({ urls: turn, username, credential: turnCredential(config.turnSecret, username) });
  return { iceServers: servers, expiresAt: expiry * 1000 };
}

/** ICE_SERVERS as written: comma-separated, spaces ignored; each must be a stun:, turn: or turns: URL. */
export function parseIceUrls(value: string): string[] {
  const urls = value
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url.length > 0);
  for (const url of urls) {
    if (!/^(stun|stuns|turn|turns):[^\s]+$/i.test(url)) throw new Error(`not a stun:, turn: or turns: URL: ${url}`);
  }
  return urls;
}
