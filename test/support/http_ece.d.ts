/** The few calls of http_ece (no published types) the local push service uses. */
declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';
  export interface DecryptParams {
    version: 'aes128gcm';
    privateKey: ECDH;
    authSecret: Buffer | string;
  }
  export function decrypt(buffer: Buffer, params: DecryptParams): Buffer;
  const ece: { decrypt: typeof decrypt };
  export default ece;
}
