import type { IncomingMessage, OutgoingHttpHeaders, Server as HttpServer, ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { Server as SocketServer } from 'socket.io';

/**
 * The security headers of every answer (helmet), with a Content-Security-Policy as tight as
 * the app allows: everything from our own origin, nothing inline. The editor needs no
 * exception: Tiptap's own stylesheet is turned off (`injectCSS: false`, its rules live in
 * client/src/styles.css), and ProseMirror, Tiptap's carets and React set styles through the
 * CSSOM (`element.style`), which the policy does not govern. Scripts need no 'unsafe-eval'
 * either: zod runs jitless in the browser (client/src/zodWithoutEval.ts).
 * test/e2e/roomGoneFromDevice.e2e.test.ts edits agreements side by side under this policy and
 * counts its violations: none.
 */
export const securityHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: true,
    directives: {
      'default-src': ["'self'"],
      // 'self' covers the same-origin WebSocket (ws: and wss:) too.
      'connect-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      // the QR code of an invite is drawn as a data: image
      'img-src': ["'self'", 'data:', 'blob:'],
      'font-src': ["'self'"],
      'object-src': ["'none'"],
      'frame-ancestors': ["'none'"],
      'upgrade-insecure-requests': null,
    },
  },
  frameguard: { action: 'deny' },
});

/** The headers helmet sets, read once by running it against a response that only records them. */
function helmetHeaderValues(): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  const recorder = {
    setHeader(name: string, value: string | number | string[]) {
      headers[name.toLowerCase()] = value;
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  securityHeaders({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return headers;
}

/**
 * Socket.IO answers its own HTTP requests (long-polling, the WebSocket upgrade, its refusals)
 * before Express sees them, so they get the same headers here: the engine's documented
 * `headers` event for every answer of a session, the upgrade's included, and a `request`
 * listener ahead of the engine's for the answers it gives outside a session (a refused
 * handshake, an unknown session id).
 */
export function addSecurityHeadersToEngine(http: HttpServer, io: SocketServer, path = '/socket.io/'): void {
  const values = helmetHeaderValues();
  io.engine.on('headers', (headers: Record<string, unknown>) => {
    Object.assign(headers, values);
  });
  http.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith(path)) return;
    for (const [name, value] of Object.entries(values)) if (value !== undefined) res.setHeader(name, value);
  });
}
