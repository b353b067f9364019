import { z } from 'zod';

const httpOrigin = z.string().regex(/^https?:\/\/[^/]+$/);

/**
 * `GET /api/address`: where other devices reach the app. `publicUrl` is `PUBLIC_URL` when it is
 * set (then `networkUrl` is null); otherwise `networkUrl` is this machine's address on its local
 * network with the server's port, or null when the server has none (or listens on loopback only).
 */
export const networkAddressSchema = z.object({
  ok: z.literal(true),
  publicUrl: httpOrigin.nullable(),
  networkUrl: httpOrigin.nullable(),
});
export type NetworkAddress = z.infer<typeof networkAddressSchema>;
