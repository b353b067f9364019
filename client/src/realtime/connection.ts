import { io, type Socket } from 'socket.io-client';
import type { ClientEventName, PayloadOf, ResultOf } from '../../../shared/protocol/clientEvents';
import { errorMessages, type Ack, type ProtocolError } from '../../../shared/protocol/errors';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/protocol/events';
import { PROTOCOL_VERSION } from '../../../shared/protocol/version';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: AppSocket | null = null;

/** One connection per tab, opened on first use; Socket.IO reconnects it by itself. */
export function getSocket(): AppSocket {
  if (!socket) {
    socket = io({
      auth: { protocolVersion: PROTOCOL_VERSION },
      // websocket first: one long-lived connection, which multi-node setups prefer too
      transports: ['websocket', 'polling'],
      reconnectionDelayMax: 5000,
      // A handshake that has not finished in 10 s counts as failed (Socket.IO waits 20 s): on a
      // network that swallows packets the room then opens as last seen, saying it is not
      // connected, soon; the next attempt follows by itself. A slow mobile link, a few round
      // trips of a second or so, still connects well within it.
      timeout: 10_000,
    });
  }
  // After the server closed the connection on purpose (the room was deleted, the seat moved),
  // Socket.IO does not reconnect by itself; the next screen that needs it does.
  if (!socket.active) socket.connect();
  return socket;
}

export function isConnected(): boolean {
  return getSocket().connected;
}

export type { ClientEventName, PayloadOf, ResultOf } from '../../../shared/protocol/clientEvents';

/** What the socket sends the client: the protocol's events and Socket.IO's own. */
export interface ListenEvents extends ServerToClientEvents {
  connect(): void;
  disconnect(reason: string): void;
  connect_error(err: Error & { data?: { code?: string } }): void;
}
export type ListenEvent = keyof ListenEvents;
export type Listeners = { [E in ListenEvent]?: ListenEvents[E] };

/**
 * The socket seen without its generics. Socket.IO's typed `on`, `off` and `emitWithAck` cannot
 * take an event name that is itself a type parameter (their argument lists are conditional
 * types the compiler does not resolve for an open `E`), so `request` and `listen` meet the
 * library here, once; their own signatures carry the protocol's types to every caller.
 */
interface UntypedSocket {
  on(event: string, listener: (...args: never[]) => void): void;
  off(event: string, listener: (...args: never[]) => void): void;
  timeout(ms: number): { emitWithAck<R>(event: string, payload: unknown): Promise<R> };
}
function untyped(s: AppSocket): UntypedSocket {
  return s as unknown as UntypedSocket;
}

export class RequestError extends Error {
  constructor(readonly error: ProtocolError) {
    super(error.message);
  }
}

/** The server was not reached, so nothing was refused: no code, only words for the reader. */
export class UnreachableError extends Error {}
const UNREACHABLE = 'We could not reach the server. Check your connection and try again.';
const OFFLINE = 'This device is offline. Once it has a network again, try again.';

/**
 * Resolves once the socket is connected. While it is not, the next failed attempt (the server
 * refusing or not there, which Socket.IO tells as connect_error) or a device without a network
 * ends the wait at once, so a person pressing "Join" on a dead link reads why within moments
 * rather than after the ack's timeout; and nothing is left queued to go out later unasked.
 */
function whenConnected(s: AppSocket, waitMs: number): Promise<void> {
  if (s.connected) return Promise.resolve();
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return Promise.reject(new UnreachableError(OFFLINE));
  return new Promise((resolve, reject) => {
    const finish = (error: string | null) => {
      clearTimeout(timer);
      s.off('connect', onConnect);
      s.off('connect_error', onError);
      if (error) reject(new UnreachableError(error));
      else resolve();
    };
    const onConnect = () => finish(null);
    const onError = () => finish(UNREACHABLE);
    const timer = setTimeout(() => finish(UNREACHABLE), waitMs);
    s.on('connect', onConnect);
    s.on('connect_error', onError);
  });
}

/** Sends an event and waits for its ack; a refusal becomes a RequestError with its named code. */
export async function request<E extends ClientEventName>(event: E, payload: PayloadOf<E>): Promise<ResultOf<E>> {
  const s = getSocket();
  await whenConnected(s, 8_000);
  let response: Ack<ResultOf<E>>;
  try {
    // the server answers every event with an Ack of the event's result (shared/protocol)
    response = await untyped(s).timeout(15_000).emitWithAck<Ack<ResultOf<E>>>(event, payload);
  } catch {
    throw new UnreachableError(UNREACHABLE);
  }
  if (!response.ok) throw new RequestError(readable(response.error));
  return response;
}

/**
 * A payload refusal carries the schema's details (a path, "Unrecognized key"): those are for
 * developers, so they go to the console and people read the code's plain sentence.
 */
function readable(error: ProtocolError): ProtocolError {
  if (error.code !== 'INVALID_PAYLOAD' || error.message === errorMessages.INVALID_PAYLOAD) return error;
  console.warn(`Refused as INVALID_PAYLOAD: ${error.message}`);
  return { ...error, message: errorMessages.INVALID_PAYLOAD };
}

/** Listens to the socket's events until the returned function is called. */
export function listen(listeners: Listeners): () => void {
  const s = untyped(getSocket());
  const entries = Object.entries(listeners).filter((entry): entry is [string, (...args: never[]) => void] => entry[1] !== undefined);
  for (const [event, listener] of entries) s.on(event, listener);
  return () => {
    for (const [event, listener] of entries) s.off(event, listener);
  };
}

export function messageOf(err: unknown): string {
  if (err instanceof RequestError) return err.error.message;
  if (err instanceof UnreachableError) return err.message;
  return errorMessages.INTERNAL;
}

export function codeOf(err: unknown): string | null {
  return err instanceof RequestError ? err.error.code : null;
}
