import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { request, type ClientEventName, type PayloadOf, type ResultOf } from './connection';

/**
 * Asks the server once `enabled` (usually: the room is joined), again whenever it turns true
 * after a disconnect or the payload changes; returns the latest answer and hands it to
 * `onResult` too, for state that server pushes also change. A refused or lost ask changes
 * nothing: the next join asks again.
 */
export function useRequest<E extends ClientEventName>(
  event: E,
  payload: PayloadOf<E>,
  { enabled, onResult }: { enabled: boolean; onResult?: (result: ResultOf<E>) => void },
): ResultOf<E> | null {
  const [result, setResult] = useState<{ key: string; value: ResultOf<E> } | null>(null);
  const handler = useRef(onResult);
  const sent = useRef(payload);
  useLayoutEffect(() => {
    handler.current = onResult;
    sent.current = payload;
  });
  const key = `${event} ${JSON.stringify(payload)}`;

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    request(event, sent.current).then(
      (value) => {
        if (!live) return;
        setResult({ key, value });
        handler.current?.(value);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [enabled, event, key]);

  return result?.key === key ? result.value : null;
}
