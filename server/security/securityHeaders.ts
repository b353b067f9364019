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

/**
 * Socket.IO answers its own HTTP requests (long-polling, the WebSocket upgrade, its refusals)
 * before Express sees them, so they get the same headers through the engine's own middleware
 * seam (`io.engine.use`, Socket.IO's documented way to run Express middleware such as helmet).
 * Engine.IO runs it before it checks a request, so a refused handshake or an unknown session id
 * carries them too; on a WebSocket upgrade the headers go into the 101 answer.
 */
export function addSecurityHeadersToEngine(io: SocketServer): void {
  io.engine.use(securityHeaders);
}
