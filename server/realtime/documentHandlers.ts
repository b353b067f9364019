import { AppError, ErrorCode } from '../../shared/protocol/errors';
import { DOC_NAMES, mayOpenDocument, type DocMessage, type DocName } from '../../shared/protocol/documents';
import { docChannel } from '../documents/documentRelay';
import type { DocHandle } from '../documents/documentRegistry';
import { removeSocket } from '../documents/presenceOwnership';
import type { RoomDocuments } from '../documents/roomDocuments';
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
}

interface Held {
  roomId: string;
  handle: Promise<DocHandle>;
  /** the handle has resolved: a message for this document needs no await to open it */
  open: boolean;
}

const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024 + 64;

/**
 * Yjs room documents over Socket.IO, a thin adapter: parse, authorise per document, hand the
 * bytes to the document service (server/documents/roomDocuments.ts) and answer. What a document
 * takes reaches this node's holders and the other nodes through the relays that server/app.ts
 * gives the service. This module also keeps which socket holds which document, and joins the
 * socket to the document's channel, which is where the holders' relay sends.
 */
export function createDocumentHandlers(deps: DocumentHandlerDeps): RealtimeModule {
  const { io, dispatcher, documents, log } = deps;
  const maxMessageBytes = deps.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const held = new WeakMap<AppSocket, Map<DocName, Held>>();

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
    const handle = documents.open(roomId, docName);
    const entry: Held = { roomId, handle, open: false };
    mine.set(docName, entry);
    try {
      await handle;
      entry.open = true;
    } catch (err) {
      if (mine.get(docName) === entry) mine.delete(docName);
      throw err;
    }
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
        const { replies, stored } = await documents.receive(roomId, doc, new Uint8Array(message), {
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
  };
}

/** Whether the device said it does not wait on this message's ack (server/realtime/ackBatching.ts). */
function lazyAckAsked(payload: DocMessage): boolean {
  return payload.lazyAck === true;
}
