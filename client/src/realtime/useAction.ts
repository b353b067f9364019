import { useCallback, useEffect, useRef, useState } from 'react';
import type { ProtocolErrorDetails } from '../../../shared/protocol/errors';
import { codeOf, messageOf, request, RequestError, type ClientEventName, type PayloadOf, type ResultOf } from './connection';

export interface ActionError {
  /** the server's own words for a refusal, shown where the person acted */
  message: string;
  /** the refusal's named code (shared/protocol/errors), or null when the server was not reached */
  code: string | null;
  /** the kind of room that refused an invite or a code, so the page can say whom to ask (the partner or the counsellor) */
  roomMode?: ProtocolErrorDetails['roomMode'];
}

export interface Action {
  busy: boolean;
  error: ActionError | null;
  /** forgets the last refusal (a dialog opened again, a field corrected) */
  reset(): void;
  /** sends one request; resolves to its result, or null when it was refused (see `error`) */
  request<E extends ClientEventName>(event: E, payload: PayloadOf<E>): Promise<ResultOf<E> | null>;
  /** runs several steps as one action; a throw becomes `error` and the result null */
  run<T>(work: () => Promise<T>): Promise<T | null>;
}

/** One action at a time for one part of the screen: a button's busy state and the words of its refusal. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ActionError | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(async <T,>(work: () => Promise<T>): Promise<T | null> => {
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (err) {
      if (mounted.current) setError({ message: messageOf(err), code: codeOf(err), roomMode: err instanceof RequestError ? err.error.roomMode : undefined });
      return null;
    } finally {
      if (mounted.current) setBusy(false);
    }
  }, []);
  const send = useCallback(
    <E extends ClientEventName>(event: E, payload: PayloadOf<E>) => run(() => request(event, payload)),
    [run],
  );
  const reset = useCallback(() => setError(null), []);

  return { busy, error, reset, request: send, run };
}
