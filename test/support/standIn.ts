/**
 * An object that stands for whatever `current()` returns when it is read: a fixture made fresh
 * for each test is declared once, outside the tests, and each test reaches its own. Reading it
 * while there is none (outside a test) throws, naming `what`.
 */
export function standIn<T extends object>(what: string, current: () => T | undefined): T {
  const now = (): T => {
    const value = current();
    if (value === undefined) throw new Error(`${what} is read outside a test`);
    return value;
  };
  return new Proxy({} as T, {
    get: (_, key) => bound(now(), key),
    has: (_, key) => Reflect.has(now(), key),
    ownKeys: () => Reflect.ownKeys(now()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(now(), key);
      // A proxy may only report a property it holds as configurable.
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}

/** A method keeps its own object as `this`, as it would when called on that object itself. */
function bound<T extends object>(target: T, key: string | symbol): unknown {
  const value: unknown = Reflect.get(target, key);
  return typeof value === 'function' ? value.bind(target) : value;
}
