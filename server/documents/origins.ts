/**
 * Where a change to a room document or to its presence came from, as a discriminated union the
 * relays switch on (never sniffed from an untyped value). The service passes these as Yjs and
 * Awareness origins; the relays use them to skip the sender (`client`) and to keep what another
 * node sent (`remote`) from being stored or published again.
 */

/**
 * A document change. `server` is a change this node made itself (`applyServerChange`), stored
 * like a client's. What is read from the store (`storage`, on loading or catching up) reaches
 * holders through their own sync, never through the update relay.
 */
export type UpdateOrigin =
  | { readonly kind: 'client'; readonly socketId: string; readonly seat?: string }
  | { readonly kind: 'remote'; readonly node: string }
  | { readonly kind: 'storage' }
  | { readonly kind: 'server'; readonly reason: string };
export type ClientOrigin = Extract<UpdateOrigin, { kind: 'client' }>;
/** The origins of changes that are relayed to holders (store reads are not). */
export type RelayedOrigin = Exclude<UpdateOrigin, { kind: 'storage' }>;

/**
 * A presence change. `message` is the whole awareness message the change came in, once checked:
 * the relay passes those bytes on, and the states are not encoded again. `disconnect` is a socket
 * that left; `timeout` and `local` are Awareness's own (a state not renewed, the server's own
 * state, which it never sets).
 */
export type PresenceOrigin =
  | { readonly kind: 'client'; readonly socketId: string; readonly seat?: string; readonly message?: Uint8Array }
  | { readonly kind: 'remote'; readonly node: string; readonly message?: Uint8Array }
  | { readonly kind: 'disconnect' }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'local' };

export const DISCONNECT_ORIGIN: PresenceOrigin = Object.freeze({ kind: 'disconnect' });
const TIMEOUT_ORIGIN: PresenceOrigin = Object.freeze({ kind: 'timeout' });
const LOCAL_ORIGIN: PresenceOrigin = Object.freeze({ kind: 'local' });

/**
 * The typed origin of an Awareness 'update' event. This code passes only `PresenceOrigin`s;
 * Awareness itself passes the strings 'timeout' (a state that stopped being renewed) and
 * 'local' (its own state).
 */
export function presenceOriginOf(origin: PresenceOrigin | 'timeout' | 'local'): PresenceOrigin {
  if (origin === 'timeout') return TIMEOUT_ORIGIN;
  if (origin === 'local') return LOCAL_ORIGIN;
  return origin;
}
