import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { authorize, forbiddenMessages } from '../../shared/permissions';
import { clientEvents, type ClientEventName, type ParsedPayloadOf, type ResultOf } from '../../shared/protocol/clientEvents';
import { AppError, ErrorCode, errorMessages, type Ack, type ProtocolError, type ProtocolErrorDetails } from '../../shared/protocol/errors';
import { payloadRefusal } from '../../shared/protocol/refusals';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../shared/protocol/events';
import type { Logger } from '../logger';
import { consume, type Limiters } from '../security/limiters';
import { AckBatcher } from './ackBatching';

export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/**
 * What a handler of an event may answer: the table's result for it, or nothing when that
 * result is `{}` (the ack is then `{ ok: true }` alone). An event whose result has no fields
 * takes an object with none either: whatever a handler returns goes out on the wire.
 */
export type Answer<R extends object> = [keyof R] extends [never] ? Record<string, never> | void : R | ({} extends R ? void : never);

/** The handler of event `E`: its payload as the table's schema parsed it, its answer the table's result. */
export type Handler<E extends ClientEventName> = (
  socket: AppSocket,
  payload: ParsedPayloadOf<E>,
) => Promise<Answer<ResultOf<E>> | AnswerLater<ResultOf<E>>>;

/**
 * Told after an event was answered with success: the socket, the room it was in when the event
 * arrived (it may have joined or left one since), and the answer.
 */
export type AcceptedListener<E extends ClientEventName = ClientEventName> = (socket: AppSocket, roomBefore: string | null, response: AcceptedAnswer<E>) => void;

/** The success ack of event `E` (of one of them, for a union). */
export type AcceptedAnswer<E extends ClientEventName> = E extends ClientEventName ? { ok: true } & ResultOf<E> : never;

/**
 * Every client event of every connection goes through one dispatcher: a handler per event,
 * registered once per server, and one listener per socket (Socket.IO's `onAny`) that hands each
 * event to its handler. One listener shared by every socket keeps a device's cost to its
 * state: closures per socket and event would be some fifty per device, a good share of the
 * memory a room costs (heap snapshot at 500 rooms, `npm run bench`).
 */
export interface EventDispatcher {
  /**
   * Registers the handler of an event, for every socket: rate-limit, authorise by the
   * permission matrix, parse the payload with the table's schema (shared/protocol/clientEvents.ts),
   * run the handler one message at a time per socket, answer with an Ack. Handlers throw
   * AppError for refusals; anything else is logged as a bug and answered INTERNAL.
   */
  on<E extends ClientEventName>(event: E, handler: Handler<E>, options?: HandlerOptions<ParsedPayloadOf<E>>): void;
  /** Calls `listener` after each successful answer to one of `events` (its ack may still be on its way). */
  onAccepted<E extends ClientEventName>(events: readonly E[], listener: AcceptedListener<E>): void;
  /** Hands the connection's events to the registered handlers; an event nobody handles is refused. */
  attach(socket: AppSocket): void;
  /** Sends every ack still held back and holds none from now on (see AckBatcher): at shutdown. */
  closeAcks(): void;
}

export interface HandlerOptions<P> {
  /**
   * The sender said it does not wait on this message's ack: a successful answer may be held
   * back and sent with the socket's next ones (server/realtime/ackBatching.ts).
   */
  lazyAck?: (payload: P) => boolean;
}

export interface EventDispatcherOptions {
  /** how long a lazy ack may be held back, in ms; 0 sends every ack at once */
  ackWindowMs?: number;
  /**
   * The key the socket's per-address event limit counts under (server/security/addressKey.ts);
   * without it only the per-connection limit applies.
   */
  addressOf?: (socket: AppSocket) => string;
}

/**
 * A handler's answer that comes after the handler is done: the socket's next message is
 * handled at once, and the ack (or the refusal) is sent when `answer` settles. For work whose
 * visible part is done and whose answer waits on something slow, such as an edit that is
 * applied and relayed and whose ack waits for the disk.
 */
