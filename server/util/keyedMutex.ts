/**
 * Runs async work one at a time per key. The embedded store is used by exactly one process
 * (LevelDB locks its folder), so an in-process queue is all compare-and-set needs there.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /**
   * Nothing runs or waits for this key. Work that is synchronous can then skip the queue: no
   * other holder can start before it returns. (Every keystroke appends; a queue turn per
   * append would be a visible share of the server's promises.)
   */
  isIdle(key: string): boolean {
    return !this.tails.has(key);
  }
}
