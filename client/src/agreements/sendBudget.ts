/**
 * A token bucket for a socket's document sends: up to `burst` at once, then `perSecond` on
 * average. The server refuses a socket past `EVENTS_PER_SECOND` (40 by default, docs/protocol.md)
 * in any one second; with presence taking at most one message per 120 ms, a budget of
 * 6 + 18 a second keeps even a held-down key well under it, while a person typing 12 keys a
 * second (their quickest runs included) never waits on it.
 */
export class SendBudget {
  private tokens: number;
  private at: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.at = this.now();
  }

  /** How long until a send may go: 0 when it may go now. */
  waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.perSecond);
  }

  /** Counts a send. */
  spend(): void {
    this.refill();
    this.tokens = Math.max(0, this.tokens - 1);
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) * this.perSecond) / 1000);
    this.at = now;
  }
}
