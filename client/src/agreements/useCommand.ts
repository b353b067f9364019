import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf, send, type ClientEvent, type PayloadOf, type ResultOf } from '../realtime/connection';

export interface Command {
  busy: boolean;
  /** the server's own words for a refusal, shown where the person acted */
  error: string | null;
  /** sends the command; resolves to its result, or null when it was refused (see `error`) */
  run<E extends ClientEvent>(event: E, payload: PayloadOf<E>): Promise<ResultOf<E> | null>;
}

/** One command on the record at a time, for one part of the screen. */
export function useCommand(): Command {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(async <E extends ClientEvent>(event: E, payload: PayloadOf<E>): Promise<ResultOf<E> | null> => {
    setBusy(true);
    setError(null);
    try {
      return await send(event, payload);
    } catch (err) {
      if (mounted.current) setError(messageOf(err));
      return null;
    } finally {
      if (mounted.current) setBusy(false);
    }
  }, []);

  return { busy, error, run };
}
