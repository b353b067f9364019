import webpush from 'web-push';
import type { ReminderPushPayload } from '../../shared/protocol/reminders';
import type { VapidKeys } from './vapidKeys';

export interface PushTarget {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** sent: the push service took it; gone: the subscription expired (404/410) and is to be deleted; failed: try no more this time */
export type PushOutcome = 'sent' | 'gone' | 'failed';

export type SendPush = (target: PushTarget, payload: ReminderPushPayload) => Promise<PushOutcome>;

/** How long a push service keeps a reminder for a device that is off, in seconds. */
const TTL_SECONDS = 24 * 60 * 60;
const TIMEOUT_MS = 10_000;

/**
 * Sends one Web Push message: web-push signs it with the VAPID keys and encrypts the payload for
 * the device (aes128gcm, RFC 8291), and fetch delivers it (no redirects followed, a time limit),
 * which also reaches the plain-http local push service the tests run.
 */
export function webPushSender(vapid: VapidKeys, subject: string): SendPush {
  return async (target, payload) => {
    const request = webpush.generateRequestDetails({ endpoint: target.endpoint, keys: target.keys }, JSON.stringify(payload), {
      vapidDetails: { subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
      TTL: TTL_SECONDS,
      contentEncoding: 'aes128gcm',
      urgency: 'normal',
    });
    let status: number;
    try {
      const response = await fetch(request.endpoint, {
        method: request.method,
        headers: request.headers as Record<string, string>,
        body: new Uint8Array(request.body as Buffer),
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      status = response.status;
      await response.body?.cancel();
    } catch {
      return 'failed';
    }
    if (status === 404 || status === 410) return 'gone';
    return status >= 200 && status < 300 ? 'sent' : 'failed';
  };
}
