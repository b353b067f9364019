import { io, type Socket } from 'socket.io-client';
import type { Ack } from '../../shared/protocol/errors';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol/events';
import { PROTOCOL_VERSION } from '../../shared/protocol/version';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real socket.io-client connection, websocket only, connected before it is returned. */
export async function connectClient(
  url: string,
  options: { protocolVersion?: number; headers?: Record<string, string>; auth?: Record<string, unknown> } = {},
): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 200,
    auth: { ...options.auth, protocolVersion: options.protocolVersion ?? PROTOCOL_VERSION },
    extraHeaders: options.headers,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return socket;
}

/** Emits an event and resolves with its ack (typed loosely: tests assert on the shape). */
export function request<T extends object = Record<string, unknown>>(
  socket: ClientSocket,
  event: string,
  ...args: unknown[]
): Promise<Ack<T & Record<string, unknown>>> {
  return (socket.timeout(10_000) as unknown as { emitWithAck(e: string, ...a: unknown[]): Promise<Ack<T & Record<string, unknown>>> }).emitWithAck(
    event,
    ...args,
  );
}

/** Resolves with the next payload of a server event that satisfies `match`. */
export function nextEvent<T = unknown>(socket: ClientSocket, event: string, match: (payload: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      (socket as unknown as { off(e: string, f: unknown): void }).off(event, listener);
      reject(new Error(`timed out waiting for ${event}`));
    }, 10_000);
    const listener = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      (socket as unknown as { off(e: string, f: unknown): void }).off(event, listener);
      resolve(payload);
    };
    (socket as unknown as { on(e: string, f: unknown): void }).on(event, listener);
  });
}

/** What POST /api/rooms answers: the opener's seat and device token, and the other seat's invite and code. */
export interface CreatedRoom {
  roomId: string;
  seat: string;
  deviceToken: string;
  invite: { token: string; seat: string; expiresAt: number };
  code: { code: string; seat: string; expiresAt: number };
}

export async function createRoomOverHttp(url: string, displayName = 'Sam'): Promise<CreatedRoom> {
  const res = await fetch(`${url}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName, acceptedGroundRules: true }),
  });
  if (res.status !== 201) throw new Error(`room creation failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as never;
}

/** The seat a claim takes: the room, the seat and the device token that opens it. */
export interface ClaimedSeat {
  roomId: string;
  seat: string;
  deviceToken: string;
}

/** Claims the other seat of `created` from `socket`, by its invite (the default) or its code, accepting the ground rules; throws if refused. */
export async function claimSeat(
  socket: ClientSocket,
  created: CreatedRoom,
  { by = 'invite', name = 'Alex' }: { by?: 'invite' | 'code'; name?: string } = {},
): Promise<ClaimedSeat> {
  const secret = by === 'invite' ? { invite: created.invite.token } : { code: created.code.code };
  const claimed = await request<ClaimedSeat>(socket, `${by}:claim`, { ...secret, displayName: name, acceptedGroundRules: true });
  if (!claimed.ok) throw new Error(`${by} claim refused: ${claimed.error.code}`);
  return claimed;
}
