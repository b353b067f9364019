import { WebSocket } from 'ws';
import { PROTOCOL_VERSION } from '../../shared/protocol/version';

/**
 * A device that joins a room over a raw websocket, speaking Engine.IO and Socket.IO frames by
 * hand, and then stops reading: `pause()` stops reading its TCP socket, as a script (or a
 * stalled phone) would, so the kernel's buffers fill and the server's start to.
 */
export async function stalledDevice(url: string, credentials: { roomId: string; deviceToken: string }) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
  const frames: string[] = [];
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = String(data);
      frames.push(frame);
      if (frame === '2') ws.send('3');
      else if (frame.startsWith('0')) ws.send(`40${JSON.stringify({ protocolVersion: PROTOCOL_VERSION })}`);
      else if (frame.startsWith('40')) ws.send(`421${JSON.stringify(['room:join', credentials])}`);
      else if (frame.startsWith('431')) (frame.includes('"ok":true') ? resolve() : reject(new Error('join refused')));
    });
  });
  return { ws, frames, closed };
}
