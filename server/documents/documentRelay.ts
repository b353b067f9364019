import * as Y from 'yjs';
import { DOC_NAMES, type DocName } from '../../shared/protocol/documents';
import type { AppServer } from '../realtime/eventDispatcher';
import type { PresenceOrigin, RelayedOrigin } from './origins';
import { updateMessage } from './syncMessages';

/**
 * Where the document service sends what a document took, forward only: this node's holders
 * (`holdersRelay`, below) and the other nodes (server/cluster/documentClusterRelay.ts). Each
 * call gets the typed origin, so a relay skips the sender or another node's change by its kind.
 */
export interface DocumentRelay {
  /** a change applied in memory (a client's, this server's, another node's): to holders at once (RD-09) */
  update(roomId: string, docName: string, update: Uint8Array, origin: RelayedOrigin): void;
  /** a change this node wrote is durable in the store (`update` is what was written) (RD-14) */
  stored(roomId: string, docName: string, update: Uint8Array): void;
  /** a presence change, as one whole awareness message (RD-16) */
  presence(roomId: string, docName: string, message: Uint8Array, origin: PresenceOrigin): void;
  /** this node has just read the document from the store for its first holder (RD-17) */
  loaded(roomId: string, docName: string): void;
  /** the document was read again from the store after the link between nodes came back (RD-15) */
  caughtUp(roomId: string, docName: string, doc: Y.Doc): void;
}

export const noRelay: DocumentRelay = {
  update: () => undefined,
  stored: () => undefined,
  presence: () => undefined,
  loaded: () => undefined,
  caughtUp: () => undefined,
};

/** Every relay in turn, in the order given. */
export function relayToEach(...relays: readonly DocumentRelay[]): DocumentRelay {
  return {
    update: (...args) => relays.forEach((relay) => relay.update(...args)),
    stored: (...args) => relays.forEach((relay) => relay.stored(...args)),
    presence: (...args) => relays.forEach((relay) => relay.presence(...args)),
    loaded: (...args) => relays.forEach((relay) => relay.loaded(...args)),
    caughtUp: (...args) => relays.forEach((relay) => relay.caughtUp(...args)),
  };
}

/** The sockets on every node that hold a document: only seats allowed to read it join. */
export const docChannel = (roomId: string, docName: DocName): string => `doc:${roomId}:${docName}`;

export function isDocName(value: string): value is DocName {
  return (DOC_NAMES as readonly string[]).includes(value);
}

/**
 * This node's holders of each document. A change goes to them at once, never back to the
 * socket that sent it; presence is volatile: a socket whose connection is backed up drops it
 * rather than queueing it, since the next move or renewal resends it and a queue of cursors
 * would only grow.
 */
export function holdersRelay(io: AppServer): DocumentRelay {
  const holders = (roomId: string, docName: DocName) => io.local.to(docChannel(roomId, docName));
  return {
    update(roomId, docName, update, origin) {
      if (!isDocName(docName)) return;
      const payload = { doc: docName, message: updateMessage(update) };
      if (origin.kind === 'client') holders(roomId, docName).except(origin.socketId).emit('doc:message', payload);
      else holders(roomId, docName).emit('doc:message', payload);
    },
    stored: () => undefined,
    presence(roomId, docName, message, origin) {
      if (!isDocName(docName)) return;
      const payload = { doc: docName, message };
      if (origin.kind === 'client') holders(roomId, docName).except(origin.socketId).volatile.emit('doc:message', payload);
      else holders(roomId, docName).volatile.emit('doc:message', payload);
    },
    loaded: () => undefined,
    // They apply only what they lack.
    caughtUp(roomId, docName, doc) {
      if (!isDocName(docName)) return;
      io.local.to(docChannel(roomId, docName)).emit('doc:message', { doc: docName, message: updateMessage(Y.encodeStateAsUpdate(doc)) });
    },
  };
}
