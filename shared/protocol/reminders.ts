import { z } from 'zod';

/**
 * Reminders between sessions by Web Push, one subscription per device (per seat's device
 * token): the device subscribes with its browser's PushSubscription, chooses what it is
 * reminded of and whether the notification says more than "A reminder". The server sends each
 * reminder at most once per device and due time (server/reminders/).
 */

/** What a device can be reminded of. A broken streak is never one of them. */
export const REMINDER_KINDS = ['checkIns', 'reviews', 'weeklyCheckIn'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** neutral: "Common Ground" / "A reminder", so a lock screen shows nothing private; details: opt-in, names what is due */
export const REMINDER_SHOW = ['neutral', 'details'] as const;
export type ReminderShow = (typeof REMINDER_SHOW)[number];

/** The words of every neutral notification, and the title of every notification. */
export const NEUTRAL_REMINDER = { title: 'Common Ground', body: 'A reminder' } as const;

/** The longest push endpoint taken, in characters. */
export const PUSH_ENDPOINT_MAX = 1_024;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** An http:// endpoint on this machine: taken only where the server allows it (tests), refused with PUSH_ENDPOINT_NOT_ALLOWED elsewhere. */
export function isLoopbackHttpEndpoint(endpoint: string): boolean {
  const url = new URL(endpoint);
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

function isPushUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

const base64url = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'Not base64url.');

export const pushSubscribeSchema = z.strictObject({
  /** PushSubscription.endpoint: an https URL of the browser's push service */
  endpoint: z.string().max(PUSH_ENDPOINT_MAX).refine(isPushUrl, 'Not an https push endpoint.'),
  keys: z.strictObject({
    /** the device's P-256 public key, uncompressed point (65 bytes), base64url */
    p256dh: base64url(86, 90),
    /** the 16-byte auth secret, base64url */
    auth: base64url(22, 26),
  }),
  show: z.enum(REMINDER_SHOW),
  /** what this device is reminded of: at least one kind, each once */
  kinds: z
    .array(z.enum(REMINDER_KINDS))
    .min(1)
    .max(REMINDER_KINDS.length)
    .refine((kinds) => new Set(kinds).size === kinds.length, 'A kind is named twice.'),
});
export type PushSubscribePayload = z.infer<typeof pushSubscribeSchema>;

export const pushUnsubscribeSchema = z.strictObject({}).optional();
export const pushMineSchema = z.strictObject({}).optional();
export const pushPublicKeySchema = z.strictObject({}).optional();

/** What the server keeps of a device's choice, as that device reads it back (never the endpoint or keys). */
export interface PushSettingsView {
  show: ReminderShow;
  kinds: ReminderKind[];
  /** when this device subscribed, ms */
  since: number;
}

/**
 * The JSON a push message carries, encrypted for the device (aes128gcm). `title` and `body` are
 * NEUTRAL_REMINDER unless the device chose details; `url` is the room's path the notification
 * opens, never shown.
 */
export interface ReminderPushPayload {
  title: string;
  body: string;
  url: string;
  /** one notification per reminder: a later one with the same tag replaces it */
  tag: string;
}
