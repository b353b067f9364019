import webpush from 'web-push';
import type { KeyValueStore } from '../storage/types';

export interface VapidKeys {
  /** base64url, uncompressed P-256 point: the applicationServerKey devices subscribe with */
  publicKey: string;
  privateKey: string;
}

const KEY = 'push:vapid';

/**
 * The server's VAPID key pair, made once and kept in the store, so every node signs with the
 * same key and a subscription made through one node is sent to by any. Nodes starting together
 * each make a pair, and the first stored wins (putIfAbsent): all then read that one.
 */
export async function loadVapidKeys(records: KeyValueStore): Promise<VapidKeys> {
  const stored = await records.get<VapidKeys>(KEY);
  if (stored) return stored;
  const made = webpush.generateVAPIDKeys();
  await records.putIfAbsent<VapidKeys>(KEY, { publicKey: made.publicKey, privateKey: made.privateKey });
  const winner = await records.get<VapidKeys>(KEY);
  if (!winner) throw new Error('VAPID keys were not stored');
  return winner;
}
