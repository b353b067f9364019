import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { authorize } from '../../shared/permissions';
import { AppError, ErrorCode, errorMessages, type Ack, type ProtocolError } from '../../shared/protocol/errors';
import type {
  ClientEventName,
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from '../../shared/protocol/events';
import type { Logger } from '../logger';
import { consume, type Limiters } from '../security/limiters';
import { AckBatcher } from './ackBatching';

export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface HandlerKit {
  /**
   * Registers a handler: rate-limit, authorise by the permission matrix, parse the payload
   * with its schema, run the handler one message at a time per socket, answer with an Ack.
   * Handlers throw AppError for refusals; anything else is logged as a bug and answered INTERNAL.
   */
  on<S extends z.ZodType, R extends object>(
    socket: AppSocket,
    event: ClientEventName,
    schema: S,
    handler: (payload: z.output<S>) => Promise<R | AnswerLater<R> | void>,
    options?: HandlerOptions<z.output<S>>,
  ): void;
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

export interface HandlerKitOptions {
  /** how long a lazy ack may be held back, in ms; 0 sends every ack at once */
  ackWindowMs?: number;
}

/**
 * A handler's answer that comes after the handler is done: the socket's next message is
 * handled at once, and the ack (or the refusal) is sent when `answer` settles. For work whose
 * visible part is done and whose answer waits on something slow, such as an edit that is
 * applied and relayed and whose ack waits for the disk.
 */
export class AnswerLater<R extends object> {
  constructor(readonly answer: Promise<R | void>) {}
}

export function refusal(code: ErrorCode, message: string = errorMessages[code]): { ok: false; error: ProtocolError } {
  return { ok: false, error: { code, message } };
}

/** The first schema problem, in words; paths only, never the value that was sent. */
function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return errorMessages.INVALID_PAYLOAD;
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return `${errorMessages.INVALID_PAYLOAD} (${where}${issue.message})`;
}

export function createHandlerKit(log: Logger, limiters: Limiters, options: HandlerKitOptions = {}): HandlerKit {
  const acks = new AckBatcher(options.ackWindowMs ?? 0);
  // One queue per socket (Hocuspocus processes a connection's messages one at a time too):
  // a handler that awaits storage never interleaves with the next message of the same socket.
  // An array drained by one loop, not a promise chain per message: every keystroke passes
  // here, and the chain's promises were a visible share of the server's garbage.
  const queues = new WeakMap<AppSocket, Array<() => Promise<void>>>();
  const drain = async (queue: Array<() => Promise<void>>) => {
    for (let next = queue[0]; next; next = queue[0]) {
      try {
        await next();
      } catch {
        // run() answers every outcome itself; should anything still escape it, the messages
        // queued behind it must go on.
      }
      queue.shift();
    }
  };

  async function handle<S extends z.ZodType, R extends object>(
    socket: AppSocket,
    event: ClientEventName,
    schema: S,
    handler: (payload: z.output<S>) => Promise<R | AnswerLater<R> | void>,
    lazyAck: ((payload: z.output<S>) => boolean) | undefined,
    payload: unknown,
    sendAck: (response: Ack) => void,
  ): Promise<void> {
    const started = performance.now();
    let allowed: boolean;
    try {
      allowed = await consume(limiters.socketEvents, socket.id);
    } catch (err) {
      log.error({ event, socketId: socket.id, err: err instanceof Error ? err.message : 'unknown' }, 'rate limiter failed');
      return respond(socket, sendAck, refusal(ErrorCode.INTERNAL));
    }
    if (!allowed) return respond(socket, sendAck, refusal(ErrorCode.RATE_LIMITED));
    const denied = authorize(event, socket.data.role);
    if (denied) return respond(socket, sendAck, refusal(denied));
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      log.info({ event, socketId: socket.id }, 'invalid payload refused');
      return respond(socket, sendAck, refusal(ErrorCode.INVALID_PAYLOAD, describeIssue(parsed.error)));
    }
    const lazy = sendAck !== noAck && lazyAck !== undefined && lazyAck(parsed.data);
    let result: R | AnswerLater<R> | void;
    try {
      result = await handler(parsed.data);
    } catch (err) {
      return refuse(socket, event, sendAck, err);
    }
    if (result instanceof AnswerLater) {
      result.answer.then(
        (later) => answer(socket, event, sendAck, lazy, later, started),
        (err: unknown) => refuse(socket, event, sendAck, err),
      );
    } else {
      answer(socket, event, sendAck, lazy, result, started);
    }
  }

  // Helpers of `handle`, not closures in it: they would be made again for every message.

  /** Whatever goes to the socket at once sends the acks held for it first, keeping their order. */
  function respond(socket: AppSocket, sendAck: (response: Ack) => void, response: Ack): void {
    acks.flush(socket);
    sendAck(response);
  }

  function answer(socket: AppSocket, event: ClientEventName, sendAck: (response: Ack) => void, lazy: boolean, result: object | void, started: number): void {
    const response: Ack = result ? { ok: true, ...result } : OK;
    if (lazy) acks.send(socket, sendAck, response);
    else respond(socket, sendAck, response);
    if (log.isLevelEnabled('debug')) log.debug({ event, roomId: socket.data.roomId, ms: Math.round(performance.now() - started) }, 'handled');
  }

  function refuse(socket: AppSocket, event: ClientEventName, sendAck: (response: Ack) => void, err: unknown): void {
    if (err instanceof AppError) {
      log.info({ event, roomId: socket.data.roomId, refusal: err.code }, 'refused');
      return respond(socket, sendAck, refusal(err.code, err.message));
    }
    log.error({ event, roomId: socket.data.roomId, err: err instanceof Error ? err.message : 'unknown' }, 'handler failed');
    respond(socket, sendAck, refusal(ErrorCode.INTERNAL));
  }

  return {
    closeAcks: () => acks.close(),
    on(socket, event, schema, handler, options) {
      // The listener and the queued call are passed inline on purpose. Named closures made per
      // socket or per message get a `name` property from the TypeScript runner (esbuild's
      // keepNames), which gives each its own property store: about 13 KB per room of heap, at
      // some twenty events per socket (heap snapshot at 500 rooms, `npm run bench`).
      socket.on(event as never, ((...args: unknown[]) => {
        const maybeAck = args[args.length - 1];
        const ack = typeof maybeAck === 'function' ? (maybeAck as (response: Ack) => void) : noAck;
        const payload = args[0] === maybeAck && typeof maybeAck === 'function' ? undefined : args[0];
        let queue = queues.get(socket);
        if (!queue) {
          queue = [];
          queues.set(socket, queue);
        }
        queue.push(() => handle(socket, event, schema, handler, options?.lazyAck, payload, ack));
        if (queue.length === 1) void drain(queue);
      }) as never);
    },
  };
}

function noAck(): void {}

/** The answer of every handler that returns nothing: one object, as Socket.IO only serialises it. */
const OK: Ack = Object.freeze({ ok: true });
