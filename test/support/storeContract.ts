import { afterEach, beforeEach, describe } from 'vitest';

/** One implementation under test, and how to throw it away. */
export interface StoreFixture<S> {
  store: S;
  cleanup: () => Promise<void>;
}

/**
 * Declares one contract suite: before each test a fresh store comes from `makeStore`, after it
 * the store is cleaned up. `tests` declares the tests against `store`, which stands for the
 * store of the test that runs: tests read it inside `it`, where the fresh one is in place.
 */
export function describeStoreContract<S extends object>(
  title: string,
  makeStore: () => Promise<StoreFixture<S>>,
  tests: (store: S) => void,
): void {
  describe(title, () => {
    let fixture: StoreFixture<S> | undefined;
    beforeEach(async () => {
      fixture = await makeStore();
    });
    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });
    tests(new Proxy({} as S, { get: (_, key) => bound(current(), key) }));

    function current(): S {
      if (!fixture) throw new Error(`${title}: the store is read outside a test`);
      return fixture.store;
    }
  });
}

/** A method keeps its own store as `this`, as it would when called on the store itself. */
function bound<S extends object>(store: S, key: string | symbol): unknown {
  const value: unknown = Reflect.get(store, key);
  return typeof value === 'function' ? value.bind(store) : value;
}
