import { Adapter } from 'socket.io-adapter';
import type { z } from 'zod';
import * as Y from 'yjs';
import { AppError, ErrorCode } from '../../shared/protocol/errors';
import {
  DOC_NAMES,
  docPresenceAnswerSchema,
  docPresenceQuerySchema,
  docUpdateBroadcastSchema,
  mayOpenDocument,
  type DocMessage,
  type DocName,
} from '../../shared/protocol/documents';
import {
  applyRemoteAwareness,
  awarenessMessage,
  handleClientMessage,
  removeSocket,
  updateMessage,
  type DocHandle,
  type RoomDocuments,
  type UpdateOrigin,
} from '../documents';
import type { Logger } from '../logger';
import { AnswerLater, type AppServer, type AppSocket, type EventDispatcher } from './eventDispatcher';
import { roomChannel, type RealtimeModule } from './realtimeModule';

export interface DocumentHandlerDeps {
  io: AppServer;
  dispatcher: EventDispatcher;
  documents: RoomDocuments;
  log: Logger;
  /** the largest y-protocols message accepted, framing included; larger ones get UPDATE_TOO_LARGE */
  maxMessageBytes?: number;
  /** subscribes to "the link between nodes is back after an outage" (server/cluster/redisCluster.ts) */
  onLinkRestored?: (listener: () => void) => () => void;
}

/** The sockets on every node that hold a document: only seats allowed to read it join. */
export const docChannel = (roomId: string, docName: DocName): string => `doc:${roomId}:${docName}`;

interface Held {
  roomId: string;
  handle: Promise<DocHandle>;
  /** the handle has resolved: a message for this document needs no await to open it */
  open: boolean;
}

const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024 + 64;

/**
 * Yjs room documents over Socket.IO: parse, authorise per document, hand the bytes to
 * RoomDocuments. Each node relays every change its copy of a document takes to its own holders
 * at once; a change this node stored goes to the other nodes' copies once it is durable, and
 * each of them relays it to its holders in turn.
 */
