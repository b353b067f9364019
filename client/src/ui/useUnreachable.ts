import { useState } from 'react';
import { useSocketEvent } from '../realtime/useSocketEvent';

/**
 * Why the server cannot be reached just now, as a problem code for ProblemPage: `OFFLINE` when
 * the device has no network, `UNREACHABLE` when the server does not answer, or the handshake's
 * own refusal (`TOO_MANY_CONNECTIONS`, `PROTOCOL_MISMATCH`). Null once the socket connects.
 * A screen that waits on its first answer shows this at once instead of waiting out the request.
 */
export function useUnreachable(): string | null {
  const [problem, setProblem] = useState<string | null>(null);
  useSocketEvent('connect_error', (err) => setProblem(err.data?.code ?? (navigator.onLine ? 'UNREACHABLE' : 'OFFLINE')));
  useSocketEvent('connect', () => setProblem(null));
  return problem;
}
