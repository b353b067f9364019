import { Adapter } from 'socket.io-adapter';
import type { z } from 'zod';
import { docPresenceAnswerSchema, docPresenceQuerySchema, docUpdateBroadcastSchema, type DocName } from '../../shared/protocol/documents';
import { isDocName, type DocumentRelay } from '../documents/documentRelay';
import { applyRemoteAwareness } from '../documents/presenceOwnership';
import type { RoomDocuments } from '../documents/roomDocuments';
import { awarenessMessage } from '../documents/syncMessages';
import type { Logger } from '../logger';
import type { AppServer } from '../realtime/eventDispatcher';

export interface DocumentClusterRelayDeps {
  io: AppServer;
  documents: Pick<RoomDocuments, 'peek' | 'applyRemoteUpdate' | 'refreshFromStore'>;
  log: Logger;
  /** subscribes to "the link between nodes is back after an outage" (redisCluster.ts) */
  onLinkRestored?: (listener: () => void) => () => void;
}

/** The relay to the other nodes, and what it needs undone at shutdown. */
export interface DocumentClusterRelay extends DocumentRelay {
  close(): void;
}

type NodeEvent = 'doc:update' | 'doc:awareness' | 'doc:presence';

/**
 * The documents across nodes: each node relays a change its copy takes to its own holders, and
 * this relay carries what the other nodes' copies need (rules RD-14 to RD-17,
 * docs/documents-rules.md):
 * - `doc:update`: a change this node stored, once it is in the store, never before. Pub/sub
 *   drops what is published while a node's subscriptions are down, and that node then catches
 *   up from the store once they are back; published after the write, a change is either
 *   delivered or already in the store when the node reads it; published before, it could be
 *   neither;
 * - `doc:awareness`: presence, so that each node's presence holds everyone's states and can
 *   answer a device that opens the document (the reply to its sync step 1);
 * - `doc:presence`: a node that has just loaded a document asks the others for theirs;
 * - after the link comes back, every loaded document is read again from the store.
 * What another node sends is parsed by its schema (nodes are peers, not trusted blindly).
 */
export function documentClusterRelay(deps: DocumentClusterRelayDeps): DocumentClusterRelay {
  const { io, documents, log } = deps;
  // The in-memory adapter has no other nodes (and warns on every serverSideEmit); a cluster
  // adapter, set at any time, overrides it.
  const clustered = () => io.of('/').adapter.serverSideEmit !== Adapter.prototype.serverSideEmit;

  function onFromNode<T>(event: NodeEvent, schema: z.ZodType<T>, handle: (args: T) => void): void {
    io.on(event, (...args: unknown[]) => {
      const parsed = schema.safeParse(args);
      if (parsed.success) handle(parsed.data);
      else log.warn({ event }, 'message from another node refused: malformed');
    });
  }

  // One that arrives while the document loads is kept for it by the service, bounded (RD-18).
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

  /** The presence the other nodes hold for a document, applied (and relayed) as it comes. */
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

  // While the link between nodes is down, other nodes' changes are lost: once this node's
  // subscriptions are back, it catches up from the store, and its holders get the whole state.
  const stopWatchingLink = deps.onLinkRestored?.(() => {
    documents
      .refreshFromStore()
      .then((refreshed) => log.info({ documents: refreshed }, 'documents caught up after the link between nodes came back'))
      .catch((err: unknown) => log.error({ err: err instanceof Error ? err.message : 'unknown' }, 'catching up documents failed'));
  });

  return {
    update: () => undefined,
    stored(roomId, docName, update) {
      if (isDocName(docName) && clustered()) io.serverSideEmit('doc:update', roomId, docName, update);
    },
    presence(roomId, docName, message, origin) {
      // Every node times out a state that stopped being renewed by itself; another node's change
      // is that node's to publish.
      if (origin.kind === 'remote' || origin.kind === 'timeout') return;
      if (isDocName(docName) && clustered()) io.serverSideEmit('doc:awareness', roomId, docName, message);
    },
    loaded(roomId, docName) {
      if (isDocName(docName) && clustered()) askOtherNodesForPresence(roomId, docName);
    },
    caughtUp: () => undefined,
    close() {
      stopWatchingLink?.();
    },
  };
}
