/**
 * The peers the benchmark compares against, each run alone in its own process:
 * `node --import tsx test/load/servers/peerServers.ts <y-websocket|hocuspocus|relay|socket.io-relay> <port>`.
 * Each tells the parent over IPC when it listens, and exits when the parent goes away.
 */
// First, as in our server (server/app.ts): Socket.IO's libraries must get the silent `debug`
// before they load, or the Socket.IO relay would pay for logging that ours does not.
import '../../../server/realtime/quietLibraryDebug';
import { createServer, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { Server as HocuspocusServer } from '@hocuspocus/server';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SystemName } from '../types';

const require = createRequire(import.meta.url);

/** y-websocket's own server code (bin/utils), as its `y-websocket` binary runs it, without persistence. */
async function startYWebsocket(port: number): Promise<void> {
  const { setupWSConnection } = require('y-websocket/bin/utils') as {
    setupWSConnection(conn: WebSocket, req: IncomingMessage, options?: { gc?: boolean }): void;
  };
  const http = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on('connection', (conn, req) => setupWSConnection(conn, req, { gc: true }));
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
}

/** Hocuspocus 3 with no extensions (so no persistence): its defaults otherwise. */
async function startHocuspocus(port: number): Promise<void> {
  const server = new HocuspocusServer({ port, address: '127.0.0.1', quiet: true, stopOnSignals: false });
  await server.listen();
}

/**
 * The floor: forwards each message to the other sockets of the same room (the URL path) and
 * understands nothing, stores nothing.
 */
async function startRelay(port: number): Promise<void> {
  const rooms = new Map<string, Set<WebSocket>>();
  const http = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on('connection', (ws, req) => {
    const name = req.url ?? '/';
    let room = rooms.get(name);
    if (!room) rooms.set(name, (room = new Set()));
    const members = room;
    members.add(ws);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      for (const other of members) if (other !== ws) other.send(data, { binary: isBinary });
    });
    ws.on('close', () => {
      members.delete(ws);
      if (members.size === 0) rooms.delete(name);
    });
  });
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
}

/**
 * The floor for Socket.IO itself: a stock Socket.IO server (the package ours uses) that puts each
 * socket in the room its handshake names (`?room=r12`) and sends every `doc:message` on to the
 * room's other sockets. It understands nothing else, stores nothing and acknowledges nothing, so
 * what it costs per edit is the transport ours is built on, as ours sets it up, without any of
 * our own work.
 */
async function startSocketIORelay(port: number): Promise<void> {
  // Loaded here, not at the top, so that it can only ever come after quietLibraryDebug.
  const { Server } = await import('socket.io');
  // Socket.IO as ours runs it: one write per event (server/realtime/frameCoalescing.ts), so the
  // difference between the two is our own work, not a setting.
  const { coalesceWebSocketFrames } = await import('../../../server/realtime/frameCoalescing');
  coalesceWebSocketFrames();
  const http = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  // No connection state recovery (the default): ours keeps no copies of `doc:message` either.
  const io = new Server(http, { transports: ['websocket'], perMessageDeflate: false, serveClient: false });
  io.on('connection', (socket) => {
    const room = socket.handshake.query.room;
    if (typeof room !== 'string' || !room) {
      socket.disconnect(true);
      return;
    }
    void socket.join(room);
    socket.on('doc:message', (payload: unknown) => {
      socket.to(room).emit('doc:message', payload);
    });
  });
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
}

const starters = {
  'y-websocket': startYWebsocket,
  hocuspocus: startHocuspocus,
  relay: startRelay,
  'socket.io-relay': startSocketIORelay,
} as const satisfies Record<Exclude<SystemName, 'ours'>, (port: number) => Promise<void>>;

async function main(): Promise<void> {
  const [kind, portText] = process.argv.slice(2);
  const start = starters[kind as keyof typeof starters];
  if (!start) throw new Error(`unknown peer ${kind}`);
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
  await start(Number(portText));
  process.send?.({ type: 'listening' });
}

void main();
