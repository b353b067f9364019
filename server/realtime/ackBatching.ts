import type { Ack } from '../../shared/protocol/errors';
import { sendTogether } from './frameCoalescing';

interface Connection {
  conn: unknown;
}

type SendAck = (response: Ack) => void;

interface Held {
  /** each held ack's sender and its response, side by side */
  senders: SendAck[];
  responses: Ack[];
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Holds back acks that a device said it does not wait on (`lazyAck` on `doc:message`), so that
 * a typing burst is acknowledged in a few writes instead of one per keystroke.
 *
 * The rule is Nagle's: an ack goes at once when the socket has had none for `windowMs`;
 * otherwise it waits for the end of that window and leaves with every other ack held by then,
 * as one write. An ack is only ever delayed, never sent before its update is durable, and the
 * order of a socket's acks is kept: anything sent to the socket at once (a refusal, an
 * answer) first sends what is held (`flush`).
 *
 * Why: every write to a socket is a system call, and on the server's profile at a thousand
 * rooms (`npm run bench -- --profile DIR`) those calls were the largest single cost; an ack per
 * keystroke was about a third of them. A device that waits on each ack before sending the
 * next message must not ask for this: it would wait up to a window each time.
 */
export class AckBatcher {
  private readonly held = new Map<Connection, Held>();
  private readonly lastSent = new WeakMap<Connection, number>();
  private closed = false;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Sends `response` through `sendAck` now, or with the next batch of this socket's held acks. */
  send(socket: Connection, sendAck: SendAck, response: Ack): void {
    const held = this.held.get(socket);
    if (held) {
      held.senders.push(sendAck);
      held.responses.push(response);
      return;
    }
    const now = this.now();
    const last = this.lastSent.get(socket);
    if (this.closed || this.windowMs <= 0 || last === undefined || now - last >= this.windowMs) {
      this.lastSent.set(socket, now);
      sendAck(response);
      return;
    }
    const timer = setTimeout(() => this.flush(socket), this.windowMs - (now - last));
    timer.unref?.();
    this.held.set(socket, { senders: [sendAck], responses: [response], timer });
  }

  /** Sends what is held for this socket, together, now. */
  flush(socket: Connection): void {
    const held = this.held.get(socket);
    if (!held) return;
    this.held.delete(socket);
    clearTimeout(held.timer);
    this.lastSent.set(socket, this.now());
    sendTogether(socket, () => {
      for (let i = 0; i < held.senders.length; i++) (held.senders[i] as SendAck)(held.responses[i] as Ack);
    });
  }

  /** How many sockets have acks waiting (for tests and shutdown). */
  get waiting(): number {
    return this.held.size;
  }

  /**
   * Sends everything held, for every socket, and holds nothing from now on: at shutdown, so no
   * durable write goes unacknowledged, including the writes still finishing as the server
   * stores its documents on the way out.
   */
  close(): void {
    this.closed = true;
    for (const socket of [...this.held.keys()]) this.flush(socket);
  }
}
