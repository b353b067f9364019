import { createHash, randomBytes, randomInt } from 'node:crypto';

/** 128 random bits: unguessable, short enough for a link. */
export const newRoomId = (): string => randomBytes(16).toString('base64url');
export const newInviteToken = (): string => randomBytes(16).toString('base64url');
/** 256 random bits; only its hash is stored. */
export const newDeviceToken = (): string => randomBytes(32).toString('base64url');
export const newPairingCode = (): string => randomInt(0, 1_000_000).toString().padStart(6, '0');

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
