import { createECDH, randomBytes, type ECDH } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import ece from 'http_ece';

/** A device's push subscription, made here: its keys are the device's, so only this service can read what is sent to it. */
export interface LocalSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** One push message as the push service took it, and decrypted with the device's private key. */
export interface ReceivedPush {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** the body as it came over the wire */
  raw: Buffer;
  /** the payload after aes128gcm decryption with the subscription's private key */
  payload: unknown;
}

export interface LocalPushService {
  /** A new device: an endpoint on this service and fresh P-256 and auth keys. */
  subscribe(name?: string): LocalSubscription;
  /** Every message received, in order. */
  readonly received: ReceivedPush[];
  /** Answers every later message to `path` with this status (404/410: the subscription is gone). */
  answerWith(path: string, status: number): void;
  close(): Promise<void>;
}

/**
 * A Web Push service on port 0 for tests (RFC 8030): takes the POST the server sends to a
 * subscription's endpoint and decrypts its aes128gcm body (RFC 8291) with the private key of
 * the subscription it made, as a browser would.
 */
export async function startLocalPushService(): Promise<LocalPushService> {
  const devices = new Map<string, { ecdh: ECDH; auth: Buffer }>();
  const statuses = new Map<string, number>();
  const received: ReceivedPush[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const raw = Buffer.concat(chunks);
      const device = devices.get(path);
      let payload: unknown = null;
      if (device && req.method === 'POST') {
        const text = ece.decrypt(raw, { version: 'aes128gcm', privateKey: device.ecdh, authSecret: device.auth }).toString('utf8');
        payload = JSON.parse(text);
      }
      received.push({ path, headers: req.headers, raw, payload });
      res.statusCode = statuses.get(path) ?? (device ? 201 : 404);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    received,
    subscribe(name = `device-${++n}`) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const path = `/push/${name}`;
      devices.set(path, { ecdh, auth });
      return { endpoint: `http://127.0.0.1:${port}${path}`, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } };
    },
    answerWith(path, status) {
      statuses.set(path, status);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
