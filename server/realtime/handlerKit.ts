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
    handler: (payload: z.output<S>) => Promise<R | void>,
  ): void;
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

export function createHandlerKit(log: Logger, limiters: Limiters): HandlerKit {
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
    handler: (payload: z.output<S>) => Promise<R | void>,
    payload: unknown,
    ack: (response: Ack) => void,
  ): Promise<void> {
    const started = performance.now();
    let allowed: boolean;
    try {
      allowed = await consume(limiters.socketEvents, socket.id);
    } catch (err) {
      log.error({ event, socketId: socket.id, err: err instanceof Error ? err.message : 'unknown' }, 'rate limiter failed');
      return ack(refusal(ErrorCode.INTERNAL));
    }
    if (!allowed) return ack(refusal(ErrorCode.RATE_LIMITED));
    const denied = authorize(event, socket.data.role);
    if (denied) return ack(refusal(denied));
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      log.info({ event, socketId: socket.id }, 'invalid payload refused');
      return ack(refusal(ErrorCode.INVALID_PAYLOAD, describeIssue(parsed.error)));
    }
    try {
      const result = await handler(parsed.data);
      ack({ ok: true, ...(result ?? {}) });
      log.debug({ event, roomId: socket.data.roomId, ms: Math.round(performance.now() - started) }, 'handled');
    } catch (err) {
      if (err instanceof AppError) {
        log.info({ event, roomId: socket.data.roomId, refusal: err.code }, 'refused');
        return ack(refusal(err.code, err.message));
      }
      log.error({ event, roomId: socket.data.roomId, err: err instanceof Error ? err.message : 'unknown' }, 'handler failed');
      ack(refusal(ErrorCode.INTERNAL));
    }
  }

  return {
    on(socket, event, schema, handler) {
      // The listener and the queued call are passed inline on purpose. Named closures made per
      // socket or per message get a `name` property from the TypeScript runner (esbuild's
      // keepNames), which gives each its own property store: about 13 KB per room of heap, at
      // some twenty events per socket (heap snapshot at 500 rooms, `npm run bench`).
      socket.on(event as never, ((...args: unknown[]) => {
        const maybeAck = args[args.length - 1];
        const ack = typeof maybeAck === 'function' ? (maybeAck as (response: Ack) => void) : noAck;
        const payload = typeof maybeAck === 'function' ? args.slice(0, -1)[0] : args[0];
        let queue = queues.get(socket);
        if (!queue) {
          queue = [];
          queues.set(socket, queue);
        }
        queue.push(() => handle(socket, event, schema, handler, payload, ack));
        if (queue.length === 1) void drain(queue);
      }) as never);
    },
  };
}

function noAck(): void {}
