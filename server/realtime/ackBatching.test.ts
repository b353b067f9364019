import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { Ack } from '../../shared/protocol/errors';
import { AckBatcher } from './ackBatching';

/** An ack's sender that records its response's name, and that response. */
const ack = (sent: string[], name: string) => [(response: Ack) => void sent.push((response as { name?: string }).name ?? '?'), { ok: true, name } as Ack] as const;

// A socket without an engine.io connection: sendTogether just runs the acks.
const socket = () => ({ conn: undefined });

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

it('sends at once after a quiet window, and holds what comes within one for its end', () => {
  const batcher = new AckBatcher(500, () => Date.now());
  const s = socket();
  const sent: string[] = [];
  batcher.send(s, ...ack(sent, 'a'));
  expect(sent).toEqual(['a']);
  vi.advanceTimersByTime(200);
  batcher.send(s, ...ack(sent, 'b'));
  vi.advanceTimersByTime(100);
  batcher.send(s, ...ack(sent, 'c'));
  expect(sent).toEqual(['a']);
  vi.advanceTimersByTime(199);
  expect(sent).toEqual(['a']);
  vi.advanceTimersByTime(1);
  expect(sent).toEqual(['a', 'b', 'c']);
  expect(batcher.waiting).toBe(0);
  // A quiet window later, the next one goes at once again.
  vi.advanceTimersByTime(500);
  batcher.send(s, ...ack(sent, 'd'));
  expect(sent).toEqual(['a', 'b', 'c', 'd']);
});

it('flush sends what is held before anything sent after it, and sockets do not wait on each other', () => {
  const batcher = new AckBatcher(500, () => Date.now());
  const [s1, s2] = [socket(), socket()];
  const sent: string[] = [];
  batcher.send(s1, ...ack(sent, '1a'));
  batcher.send(s1, ...ack(sent, '1b'));
  batcher.send(s2, ...ack(sent, '2a'));
  expect(sent).toEqual(['1a', '2a']);
  batcher.flush(s1);
  sent.push('1-refusal');
  expect(sent).toEqual(['1a', '2a', '1b', '1-refusal']);
  vi.advanceTimersByTime(1000);
  expect(sent).toHaveLength(4);
});

it('a window of 0 never holds; close empties every socket and holds nothing after', () => {
  const off = new AckBatcher(0, () => Date.now());
  const s = socket();
  const sent: string[] = [];
  for (let i = 0; i < 3; i++) off.send(s, ...ack(sent, String(i)));
  expect(sent).toEqual(['0', '1', '2']);

  const on = new AckBatcher(500, () => Date.now());
  on.send(s, ...ack(sent, '3'));
  on.send(s, ...ack(sent, '4'));
  on.send(socket(), ...ack(sent, '5'));
  on.send(s, ...ack(sent, '6'));
  on.close();
  expect(sent).toEqual(['0', '1', '2', '3', '5', '4', '6']);
  expect(on.waiting).toBe(0);
  on.send(s, ...ack(sent, '7'));
  expect(sent.at(-1)).toBe('7');
});
