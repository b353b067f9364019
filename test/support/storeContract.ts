import { afterEach, beforeEach, describe } from 'vitest';
import { standIn } from './standIn';

/** One implementation under test, and how to throw it away. */
export interface StoreFixture<S> {
  store: S;
  cleanup: () => Promise<void>;
}

/**
 * Declares one contract suite: before each test a fresh store comes from `makeStore`, after it
 * the store is cleaned up. `tests` declares the tests against `store`, which stands for the
 * store of the test that runs.
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
    tests(standIn(`${title}: the store`, () => fixture?.store));
  });
}
