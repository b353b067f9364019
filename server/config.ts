import { z } from 'zod';
import { parseTrustProxy, type TrustProxy } from './security/clientAddress';
import { parseIceUrls, type IceConfig } from './voice/iceServers';

const DAY = 24 * 60 * 60 * 1000;

const isHttpUrl = (value: string) => /^https?:\/\//i.test(value);
const originOf = (value: string) => new URL(value).origin;

function readIceUrls(value: string, ctx: z.RefinementCtx): string[] {
  try {
    return parseIceUrls(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `comma-separated stun:, turn: or turns: URLs (${err instanceof Error ? err.message : 'unreadable'})` });
    return z.NEVER;
  }
}

function readTrustProxy(value: string, ctx: z.RefinementCtx): TrustProxy {
  try {
    return parseTrustProxy(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `true, false, a number of hops, or addresses and CIDR ranges (${err instanceof Error ? err.message : 'unreadable'})` });
    return z.NEVER;
  }
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  REDIS_URL: z.string().url().optional(),
  /** every Redis key, stream and channel starts with this, so several deployments can share one Redis */
  REDIS_KEY_PREFIX: z.string().min(1).default('cg:'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ROOM_TTL_DAYS: z.coerce.number().positive().default(90),
  INVITE_TTL_HOURS: z.coerce.number().positive().default(72),
  PAIRING_CODE_TTL_MINUTES: z.coerce.number().positive().default(10),
  CODE_TRIES_PER_ADDRESS: z.coerce.number().int().positive().default(10),
  ROOMS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().positive().default(30),
  EVENTS_PER_SECOND: z.coerce.number().int().positive().default(40),
  /** socket events per second from one address (an IPv6 /64), all its connections together */
  EVENTS_PER_SECOND_PER_ADDRESS: z.coerce.number().int().positive().default(200),
  /** connected sockets per address (an IPv6 /64) on one node */
  SOCKETS_PER_ADDRESS: z.coerce.number().int().positive().default(50),
  /** bytes waiting to be sent to one socket before it is disconnected as too slow */
  SOCKET_UNSENT_LIMIT_BYTES: z.coerce.number().int().positive().default(1_000_000),
  /** how often the server pings each socket; with the timeout, how soon a dead link is found */
  SOCKET_PING_INTERVAL_MS: z.coerce.number().int().positive().default(4_000),
  /** how long the server waits for a ping's answer before it drops the socket */
  SOCKET_PING_TIMEOUT_MS: z.coerce.number().int().positive().default(8_000),
  /** counsellor workspaces made per address per hour */
  COUNSELLOR_REGISTRATIONS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().positive().default(10),
  /** a counsellor workspace unused for this long expires with everything in it */
  COUNSELLOR_TTL_DAYS: z.coerce.number().positive().default(30),
  /** how long the ack of an agreements edit sent with `lazyAck` may wait to go with the next ones; 0 = at once */
  DOC_ACK_WINDOW_MS: z.coerce.number().int().min(0).max(5000).default(500),
  /**
   * the address people open (`https://ground.example.org`): its origin is the one in invite links
   * and QR codes, and the only one whose pages may open a Socket.IO connection. Unset: links use
   * the machine's LAN address (server/http/publicAddress.ts), handshakes the request's own Host
   */
  PUBLIC_URL: z.string().url().refine(isHttpUrl, 'an http(s) address, such as https://ground.example.org').transform(originOf).optional(),
  /** another name for PUBLIC_URL, read the same way; when both are set they must name one origin */
  PUBLIC_ORIGIN: z.string().url().refine(isHttpUrl, 'an http(s) origin, such as https://ground.example.org').transform(originOf).optional(),
  /** which peers may say who is behind them (X-Forwarded-For): Express's trust-proxy forms (server/security/clientAddress.ts) */
  TRUST_PROXY: z.string().default('false').transform(readTrustProxy),
  /** folder of guided-session packs (*.json); the server refuses to start if one is malformed */
  PACKS_DIR: z.string().min(1).optional(),
  /** STUN and TURN servers for voice, comma-separated (`stun:turn.example.org:3478,turn:turn.example.org:3478`); none: devices reach each other directly only */
  ICE_SERVERS: z.string().default('').transform(readIceUrls),
  /** coturn's `static-auth-secret`: TURN credentials are minted from it per seat; without it TURN URLs are left out */
  TURN_SECRET: z.preprocess((value) => (value === '' ? undefined : value), z.string().min(16, 'at least 16 characters').optional()),
  /** how long minted TURN credentials last */
  TURN_CREDENTIAL_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3_600),
  /** how often the reminder scheduler looks for reminders due; 0: never by itself (tests tick it) */
  REMINDER_TICK_SECONDS: z.coerce.number().int().min(0).max(3_600).default(60),
  /** who runs this server, for push services (VAPID `sub`): a mailto: or https: address; unset: PUBLIC_URL when https */
  VAPID_SUBJECT: z.string().regex(/^(mailto:|https:\/\/)/, 'a mailto: or https: address').optional(),
  /** tests only: take http://127.0.0.1 and http://localhost push endpoints (a local push service) */
  PUSH_ALLOW_LOOPBACK_ENDPOINTS: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  roomTtlMs: number;
  inviteTtlMs: number;
  pairingCodeTtlMs: number;
  codeTriesPerAddress: number;
  roomsPerAddressPerHour: number;
  eventsPerSecond: number;
  eventsPerSecondPerAddress: number;
  socketsPerAddress: number;
  socketUnsentLimitBytes: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  counsellorRegistrationsPerAddressPerHour: number;
  counsellorTtlMs: number;
  docAckWindowMs: number;
  /** PUBLIC_URL (or PUBLIC_ORIGIN) as an origin */
  publicOrigin: string | undefined;
  trustProxy: TrustProxy;
  /** undefined: the packs in content/packs */
  packsDir: string | undefined;
  /** ICE_SERVERS, TURN_SECRET and TURN_CREDENTIAL_TTL_SECONDS (server/voice/iceServers.ts) */
  ice: IceConfig;
  /** REMINDER_TICK_SECONDS, VAPID_SUBJECT, PUSH_ALLOW_LOOPBACK_ENDPOINTS (server/reminders/) */
  reminders: { tickMs: number; vapidSubject: string; allowLoopbackEndpoints: boolean };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  if (e.PUBLIC_URL !== undefined && e.PUBLIC_ORIGIN !== undefined && e.PUBLIC_URL !== e.PUBLIC_ORIGIN) {
    throw new Error(`Invalid configuration: PUBLIC_URL and PUBLIC_ORIGIN name one setting and differ (${e.PUBLIC_URL}, ${e.PUBLIC_ORIGIN}); keep PUBLIC_URL`);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    logLevel: e.LOG_LEVEL,
    roomTtlMs: e.ROOM_TTL_DAYS * DAY,
    inviteTtlMs: e.INVITE_TTL_HOURS * 60 * 60 * 1000,
    pairingCodeTtlMs: e.PAIRING_CODE_TTL_MINUTES * 60 * 1000,
    codeTriesPerAddress: e.CODE_TRIES_PER_ADDRESS,
    roomsPerAddressPerHour: e.ROOMS_PER_ADDRESS_PER_HOUR,
    eventsPerSecond: e.EVENTS_PER_SECOND,
    eventsPerSecondPerAddress: e.EVENTS_PER_SECOND_PER_ADDRESS,
    socketsPerAddress: e.SOCKETS_PER_ADDRESS,
    socketUnsentLimitBytes: e.SOCKET_UNSENT_LIMIT_BYTES,
    pingIntervalMs: e.SOCKET_PING_INTERVAL_MS,
    pingTimeoutMs: e.SOCKET_PING_TIMEOUT_MS,
    counsellorRegistrationsPerAddressPerHour: e.COUNSELLOR_REGISTRATIONS_PER_ADDRESS_PER_HOUR,
    counsellorTtlMs: e.COUNSELLOR_TTL_DAYS * DAY,
    docAckWindowMs: e.DOC_ACK_WINDOW_MS,
    publicOrigin: e.PUBLIC_URL ?? e.PUBLIC_ORIGIN,
    trustProxy: e.TRUST_PROXY,
    packsDir: e.PACKS_DIR,
    ice: { urls: e.ICE_SERVERS, turnSecret: e.TURN_SECRET, ttlSeconds: e.TURN_CREDENTIAL_TTL_SECONDS },
    reminders: {
      tickMs: e.REMINDER_TICK_SECONDS * 1000,
      vapidSubject: e.VAPID_SUBJECT ?? vapidSubjectFrom(e.PUBLIC_URL ?? e.PUBLIC_ORIGIN),
      allowLoopbackEndpoints: e.PUSH_ALLOW_LOOPBACK_ENDPOINTS,
    },
  };
}

/** Push services want a way to reach whoever sends: the public address when it is https, else a mailbox that names no one. */
function vapidSubjectFrom(publicOrigin: string | undefined): string {
  return publicOrigin?.startsWith('https://') ? publicOrigin : 'mailto:reminders@common-ground.invalid';
}
