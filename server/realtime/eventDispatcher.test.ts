import { RateLimiterMemory } from 'rate-limiter-flexible';
import { describe, expect, it, vi } from 'vitest';
import { AppError, ErrorCode, errorMessages, type Ack } from '../../shared/protocol/errors';
import { createLogger } from '../logger';
import type { Limiters } from '../security/limiters';
import { AnswerLater, createEventDispatcher, type AppSocket, type EventDispatcher } from './eventDispatcher';

type AnyListener = (this: AppSocket, event: string, ...args: unknown[]) => void;

/** The part of a Socket.IO socket the dispatcher uses: `onAny`, `id` and the seat's data. */
interface FakeSocket extends AppSocket {
  /** what Socket.IO does with an incoming event: call the `onAny` listeners with the socket as `this` */
  receive(event: string, ...args: unknown[]): void;
}

function fakeSocket(id = 'socket-1'): FakeSocket {
  const listeners: AnyListener[] = [];
  const socket = {
    id,
    data: { role: 'partner', roomId: 'room-1' },
    onAny(listener: AnyListener) {
      listeners.push(listener);
    },
    receive(event: string, ...args: unknown[]) {
      for (const listener of listeners) listener.call(socket as unknown as AppSocket, event, ...args);
    },
  };
  return socket as unknown as FakeSocket;
}

function limitersWith(socketEvents: RateLimiterMemory, addressEvents = new RateLimiterMemory({ points: 1000, duration: 1 })): Limiters {
  const unused = new RateLimiterMemory({ points: 1, duration: 1 });
  return { codeTries: unused, roomCreations: unused, counsellorRegistrations: unused, socketEvents, addressEvents };
}

function attached(dispatcher: EventDispatcher, socket = fakeSocket()): FakeSocket {
  dispatcher.attach(socket);
  return socket;
}

// The handlers below stand in for real ones: `agreement:withdraw` takes `{ agreementId }` and
// answers `{ ended }`; `room:leave` takes nothing and answers `{ ok: true }` alone.
const send = (socket: FakeSocket, payload: unknown, event = 'agreement:withdraw') =>
  new Promise<Ack>((resolve) => socket.receive(event, payload, resolve));

