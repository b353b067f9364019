import { useEffect, useLayoutEffect, useRef } from 'react';
import { isConnected, listen, type ListenEvent, type ListenEvents } from './connection';

/**
 * Calls `handler` for every `event` the socket receives while the component is mounted. The
 * handler may change on every render: the latest one is called, and the subscription stays.
 */
export function useSocketEvent<E extends ListenEvent>(event: E, handler: ListenEvents[E]): void {
  const latest = useRef<ListenEvents[E]>(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  useEffect(() => listen({ [event]: (...args: unknown[]) => Reflect.apply(latest.current, undefined, args) }), [event]);
}

/** Calls `handler` now if the socket is connected, and again after every (re)connect. */
export function useEveryConnect(handler: () => void): void {
  useSocketEvent('connect', handler);
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    if (isConnected()) latest.current();
  }, []);
}
