import { createHmac, randomBytes } from 'node:crypto';
import type { IceServer, IceServers } from '../../shared/protocol/voice';

/**
 * The STUN and TURN servers a device's RTCPeerConnection is given. TURN credentials follow
 * coturn's REST scheme (`use-auth-secret`): username `<expiry>:<id>`, password
 * base64(HMAC-SHA1(secret, username)); coturn checks both from the shared secret and refuses
 * them after the expiry. So the client never holds a long-lived password, and the id names
 * nobody: it is random for each credential, so coturn's allocations cannot be tied to a room or
 * seat, nor two credentials of one seat to each other.
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

/** A username id that names neither room nor seat: 16 random hex digits, new for each credential. */
export function turnUserId(): string {
  return randomBytes(8).toString('hex');
}

/** The servers at `nowMs`: STUN as they are, TURN with a credential for `userId` minted now. */
export function iceServersFor(config: IceConfig, userId: string, nowMs: number): IceServers {
  const stun = config.urls.filter((url) => !isTurn(url));
  const turn = config.turnSecret === undefined ? [] : config.urls.filter(isTurn);
  const servers: IceServer[] = [];
  if (stun.length > 0) servers.push({ urls: stun });
  if (turn.length === 0 || config.turnSecret === undefined) return { iceServers: servers, expiresAt: null };
  const expiry = Math.floor(nowMs / 1000) + config.ttlSeconds;
  const username = `${expiry}:${userId}`;
  servers.push({ urls: turn, username, credential: turnCredential(config.turnSecret, username) });
  return { iceServers: servers, expiresAt: expiry * 1000 };
}

/** A credential is handed out again until it is this close to its expiry. */
export const REUSE_UNTIL_MS_BEFORE_EXPIRY = 60_000;
/** How many (room, seat) credentials one node remembers; far more seats than one node holds in calls. */
export const CREDENTIALS_KEPT = 10_000;

/**
 * One node's credentials per (room, seat): the same one is handed out again until it is within a
 * minute of its expiry, so asking over and over (a script) mints no new TURN users. Kept in memory
 * only, at most `maxEntries` of them: past that, the expired go first, then the oldest.
 */
export class IceServerMint {
  private readonly minted = new Map<string, IceServers>();

  constructor(
    private readonly config: IceConfig,
    private readonly maxEntries = CREDENTIALS_KEPT,
  ) {}

  for(roomId: string, seat: string, nowMs: number): IceServers {
    const key = `${roomId}\u0000${seat}`;
    const kept = this.minted.get(key);
    if (kept?.expiresAt != null && kept.expiresAt - REUSE_UNTIL_MS_BEFORE_EXPIRY > nowMs) return kept;
    const servers = iceServersFor(this.config, turnUserId(), nowMs);
    if (servers.expiresAt === null) return servers;
    this.minted.delete(key);
    if (this.minted.size >= this.maxEntries) this.makeRoom(nowMs);
    this.minted.set(key, servers);
    return servers;
  }

  /** How many credentials are kept (for tests). */
  get size(): number {
    return this.minted.size;
  }

  private makeRoom(nowMs: number): void {
    for (const [key, servers] of this.minted) {
      if ((servers.expiresAt ?? 0) <= nowMs) this.minted.delete(key);
    }
    // Map order is insertion order: the first is the oldest.
    while (this.minted.size >= this.maxEntries) this.minted.delete(this.minted.keys().next().value!);
  }
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
