// The provider's sending rule: an edit goes at once; while one waits for its ack the next ones
// gather and go together. Socket and server are stand-ins: `request` is the app's one way to
// send an event with an ack, replaced here by a queue of acks the test answers by hand.
import * as decoding from 'lib0/decoding';
import * as sync from 'y-protocols/sync';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppSocket } from '../realtime/connection';
import { SocketIOProvider } from './socketIOProvider';

interface Sent {
  kind: 'step1' | 'step2' | 'update';
  bytes: Uint8Array;
  at: number;
  answer(): void;
  refuse(code: string): void;
}

const sent: Sent[] = [];

vi.mock('../realtime/connection', async (importActual) => {
  const actual = await importActual<typeof import('../realtime/connection')>();
  return {
    ...actual,
    request: (_event: string, payload: { message: Uint8Array }) =>
      new Promise((resolve, reject) => {
        const decoder = decoding.createDecoder(payload.message);
        decoding.readVarUint(decoder);
        const type = decoding.readVarUint(decoder);
        const kind = type === sync.messageYjsSyncStep1 ? 'step1' : type === sync.messageYjsSyncStep2 ? 'step2' : 'update';
        sent.push({
          kind,
          bytes: decoding.readVarUint8Array(decoder),
          at: Date.now(),
          answer: () => resolve({ ok: true }),
          refuse: (code) => reject(new actual.RequestError({ code: code as never, message: 'refused' })),
        });
      }),
  };
});

/** presence messages the provider emitted (presence asks for no ack, so it does not go through `request`) */
const presence: number[] = [];

function fakeSocket(): AppSocket {
  return { connected: true, on: () => undefined, off: () => undefined, emit: () => presence.push(Date.now()) } as unknown as AppSocket;
}

const updates = () => sent.filter((s) => s.kind === 'update');
/** lets the acks' promise callbacks run */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('SocketIOProvider sending', () => {
  let doc: Y.Doc;
  let provider: SocketIOProvider;
  const text = () => doc.getText('words');

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
    sent.length = 0;
    presence.length = 0;
    doc = new Y.Doc();
    provider = new SocketIOProvider(fakeSocket(), doc, 'agreements');
    provider.setJoined(true);
    expect(sent.map((s) => s.kind)).toEqual(['step1']);
    sent[0]!.answer();
  });

  afterEach(() => {
    provider.destroy();
    vi.useRealTimers();
  });

  it('sends the first edit at once', () => {
    text().insert(0, 'a');
    expect(updates()).toHaveLength(1);
  });

  it('a burst of 40 keystrokes while the first waits for its ack is two sends, the second carrying all the rest', async () => {
    for (let i = 0; i < 40; i++) text().insert(i, 'x');
    expect(updates()).toHaveLength(1);
    updates()[0]!.answer();
    await settle();
    expect(updates()).toHaveLength(2);
    const copy = new Y.Doc();
    for (const u of updates()) Y.applyUpdate(copy, u.bytes);
    expect(copy.getText('words').toString()).toBe('x'.repeat(40));
    updates()[1]!.answer();
    await settle();
    expect(updates()).toHaveLength(2);
    expect(provider.syncState.kind).not.toBe('offline');
  });

  it('typing at 12 keys a second with acks back in 5 ms sends every key at once and never waits on the budget', async () => {
    const sentAt: number[] = [];
    for (let i = 0; i < 36; i++) {
      text().insert(i, 'k');
      sentAt.push(updates().length);
      await vi.advanceTimersByTimeAsync(5);
      updates().at(-1)!.answer();
      await vi.advanceTimersByTimeAsync(1000 / 12 - 5);
    }
    expect(sentAt).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
  });

  it('a held-down key with instant acks stays within 6 + 18 sends in any second, and every key arrives', async () => {
    const answerAll = () => {
      for (const u of updates()) u.answer();
    };
    for (let i = 0; i < 90; i++) {
      text().insert(i, 'r');
      for (let ms = 0; ms < 33; ms++) {
        answerAll();
        await vi.advanceTimersByTimeAsync(1);
      }
    }
    for (let ms = 0; ms < 500; ms++) {
      answerAll();
      await vi.advanceTimersByTimeAsync(1);
    }
    const times = updates().map((u) => u.at);
    const most = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
    expect(most).toBeLessThanOrEqual(24);
    const copy = new Y.Doc();
    for (const u of updates()) Y.applyUpdate(copy, u.bytes);
    expect(copy.getText('words').length).toBe(90);
  });

  it('sendPendingNow sends what gathered even while an edit waits for its ack', () => {
    text().insert(0, 'a');
    text().insert(1, 'b');
    expect(updates()).toHaveLength(1);
    provider.sendPendingNow();
    expect(updates()).toHaveLength(2);
  });

  it('after a passing refusal nothing more is sent until the retry handshake, which carries it all', async () => {
    text().insert(0, 'a');
    text().insert(1, 'b');
    updates()[0]!.refuse('RATE_LIMITED');
    await settle();
    text().insert(2, 'c');
    expect(updates()).toHaveLength(1);
    expect(provider.syncState.kind).toBe('syncing');
    await vi.advanceTimersByTimeAsync(1500);
    expect(sent.at(-1)!.kind).toBe('step1');
    sent.at(-1)!.answer();
    await settle();
    expect(updates()).toHaveLength(1);
    text().insert(3, 'd');
    expect(updates()).toHaveLength(2);
  });

  it('an ack from before a reconnect does not release the edits after it', async () => {
    text().insert(0, 'a');
    const first = updates()[0]!;
    provider.setJoined(false);
    provider.setJoined(true);
    sent.at(-1)!.answer();
    text().insert(1, 'b');
    expect(updates()).toHaveLength(2);
    text().insert(2, 'c');
    first.answer();
    await settle();
    expect(updates()).toHaveLength(2);
    updates()[1]!.answer();
    await settle();
    expect(updates()).toHaveLength(3);
  });

  it('presence goes at most every 120 ms while the caret moves, and once more a second after it stops', async () => {
    const start = Date.now();
    for (let i = 0; i < 20; i++) {
      provider.awareness.setLocalStateField('cursor', { at: i });
      await vi.advanceTimersByTimeAsync(30);
    }
    const lastMove = Date.now() - 30;
    await vi.advanceTimersByTimeAsync(2000);
    const during = presence.filter((t) => t <= lastMove + 120);
    expect(during.length).toBeLessThanOrEqual(Math.ceil((lastMove + 120 - start) / 120));
    // the last move's own send, then the one that repeats it once all is quiet
    expect(presence.filter((t) => t > lastMove + 120)).toEqual([lastMove + 1000]);
  });

  it('a refusal that is not passing is said, and edits go on being sent', async () => {
    text().insert(0, 'a');
    updates()[0]!.refuse('DOC_TOO_LARGE');
    await settle();
    expect(provider.syncState.kind).toBe('problem');
    text().insert(1, 'b');
    expect(updates()).toHaveLength(2);
  });
});