export class AnswerLater<R extends object> {
  constructor(readonly answer: Promise<Answer<R>>) {}
}

export function refusal(code: ErrorCode, message: string = errorMessages[code], details: ProtocolErrorDetails = {}): { ok: false; error: ProtocolError } {
  return { ok: false, error: { code, message, ...details } };
}

interface Registration {
  schema: z.ZodType;
  handler: (socket: AppSocket, payload: unknown) => Promise<object | void | AnswerLater<object>>;
  lazyAck: ((payload: unknown) => boolean) | undefined;
  /** listeners of `onAccepted` for this event */
  accepted: AcceptedListener[];
}

/** One message waiting in its socket's queue. */
interface Queued {
  registration: Registration;
  event: ClientEventName;
  payload: unknown;
  sendAck: (response: Ack) => void;
}

export function createEventDispatcher(log: Logger, limiters: Limiters, options: EventDispatcherOptions = {}): EventDispatcher {
  const acks = new AckBatcher(options.ackWindowMs ?? 0);
  const { addressOf } = options;
  const registrations = new Map<string, Registration>();
  // One queue per socket (Hocuspocus processes a connection's messages one at a time too):
  // a handler that awaits storage never interleaves with the next message of the same socket.
  // An array drained by one loop: every keystroke passes here, and a promise chain per message
  // would be a visible share of the server's garbage.
  const queues = new WeakMap<AppSocket, Queued[]>();
  const drain = async (socket: AppSocket, queue: Queued[]) => {
    for (let next = queue[0]; next; next = queue[0]) {
      try {
        await handle(socket, next);
      } catch {
        // handle() answers every outcome itself; should anything still escape it, the messages
        // queued behind it must go on.
      }
      queue.shift();
    }
  };

  /**
   * The one listener of every socket. Socket.IO calls `onAny` listeners with the socket as
   * `this`, so one function serves every connection; it runs as the packet is decoded, before
   * the event is emitted (which then finds no listener of its own).
   */
  function dispatch(this: AppSocket, event: unknown, ...args: unknown[]): void {
    const socket = this;
    const last = args[args.length - 1];
    const sendAck = typeof last === 'function' ? (last as (response: Ack) => void) : noAck;
    const payload = sendAck === noAck ? args[0] : args.length > 1 ? args[0] : undefined;
    const registration = typeof event === 'string' ? registrations.get(event) : undefined;
    if (!registration) {
      // Not an event of this protocol: refused, never queued, so it costs the server nothing more.
      return respond(socket, sendAck, refusal(ErrorCode.INVALID_PAYLOAD));
    }
    let queue = queues.get(socket);
    if (!queue) {
      queue = [];
      queues.set(socket, queue);
    }
    queue.push({ registration, event: event as ClientEventName, payload, sendAck });
    if (queue.length === 1) void drain(socket, queue);
  }

  async function handle(socket: AppSocket, queued: Queued): Promise<void> {
    const { registration, event, payload, sendAck } = queued;
    const started = performance.now();
    const roomBefore = socket.data.roomId;
    let allowed: boolean;
    try {
      // Per connection, then per address: eight sockets from one address share one budget, and
      // an event refused by its own connection's limit spends none of it.
      allowed =
        (await consume(limiters.socketEvents, socket.id)) &&
        (addressOf === undefined || (await consume(limiters.addressEvents, addressOf(socket))));
    } catch (err) {
      log.error({ event, socketId: socket.id, err: err instanceof Error ? err.message : 'unknown' }, 'rate limiter failed');
      return respond(socket, sendAck, refusal(ErrorCode.INTERNAL));
    }
    if (!allowed) return respond(socket, sendAck, refusal(ErrorCode.RATE_LIMITED));
    const denied = authorize(event, socket.data.role);
    if (denied) return respond(socket, sendAck, refusal(denied, (denied === ErrorCode.FORBIDDEN && forbiddenMessages[event]) || undefined));
    const parsed = registration.schema.safeParse(payload);
    if (!parsed.success) {
      log.info({ event, socketId: socket.id }, 'invalid payload refused');
      return respond(socket, sendAck, { ok: false, error: payloadRefusal(parsed.error) });
    }
    const lazy = sendAck !== noAck && registration.lazyAck !== undefined && registration.lazyAck(parsed.data);
    let result: object | AnswerLater<object> | void;
    try {
      result = await registration.handler(socket, parsed.data);
    } catch (err) {
      return refuse(socket, event, sendAck, err);
    }
    if (result instanceof AnswerLater) {
      result.answer.then(
        (later) => answer(socket, queued, lazy, later, started, roomBefore),
        (err: unknown) => refuse(socket, event, sendAck, err),
      );
    } else {
      answer(socket, queued, lazy, result, started, roomBefore);
    }
  }

  // Helpers of `handle`, not closures in it: they would be made again for every message.

  /** Whatever goes to the socket at once sends the acks held for it first, keeping their order. */
  function respond(socket: AppSocket, sendAck: (response: Ack) => void, response: Ack): void {
    acks.flush(socket);
    sendAck(response);
  }

  function answer(socket: AppSocket, queued: Queued, lazy: boolean, result: object | void, started: number, roomBefore: string | null): void {
    // The handler's answer, checked against the event's result by `on`'s type: the registry
    // only lost which event it is.
    const response = (result ? { ok: true, ...result } : OK) as AcceptedAnswer<ClientEventName>;
    if (lazy) acks.send(socket, queued.sendAck, response);
    else respond(socket, queued.sendAck, response);
    for (const listener of queued.registration.accepted) {
      try {
        listener(socket, roomBefore, response);
      } catch (err) {
        log.error({ event: queued.event, err: err instanceof Error ? err.message : 'unknown' }, 'accepted listener failed');
      }
    }
    if (log.isLevelEnabled('debug')) log.debug({ event: queued.event, roomId: socket.data.roomId, ms: Math.round(performance.now() - started) }, 'handled');
  }

  function refuse(socket: AppSocket, event: ClientEventName, sendAck: (response: Ack) => void, err: unknown): void {
    if (err instanceof AppError) {
      log.info({ event, roomId: socket.data.roomId, refusal: err.code }, 'refused');
      return respond(socket, sendAck, refusal(err.code, err.message, err.details));
    }
    log.error({ event, roomId: socket.data.roomId, err: err instanceof Error ? err.message : 'unknown' }, 'handler failed');
    respond(socket, sendAck, refusal(ErrorCode.INTERNAL));
  }

  /** Each event's accepted listeners, one array whichever of handler and listener is registered first. */
  const acceptedListeners = new Map<string, AcceptedListener[]>();
  const acceptedOf = (event: string): AcceptedListener[] => {
    let listeners = acceptedListeners.get(event);
    if (!listeners) acceptedListeners.set(event, (listeners = []));
    return listeners;
  };

  return {
    closeAcks: () => acks.close(),
    on(event, handler, options) {
      if (registrations.has(event)) throw new Error(`two handlers for ${event}`);
      registrations.set(event, {
        schema: clientEvents[event].payload,
        handler: handler as Registration['handler'],
        lazyAck: options?.lazyAck as ((payload: unknown) => boolean) | undefined,
        accepted: acceptedOf(event),
      });
    },
    onAccepted(events, listener) {
      // Kept per event, so each listener hears only answers of the events it was typed for.
      for (const event of events) acceptedOf(event).push(listener as AcceptedListener);
    },
    attach(socket) {
      socket.onAny(dispatch as (...args: unknown[]) => void);
    },
  };
}

function noAck(): void {}

/** The answer of every handler that returns nothing: one object, as Socket.IO only serialises it. */
const OK: Ack = Object.freeze({ ok: true });
