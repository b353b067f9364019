import { EventEmitter } from 'node:events';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AppError, ErrorCode, errorMessages, type Ack } from '../../shared/protocol/errors';
import { createLogger } from '../logger';
import type { Limiters } from '../security/limiters';
import { AnswerLater, createHandlerKit, type AppSocket } from './handlerKit';

/** The part of a Socket.IO socket the kit uses: `on`, `id` and the seat's role. */
function fakeSocket(): AppSocket & EventEmitter {
  return Object.assign(new EventEmitter(), { id: 'socket-1', data: { role: 'partner', roomId: 'room-1' } }) as unknown as AppSocket & EventEmitter;
}

function limitersWith(socketEvents: RateLimiterMemory): Limiters {
  const unused = new RateLimiterMemory({ points: 1, duration: 1 });
  return { codeTries: unused, roomCreations: unused, socketEvents };
}

const send = (socket: EventEmitter, payload: unknown) =>
  new Promise<Ack>((resolve) => socket.emit('session:sync', payload, resolve));

describe('handler kit', () => {
  it('runs one message at a time per socket, in the order they came', async () => {
    const kit = createHandlerKit(createLogger('silent'), limitersWith(new RateLimiterMemory({ points: 100, duration: 1 })));
    const socket = fakeSocket();
    const log: string[] = [];
    kit.on(socket, 'session:sync', z.strictObject({ n: z.number() }), async ({ n }) => {
      log.push(`start ${n}`);
      await new Promise((resolve) => setTimeout(resolve, n === 1 ? 20 : 0));
      log.push(`end ${n}`);
      return { n };
    });
    const answers = await Promise.all([send(socket, { n: 1 }), send(socket, { n: 2 }), send(socket, { n: 3 })]);
    expect(answers).toEqual([{ ok: true, n: 1 }, { ok: true, n: 2 }, { ok: true, n: 3 }]);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('a handler that answers later lets the next message run at once; each ack waits for its own answer', async () => {
    const kit = createHandlerKit(createLogger('silent'), limitersWith(new RateLimiterMemory({ points: 100, duration: 1 })));
    const socket = fakeSocket();
    const log: string[] = [];
    const pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
    kit.on(socket, 'session:sync', z.strictObject({ n: z.number() }), async ({ n }) => {
      log.push(`handled ${n}`);
      const answer = new Promise<void>((resolve, reject) => pending.set(n, { resolve, reject }));
      return new AnswerLater(answer.then(() => ({ n })));
    });
    const answers = [send(socket, { n: 1 }), send(socket, { n: 2 })].map((p) => p.then((a) => (log.push(`ack ${JSON.stringify(a)}`), a)));
    await vi.waitFor(() => expect(log).toEqual(['handled 1', 'handled 2']));
    pending.get(1)?.resolve();
    pending.get(2)?.reject(new AppError(ErrorCode.UPDATE_MALFORMED));
    await Promise.all(answers);
    expect(log.slice(2).sort()).toEqual([
      'ack {"ok":false,"error":{"code":"UPDATE_MALFORMED","message":"' + errorMessages.UPDATE_MALFORMED + '"}}',
      'ack {"ok":true,"n":1}',
    ]);
  });

  it('answers INTERNAL when the rate limiter itself fails, and the messages behind it still run', async () => {
    class FailingOnce extends RateLimiterMemory {
      private failed = false;
      override consume(key: string | number, points?: number) {
        if (!this.failed) {
          this.failed = true;
          return Promise.reject(new Error('limiter store unreachable'));
        }
        return super.consume(key, points);
      }
    }
    const kit = createHandlerKit(createLogger('silent'), limitersWith(new FailingOnce({ points: 100, duration: 1 })));
    const socket = fakeSocket();
    kit.on(socket, 'session:sync', z.strictObject({}), async () => ({ synced: true }));
    const [first, second] = await Promise.all([send(socket, {}), send(socket, {})]);
    expect(first).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(second).toEqual({ ok: true, synced: true });
  });

  it('refuses a payload its schema does not accept, naming the field, and changes nothing', async () => {
    const kit = createHandlerKit(createLogger('silent'), limitersWith(new RateLimiterMemory({ points: 100, duration: 1 })));
    const socket = fakeSocket();
    let ran = false;
    kit.on(socket, 'session:sync', z.strictObject({ n: z.number() }), async () => {
      ran = true;
    });
    const answer = await send(socket, { n: 'one' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(answer.ok === false && answer.error.message).toContain('n:');
    expect(ran).toBe(false);
  });
});
