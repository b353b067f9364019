/**
 * The peers the benchmark compares against, each run alone in its own process:
 * `node --import tsx test/load/servers/peerServers.ts <y-websocket|hocuspocus|relay> <port>`.
 * Each tells the parent over IPC when it listens, and exits when the parent goes away.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { Server as HocuspocusServer } from '@hocuspocus/server';
import { WebSocketServer, type WebSocket } from 'ws';

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

const starters = { 'y-websocket': startYWebsocket, hocuspocus: startHocuspocus, relay: startRelay } as const;

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
