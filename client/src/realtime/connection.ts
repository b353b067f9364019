import { io, type Socket } from 'socket.io-client';
import { errorMessages, type Ack, type AckCallback, type ProtocolError } from '../../../shared/protocol/errors';
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
    });
  }
  // After the server closed the connection on purpose (the room was deleted, the seat moved),
  // Socket.IO does not reconnect by itself; the next screen that needs it does.
  if (!socket.active) socket.connect();
  return socket;
}

export class RequestError extends Error {
  constructor(readonly error: ProtocolError) {
    super(error.message);
  }
}

/** Sends an event and waits for its ack; a refusal becomes a RequestError with its named code. */
export async function request<T extends object>(event: keyof ClientToServerEvents, payload: unknown): Promise<T> {
  const s = getSocket();
  let response: Ack<T>;
  try {
    response = (await (s.timeout(15_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<T>> }).emitWithAck(
      event,
      payload,
    )) as Ack<T>;
  } catch {
    throw new RequestError({ code: 'INTERNAL', message: 'We could not reach the server. Check your connection and try again.' });
  }
  if (!response.ok) throw new RequestError(response.error);
  return response;
}

export type ClientEvent = keyof ClientToServerEvents;
/** The payload an event takes, read from the protocol's event map. */
export type PayloadOf<E extends ClientEvent> = Parameters<ClientToServerEvents[E]>[0];
/** What an event's ack carries when it succeeds, read from the protocol's event map. */
export type ResultOf<E extends ClientEvent> =
  NonNullable<Parameters<ClientToServerEvents[E]>[1]> extends AckCallback<infer T> ? T : never;

/** `request` typed end to end by the protocol: no call site names a result type by hand. */
export function send<E extends ClientEvent>(event: E, payload: PayloadOf<E>): Promise<ResultOf<E>> {
  return request<ResultOf<E>>(event, payload);
}

export function messageOf(err: unknown): string {
  if (err instanceof RequestError) return err.error.message;
  return errorMessages.INTERNAL;
}

export function codeOf(err: unknown): string | null {
  return err instanceof RequestError ? err.error.code : null;
}