describe('handler dispatcher', () => {
  it('runs one message at a time per socket, in the order they came', async () => {
    const dispatcher = createEventDispatcher(createLogger('silent'), limitersWith(new RateLimiterMemory({ points: 100, duration: 1 })));
    const socket = attached(dispatcher);
    const log: string[] = [];
    dispatcher.on('agreement:withdraw', async (_socket, { agreementId: n }) => {
      log.push(`start ${n}`);
      await new Promise((resolve) => setTimeout(resolve, n === '1' ? 20 : 0));
      log.push(`end ${n}`);
      return { ended: n === '2' };
    });
    const answers = await Promise.all([send(socket, { agreementId: '1' }), send(socket, { agreementId: '2' }), send(socket, { agreementId: '3' })]);
    expect(answers).toEqual([{ ok: true, ended: false }, { ok: true, ended: true }, { ok: true, ended: false }]);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('a handler that answers later lets the next message run at once; each ack waits for its own answer', async () => {
    const dispatcher = createEventDispatcher(createLogger('silent'), limitersWith(new RateLimiterMemory({ points: 100, duration: 1 })));
    const socket = attached(dispatcher);
    const log: string[] = [];
    const pending = new Map<string, { resolve: () => void; reject: (err: Error) => void }>();
    dispatcher.on('agreement:withdraw', async (_socket, { agreementId: n }) => {
      log.push(`handled ${n}`);
      const answer = new Promise<void>((resolve, reject) => pending.set(n, { resolve, reject }));
      return new AnswerLater(answer.then(() => ({ ended: true })));
    });
    const answers = [send(socket, { agreementId: '1' }), send(socket, { agreementId: '2' })].map((p) => p.then((a) => (log.push(`ack ${JSON.stringify(a)}`), a)));
    await vi.waitFor(() => expect(log).toEqual(['handled 1', 'handled 2']));
    pending.get('1')?.resolve();
    pending.get('2')?.reject(new AppError(ErrorCode.UPDATE_MALFORMED));
    await Promise.all(answers);
    expect(log.slice(2).sort()).toEqual([
      'ack {"ok":false,"error":{"code":"UPDATE_MALFORMED","message":"' + errorMessages.UPDATE_MALFORMED + '"}}',
      'ack {"ok":true,"ended":true}',
    ]);
  });

  it('limits events per address across its sockets, after each socket\'s own limit', async () => {
    const dispatcher = createEventDispatcher(
      createLogger('silent'),
      limitersWith(new RateLimiterMemory({ points: 3, duration: 60 }), new RateLimiterMemory({ points: 5, duration: 60 })),
      { addressOf: (socket) => (socket.id === 'elsewhere' ? '198.51.100.7' : '203.0.113.9') },
    );
    dispatcher.on('room:leave', async () => {});
    const sockets = [attached(dispatcher, fakeSocket('s1')), attached(dispatcher, fakeSocket('s2')), attached(dispatcher, fakeSocket('s3'))];
    const codes: string[] = [];
    for (const socket of sockets) {
      for (let i = 0; i < 4; i++) {
        const answer = await send(socket, {}, 'room:leave');
        codes.push(answer.ok ? 'ok' : answer.error.code);
      }
    }
    // s1: 3 pass its own limit (the 4th is refused by it and costs the address nothing); s2: 2
    // more reach the address's 5; s3: refused by the address.
    expect(codes).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED', ...Array(4).fill('RATE_LIMITED')]);
    expect(await send(attached(dispatcher, fakeSocket('elsewhere')), {}, 'room:leave')).toEqual({ ok: true });
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
    const dispatcher = createEventDispatcher(createLogger('silent'), limitersWith(new FailingOnce({ points: 100, duration: 1 })));
    const socket = attached(dispatcher);
    dispatcher.on('agreement:withdraw', async () => ({ ended: true }));
    const [first, second] = await Promise.all([send(socket, { agreementId: '1' }), send(socket, { agreementId: '2' })]);
    expect(first).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(second).toEqual({ ok: true, ended: true });
  });

  it('refuses a payload its schema does not accept, naming the field, and changes nothing', async () => {
    const dispatcher = createEventDispatcher(createLogger('silent'), limitersWith(new RateLimiterMemory({ points: 100, duration: 1 })));
    const socket = attached(dispatcher);
    let ran = false;
    dispatcher.on('agreement:withdraw', async () => {
      ran = true;
      return { ended: true };
    });
    const answer = await send(socket, { agreementId: 1 });
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(answer.ok === false && answer.error.message).toContain('agreementId:');
    expect(ran).toBe(false);
  });

  it('refuses an event no handler is registered for, with a named error, and runs nothing', async () => {
    const dispatcher = createEventDispatcher(createLogger('silent'), limitersWith(new RateLimiterMemory({ points: 100, duration: 1 })));
    const socket = attached(dispatcher);
    let ran = false;
    dispatcher.on('room:leave', async () => {
      ran = true;
    });
    const answer = await send(socket, {}, 'session:nonsense');
    expect(answer).toEqual({ ok: false, error: { code: 'INVALID_PAYLOAD', message: errorMessages.INVALID_PAYLOAD } });
    expect(ran).toBe(false);
    // Without an ack to answer, it is dropped quietly, and the socket goes on as before.
    socket.receive('session:nonsense', {});
    expect(await send(socket, {}, 'room:leave')).toEqual({ ok: true });
    expect(ran).toBe(true);
  });

  it('one registration serves every socket, each with its own queue and its own socket', async () => {
    const dispatcher = createEventDispatcher(createLogger('silent'), limitersWith(new RateLimiterMemory({ points: 100, duration: 1 })));
    const log: string[] = [];
    let releaseFirst = () => {};
    dispatcher.on('agreement:withdraw', async (socket, { agreementId: n }) => {
      log.push(`${socket.id} start ${n}`);
      if (n === '1') await new Promise<void>((resolve) => (releaseFirst = resolve));
      log.push(`${socket.id} end ${n}`);
      // which socket the handler was given: the answer tells them apart
      return { ended: socket.id === 'two' };
    });
    const one = attached(dispatcher, fakeSocket('one'));
    const two = attached(dispatcher, fakeSocket('two'));
    const slow = send(one, { agreementId: '1' });
    const behindIt = send(one, { agreementId: '2' });
    // The other socket is not held up by the first one's slow message.
    expect(await send(two, { agreementId: '3' })).toEqual({ ok: true, ended: true });
    expect(log).toEqual(['one start 1', 'two start 3', 'two end 3']);
    releaseFirst();
    expect(await Promise.all([slow, behindIt])).toEqual([{ ok: true, ended: false }, { ok: true, ended: false }]);
    expect(log.slice(3)).toEqual(['one end 1', 'one start 2', 'one end 2']);
  });

  it('tells accepted listeners of successful answers only, with the room the socket was in when the event came', async () => {
    const dispatcher = createEventDispatcher(createLogger('silent'), limitersWith(new RateLimiterMemory({ points: 100, duration: 1 })));
    const heard: Array<[string, string | null, Ack]> = [];
    // Registered before the handler on purpose: modules may register in any order.
    dispatcher.onAccepted(['agreement:withdraw'], (socket, roomBefore, response) => heard.push([socket.id, roomBefore, response]));
    dispatcher.on('agreement:withdraw', async (socket, { agreementId }) => {
      if (agreementId !== 'move') throw new AppError(ErrorCode.NOT_IN_ROOM);
      socket.data.roomId = 'room-2';
      return { ended: true };
    });
    dispatcher.on('room:leave', async () => {});
    const socket = attached(dispatcher);
    expect(await send(socket, { agreementId: 'stay' })).toMatchObject({ ok: false });
    expect(await send(socket, {}, 'room:leave')).toEqual({ ok: true });
    expect(heard).toEqual([]);
    expect(await send(socket, { agreementId: 'move' })).toEqual({ ok: true, ended: true });
    expect(heard).toEqual([['socket-1', 'room-1', { ok: true, ended: true }]]);
  });

  it('takes each event\'s payload and answer types from the protocol table', () => {
    const dispatcher = createEventDispatcher(createLogger('silent'), limitersWith(new RateLimiterMemory({ points: 100, duration: 1 })));
    // @ts-expect-error `room:newCode` answers `{ code }`: a handler that answers nothing does not compile
    dispatcher.on('room:newCode', async () => {});
    // @ts-expect-error the payload of `version:get` is `{ versionId }`
    dispatcher.on('version:get', async (_socket, { agreementId }) => ({ version: agreementId }));
    // @ts-expect-error `agreement:withdraw` answers `{ ended: boolean }`
    dispatcher.on('agreement:withdraw', async () => ({ ended: 'yes' }));
    dispatcher.on('room:leave', async () => {});
    expect(() => dispatcher.on('room:leave', async () => {})).toThrow('two handlers for room:leave');
  });
});
