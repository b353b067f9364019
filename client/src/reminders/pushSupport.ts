/**
 * What this browser can do for reminders, and the browser's side of subscribing: the service
 * worker's PushManager with the server's VAPID key. The server keeps the subscription per room,
 * seat and device (docs/protocol.md, Reminders).
 */

export type PushSupport =
  | { kind: 'ready' }
  /** an iPhone or iPad in Safari, not opened from the Home Screen: push comes only to the installed app (iOS 16.4+) */
  | { kind: 'installFirst' }
  | { kind: 'unsupported' };

function isIos(): boolean {
  const ua = navigator.userAgent;
  // iPadOS Safari says it is a Mac; its touch points tell it apart
  return /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1);
}

function isStandalone(): boolean {
  const nav = navigator as Navigator & { standalone?: boolean };
  return nav.standalone === true || window.matchMedia('(display-mode: standalone)').matches;
}

export function pushSupport(): PushSupport {
  if (isIos() && !isStandalone()) return { kind: 'installFirst' };
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return { kind: 'unsupported' };
  return { kind: 'ready' };
}

/** The browser's answer so far: 'default' until asked. */
export function notificationPermission(): NotificationPermission {
  return 'Notification' in window ? Notification.permission : 'denied';
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const raw = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function sameKey(a: ArrayBuffer | null, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.byteLength) return false;
  const view = new Uint8Array(a);
  return view.every((byte, i) => byte === b[i]);
}

export class PushSetupError extends Error {}

/** The service worker, once it is running; it may still be installing on a first visit. */
async function registration(): Promise<ServiceWorkerRegistration> {
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new PushSetupError('This device is still getting the app ready. Try again in a moment.')), 10_000),
  );
  return Promise.race([navigator.serviceWorker.ready, timeout]);
}

/**
 * Asks the browser for permission (call only from a tap), then subscribes with the server's key,
 * reusing this browser's subscription when it was made with the same key.
 */
export async function browserSubscription(publicKey: string): Promise<{ endpoint: string; keys: { p256dh: string; auth: string } }> {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') {
    throw new PushSetupError('Notifications are not allowed for Common Ground on this device, so reminders stay off. You can allow them in the browser’s settings for this site.');
  }
  const reg = await registration();
  const key = keyBytes(publicKey);
  let sub = await reg.pushManager.getSubscription();
  if (sub && !sameKey(sub.options.applicationServerKey, key)) {
    await sub.unsubscribe();
    sub = null;
  }
  sub ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  const json = sub.toJSON();
  if (!json.endpoint || !json.keys?.p256dh || !json.keys.auth) throw new PushSetupError('This browser did not give a push address, so reminders stay off.');
  return { endpoint: json.endpoint, keys: { p256dh: json.keys.p256dh, auth: json.keys.auth } };
}
