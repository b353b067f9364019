import type { AppSocket } from './eventDispatcher';

/**
 * When each connection last sent anything (a message or the answer to a ping), kept on the
 * Engine.IO connection itself through a WeakMap, so a closed connection takes its entry with
 * it. A dead link is only found once a ping goes unanswered (up to the ping interval and
 * timeout together); how long it had been silent by then tells the partner's device how long
 * ago the person really went, so its calm grace (client/src/room/presenceWatch.ts) counts
 * from then and not from when the server noticed.
 */
const lastHeard = new WeakMap<object, number>();

// Engine.IO calls a listener with its connection as `this`: one function serves every socket.
function heard(this: object): void {
  lastHeard.set(this, Date.now());
}

/** Starts keeping the time of the socket's last packet (Engine.IO's documented `packet` event). */
export function watchLink(socket: AppSocket): void {
  lastHeard.set(socket.conn, Date.now());
  socket.conn.on('packet', heard);
}

/** How long the socket's connection had sent nothing, at `now`; 0 for one never watched. */
export function silentForMs(socket: AppSocket, now = Date.now()): number {
  const at = lastHeard.get(socket.conn);
  return at === undefined ? 0 : Math.max(0, now - at);
}
