import { randomBytes, randomInt } from 'node:crypto';
import {
  RECOVERY_ALPHABET,
  RECOVERY_GROUP_LENGTH,
  RECOVERY_GROUPS,
  formatRecoveryCode,
  normaliseRecoveryCode,
} from '../../shared/protocol/counsellors';
import { hashSecret } from '../rooms/secrets';

/** 256 random bits, base64url: the counsellor's key, kept on their device. */
export const newCounsellorKey = (): string => randomBytes(32).toString('base64url');

export const newCounsellorId = (): string => randomBytes(16).toString('base64url');

/** 20 base32 characters (100 random bits), shown once as "ABCDE-FGHIJ-KLMNO-PQRST". */
export function newRecoveryCode(): string {
  let code = '';
  for (let i = 0; i < RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH; i++) code += RECOVERY_ALPHABET[randomInt(0, RECOVERY_ALPHABET.length)];
  return formatRecoveryCode(code);
}

/** Hashed as typed-then-normalised, so spacing and case never matter. */
export const hashRecoveryCode = (code: string): string => hashSecret(`recovery:${normaliseRecoveryCode(code)}`);
export const hashCounsellorKey = (key: string): string => hashSecret(key);