export function createDocumentHandlers(deps: DocumentHandlerDeps): RealtimeModule {
  const { io, dispatcher, documents, log } = deps;
  const maxMessageBytes = deps.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const held = new WeakMap<AppSocket, Map<DocName, Held>>();
  /** Documents this module is loading, so that only their first opener asks the other nodes for presence. */
  const loading = new Set<string>();

  // The in-memory adapter has no other nodes (and warns on every serverSideEmit); a cluster
  // adapter, set at any time, overrides it.
  const clustered = () => io.of('/').adapter.serverSideEmit !== Adapter.prototype.serverSideEmit;

  // Every change this node's copy takes (a client's, this server's, another node's) goes to
  // this node's holders at once, never back to the socket that sent it.
  const unsubscribeUpdates = documents.on('update', (roomId, docName, update, origin: UpdateOrigin) => {
    if (origin.kind === 'storage') return;
    if (!isDocName(docName)) return;
    const target = io.local.to(docChannel(roomId, docName));
    const payload = { doc: docName, message: updateMessage(update) };
    if (origin.kind === 'client') target.except(origin.socketId).emit('doc:message', payload);
    else target.emit('doc:message', payload);
  });

  // The other nodes get a change once it is in the store, never before: pub/sub drops what is
  // published while a node's subscriptions are down, and that node then catches up from the
  // store once they are back (below). Published after the write, a change is either delivered
  // or already in the store when the node reads it; published before, it could be neither.
  const unsubscribeStored = documents.on('stored', (roomId, docName, update) => {
    if (isDocName(docName) && clustered()) io.serverSideEmit('doc:update', roomId, docName, update);
  });

  // Presence crosses nodes the way updates do (`doc:awareness`), so that each node's presence
  // holds everyone's states and can answer a device that opens the document (the reply to its
  // sync step 1) or a node that has just loaded it (`doc:presence`).
  const unsubscribeAwareness = documents.on('awareness', (roomId, docName, change, origin) => {
    if (!isDocName(docName)) return;
    const target = documents.peek(roomId, docName);
    if (!target) return;
    if (change.added.length + change.updated.length + change.removed.length === 0) return;
    const channel = io.local.to(docChannel(roomId, docName));
    const sender = clientSocketOf(origin);
    // A client's own message, already checked, and another node's go on as they came; other
    // changes (a socket that left) are encoded from the states.
    const message = relayedMessageOf(origin) ?? awarenessMessage(target.awareness, [...change.added, ...change.updated, ...change.removed]);
    const payload = { doc: docName, message };
    // Volatile: a socket whose connection is backed up drops presence instead of queueing it;
    // the next move or renewal resends it, and a queue of cursors would only grow.
    if (sender) channel.except(sender).volatile.emit('doc:message', payload);
    else channel.volatile.emit('doc:message', payload);
    // Every node times out a state that stopped being renewed by itself; another node's change
    // is that node's to publish.
    if (!isRemote(origin) && origin !== 'timeout' && clustered()) io.serverSideEmit('doc:awareness', roomId, docName, message);
  });

  // While the link between nodes was down, other nodes' changes were lost. Once this node's
  // subscriptions are back, catch up from the store, then give this node's holders the whole
  // state: they apply only what they lack.
  const stopWatchingLink = deps.onLinkRestored?.(() => {
    documents
      .refreshFromStore()
      .then((refreshed) => {
        for (const { roomId, docName, doc } of refreshed) {
          if (!isDocName(docName)) continue;
          io.local.to(docChannel(roomId, docName)).emit('doc:message', { doc: docName, message: updateMessage(Y.encodeStateAsUpdate(doc)) });
        }
        log.info({ documents: refreshed.length }, 'documents caught up after the link between nodes came back');
      })
      .catch((err: unknown) => log.error({ err: err instanceof Error ? err.message : 'unknown' }, 'catching up documents failed'));
  });

  /** Another node's message: parsed by its schema (nodes are peers, not trusted blindly), else logged and dropped. */
  function onFromNode<T>(event: 'doc:update' | 'doc:awareness' | 'doc:presence', schema: z.ZodType<T>, handle: (args: T) => void): void {
    io.on(event, (...args: unknown[]) => {
      const parsed = schema.safeParse(args);
      if (parsed.success) handle(parsed.data);
      else log.warn({ event }, 'message from another node refused: malformed');
    });
  }

  // One that arrives while the document loads is kept for it by RoomDocuments, bounded.
  onFromNode('doc:update', docUpdateBroadcastSchema, ([roomId, docName, update]) => {
    documents.applyRemoteUpdate(roomId, docName, new Uint8Array(update), 'peer');
  });

  onFromNode('doc:awareness', docUpdateBroadcastSchema, ([roomId, docName, message]) => {
    const target = documents.peek(roomId, docName);
    if (target && !applyRemoteAwareness(target.awareness, new Uint8Array(message), 'peer')) {
      log.warn({ event: 'doc:awareness', roomId, docName }, 'presence from another node refused: unreadable');
    }
  });

  onFromNode('doc:presence', docPresenceQuerySchema, ([roomId, docName, answer]) => {
    const target = documents.peek(roomId, docName);
    const clients = target ? [...target.awareness.getStates().keys()] : [];
    answer(target && clients.length > 0 ? awarenessMessage(target.awareness, clients) : null);
  });

  /** After loading a document: the presence the other nodes hold for it, applied (and relayed) as it comes. */
  function askOtherNodesForPresence(roomId: string, docName: DocName): void {
    // The adapter gives up on a node that has not answered after its request timeout (5 s).
    io.serverSideEmit('doc:presence', roomId, docName, (err: Error | null, answers: unknown[]) => {
      const target = documents.peek(roomId, docName);
      if (!target) return;
      // A node that did not answer in time (err) leaves the others' answers usable.
      for (const answer of answers ?? []) {
        const parsed = docPresenceAnswerSchema.safeParse(answer);
        if (!parsed.success) log.warn({ event: 'doc:presence' }, 'presence answer from another node refused: malformed');
        else if (parsed.data) applyRemoteAwareness(target.awareness, new Uint8Array(parsed.data), 'peer');
      }
      if (err) log.info({ event: 'doc:presence', roomId }, 'a node did not answer the presence query in time');
    });
  }

  function heldBy(socket: AppSocket): Map<DocName, Held> {
    let map = held.get(socket);
    if (!map) {
      map = new Map();
      held.set(socket, map);
    }
    return map;
  }

  async function openFor(socket: AppSocket, roomId: string, docName: DocName): Promise<void> {
    const mine = heldBy(socket);
    const existing = mine.get(docName);
    if (existing?.roomId === roomId) {
      await existing.handle;
      return;
    }
    if (existing) await releaseOne(socket, docName, existing);
    const key = `${roomId}\u0000${docName}`;
    const firstLoad = !documents.isLoaded(roomId, docName) && !loading.has(key);
    if (firstLoad) loading.add(key);
    const handle = documents.open(roomId, docName);
    const entry: Held = { roomId, handle, open: false };
    mine.set(docName, entry);
    try {
      await handle;
      entry.open = true;
    } catch (err) {
      if (mine.get(docName) === entry) mine.delete(docName);
      throw err;
    } finally {
      if (firstLoad) loading.delete(key);
    }
    if (firstLoad && clustered()) askOtherNodesForPresence(roomId, docName);
    // Joined only once loaded, so every update broadcast to the channel applies on top of
    // what this socket will get from its sync step 1.
    await socket.join(docChannel(roomId, docName));
    // It may have gone while the document loaded: then give the reference straight back.
    if (!socket.connected || socket.data.roomId !== roomId || mine.get(docName) !== entry) {
      await releaseOne(socket, docName, entry);
    }
  }

  async function releaseOne(socket: AppSocket, docName: DocName, entry: Held): Promise<void> {
    const mine = held.get(socket);
    if (mine?.get(docName) === entry) mine.delete(docName);
    await socket.leave(docChannel(entry.roomId, docName));
    const handle = await entry.handle.catch(() => null);
    if (!handle) return;
    try {
      removeSocket(handle.awareness, socket.id);
    } catch (err) {
      log.warn({ roomId: entry.roomId, docName, err: err instanceof Error ? err.message : 'unknown' }, 'presence removal failed');
    }
    await handle.release();
  }

  async function releaseAll(socket: AppSocket, roomId?: string): Promise<void> {
    const mine = held.get(socket);
    if (!mine) return;
    for (const [docName, entry] of [...mine]) {
      if (roomId === undefined || entry.roomId === roomId) await releaseOne(socket, docName, entry);
    }
  }

  return {
    name: 'documents',
    register() {
      dispatcher.on('doc:message', async (socket, { doc, message }) => {
        const { roomId, role } = socket.data;
        // A deleted room's sockets were taken out of its channel: they may not write to it again.
        if (!roomId || !socket.rooms.has(roomChannel(roomId))) throw new AppError(ErrorCode.NOT_IN_ROOM);
        if (!mayOpenDocument(doc, role)) throw new AppError(ErrorCode.DOC_NOT_ALLOWED);
        if (message.byteLength > maxMessageBytes) throw new AppError(ErrorCode.UPDATE_TOO_LARGE);
        if (!socket.connected) return;
        const mine = held.get(socket)?.get(doc);
        if (!(mine?.open && mine.roomId === roomId)) await openFor(socket, roomId, doc);
        // A copy: Socket.IO may hand us a view into a larger pooled buffer.
        const { replies, stored } = await handleClientMessage(documents, roomId, doc, new Uint8Array(message), {
          kind: 'client',
          socketId: socket.id,
          seat: socket.data.seat ?? undefined,
        });
        for (const reply of replies) socket.emit('doc:message', { doc, message: reply });
        // Applied and relayed: this socket's next message goes ahead while the write finishes,
        // and the ack still says the edit is durable.
        return stored ? new AnswerLater(stored) : undefined;
      }, { lazyAck: lazyAckAsked });
    },

    onDisconnect(socket) {
      releaseAll(socket).catch((err: unknown) =>
        log.error({ socketId: socket.id, err: err instanceof Error ? err.message : 'unknown' }, 'releasing documents failed'),
      );
    },

    async onJoin(socket) {
      const { roomId, role } = socket.data;
      if (!roomId) return;
      // The shared agreements open with the room, so this socket hears every change from now on.
      if (mayOpenDocument('agreements', role)) await openFor(socket, roomId, 'agreements');
    },

    async onLeave(socket, roomId) {
      await releaseAll(socket, roomId);
    },

    async onRoomDeleted(roomId) {
      documents.discardRoom(roomId);
      for (const docName of DOC_NAMES) io.in(docChannel(roomId, docName)).socketsLeave(docChannel(roomId, docName));
    },

    async close() {
      stopWatchingLink?.();
      unsubscribeUpdates();
      unsubscribeStored();
      unsubscribeAwareness();
      await documents.close();
    },
  };
}

/** Whether the device said it does not wait on this message's ack (server/realtime/ackBatching.ts). */
function lazyAckAsked(payload: DocMessage): boolean {
  return payload.lazyAck === true;
}

function isDocName(value: string): value is DocName {
  return (DOC_NAMES as readonly string[]).includes(value);
}

function relayedMessageOf(origin: unknown): Uint8Array | null {
  // Awareness also reports changes with string origins ('local', 'disconnect', 'timeout').
  if (typeof origin !== 'object' || origin === null) return null;
  const message = (origin as { message?: unknown }).message;
  return message instanceof Uint8Array ? message : null;
}

function isRemote(origin: unknown): boolean {
  return typeof origin === 'object' && origin !== null && (origin as { kind?: unknown }).kind === 'remote';
}

function clientSocketOf(origin: unknown): string | null {
  if (typeof origin !== 'object' || origin === null) return null;
  const { kind, socketId } = origin as { kind?: unknown; socketId?: unknown };
  return kind === 'client' && typeof socketId === 'string' ? socketId : null;
}
