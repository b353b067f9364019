import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates, type Awareness } from 'y-protocols/awareness';
import * as sync from 'y-protocols/sync';
import * as Y from 'yjs';
import { AppError } from '../../shared/protocol/errors';
import type { ClientOrigin, RoomDocuments } from './roomDocuments';

/**
 * The y-protocols wire format, as y-websocket speaks it: each binary message starts with its
 * type, then the y-protocols payload. Any Yjs client that speaks y-protocols can sync with it.
 * The socket layer carries one document per binary event and says which room and document it
 * is for; these helpers only read and write the bytes.
 */
export const MessageType = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;

/**
 * What follows our step 2 in the answer to a client's sync step 1: our own step 1, then who else
 * is here. A device that has just opened the document sees the partner's cursor at once, not at
 * the partner's next move or presence renewal (up to 15 s later), as y-websocket's server does
 * on connecting.
 */
export function openingMessages(target: { doc: Y.Doc; awareness: Awareness }): Uint8Array[] {
  const messages = [syncStep1Message(target.doc)];
  const clients = [...target.awareness.getStates().keys()];
  if (clients.length > 0) messages.push(awarenessMessage(target.awareness, clients));
  return messages;
}

export function syncStep1Message(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  sync.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** An update to broadcast to the other holders of the document. */
export function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  sync.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** The current presence of the given clients (removed ones encode as removed). */
export function awarenessMessage(awareness: Awareness, clientIds: readonly number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.awareness);
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [...clientIds]));
  return encoding.toUint8Array(encoder);
}

/** What handling a client's message gave: replies for that client, and the write of its update. */
export interface ClientMessageOutcome {
  replies: Uint8Array[];
  /** settles once the update the message carried is durable; null when it carried none */
  stored: Promise<void> | null;
}

const NO_REPLIES: ClientMessageOutcome = Object.freeze({ replies: [], stored: null }) as ClientMessageOutcome;

/**
 * Answers one binary message from a client. Sync step 1 gets our step 2, our own step 1 and the
 * presence already there;
 * step 2 and updates go through `RoomDocuments.submitClientUpdate` (checked and applied when
 * this resolves, stored when `stored` settles); awareness is applied to the document's
 * presence. Returns the replies for that client only; broadcasting to others follows from the
 * 'update' and 'awareness' events.
 * Refusals are AppErrors: UPDATE_MALFORMED for bytes that do not parse, INVALID_PAYLOAD for an
 * unknown message type, FORBIDDEN for presence of a client that belongs to another socket,
 * NOT_IN_ROOM when the document is not open.
 */
export async function handleClientMessage(
  docs: RoomDocuments,
  roomId: string,
  docName: string,
  message: Uint8Array,
  origin: ClientOrigin,
): Promise<ClientMessageOutcome> {
  const target = docs.peek(roomId, docName);
  if (!target) throw new AppError('NOT_IN_ROOM', 'Open this document before sending changes to it.');
  const decoder = decoding.createDecoder(message);
  const messageType = readOrRefuse(() => decoding.readVarUint(decoder));
  switch (messageType) {
    case MessageType.sync: {
      const syncType = readOrRefuse(() => decoding.readVarUint(decoder));
      const payload = readOrRefuse(() => decoding.readVarUint8Array(decoder));
      switch (syncType) {
        case sync.messageYjsSyncStep1: {
          readOrRefuse(() => Y.decodeStateVector(payload));
          const encoder = encoding.createEncoder();
          encoding.writeVarUint(encoder, MessageType.sync);
          sync.writeSyncStep2(encoder, target.doc, payload);
          return { replies: [encoding.toUint8Array(encoder), ...openingMessages(target)], stored: null };
        }
        case sync.messageYjsSyncStep2:
        case sync.messageYjsUpdate: {
          const { stored } = await docs.submitClientUpdate(roomId, docName, payload, origin);
          return { replies: [], stored };
        }
        default:
          throw new AppError('INVALID_PAYLOAD');
      }
    }
    case MessageType.awareness: {
      const update = readOrRefuse(() => decoding.readVarUint8Array(decoder));
      // Passed on as sent only when it holds nothing but the update that was checked.
      applyClientAwareness(target.awareness, update, origin.socketId, decoder.pos === message.byteLength ? message : undefined);
      return NO_REPLIES;
    }
    case MessageType.queryAwareness:
      return { replies: [awarenessMessage(target.awareness, [...target.awareness.getStates().keys()])], stored: null };
    default:
      throw new AppError('INVALID_PAYLOAD');
  }
}

/** The largest presence state taken, as its JSON in UTF-8: a cursor, a name and a colour need a few hundred bytes. */
export const MAX_PRESENCE_STATE_BYTES = 4096;

/** Which socket introduced which awareness client ids, per document presence. */
const owners = new WeakMap<Awareness, Map<number, string>>();
/**
 * The one awareness client id each socket speaks for, per document presence: the first it
 * used, for as long as its state is there (a device whose editor starts again with a new
 * document removes its old state first, as the app's provider does; a state not renewed times
 * out after 30 s).
 */
const idOfSocket = new WeakMap<Awareness, Map<string, number>>();

function mapOf<K, V>(maps: WeakMap<Awareness, Map<K, V>>, awareness: Awareness): Map<K, V> {
  let map = maps.get(awareness);
  if (!map) {
    map = new Map();
    maps.set(awareness, map);
  }
  return map;
}

function ownersOf(awareness: Awareness): Map<number, string> {
  return mapOf(owners, awareness);
}

/**
 * The origin of a client's presence change, as the Awareness 'update' event gives it: the
 * socket, and the message as the client sent it, once checked, so the broadcast can pass
 * those bytes on instead of encoding the states again (JSON and all, for each change).
 */
export interface ClientAwarenessOrigin extends ClientOrigin {
  readonly message?: Uint8Array;
}

/**
 * Applies a client's presence update. A socket speaks for one awareness id per document at a
 * time, the first it uses while that state is there (PRESENCE_ONE_PER_CONNECTION for another),
 * and never for an id another socket
 * holds (FORBIDDEN), so one device cannot hide or impersonate the other's cursor, nor fill the
 * server with states; each state is at most MAX_PRESENCE_STATE_BYTES (PRESENCE_TOO_LARGE).
 * Refused as a whole: nothing of a refused update is applied. `message` is the whole awareness
 * message the update came in, handed to the 'update' listeners in the origin.
 */
export function applyClientAwareness(awareness: Awareness, update: Uint8Array, socketId: string, message?: Uint8Array): void {
  const entries = readOrRefuse(() => readAwarenessEntries(update));
  const owned = ownersOf(awareness);
  const socketIds = mapOf(idOfSocket, awareness);
  let own = socketIds.get(socketId);
  if (own !== undefined && !awareness.getStates().has(own)) own = undefined;
  for (const { clientId, stateBytes } of entries) {
    const owner = owned.get(clientId);
    if (owner !== undefined && owner !== socketId) throw new AppError('FORBIDDEN');
    if (own !== undefined && clientId !== own) throw new AppError('PRESENCE_ONE_PER_CONNECTION');
    own = clientId;
    if (stateBytes > MAX_PRESENCE_STATE_BYTES) throw new AppError('PRESENCE_TOO_LARGE');
  }
  if (own !== undefined) socketIds.set(socketId, own);
  readOrRefuse(() => applyAwarenessUpdate(awareness, update, { kind: 'client', socketId, message } satisfies ClientAwarenessOrigin));
  for (const { clientId, removed } of entries) {
    if (removed) owned.delete(clientId);
    else owned.set(clientId, socketId);
  }
}

/**
 * Applies a presence message another node relayed or answered with (a whole awareness message,
 * as `awarenessMessage` writes it). The origin carries the message, so the broadcast passes the
 * bytes on to this node's holders as they came. Returns false for a message that does not read.
 * Ownership is not recorded: the sockets that introduced these states are on another node, and
 * one of them may come back on this one with the same ids.
 */
export function applyRemoteAwareness(awareness: Awareness, message: Uint8Array, node: string): boolean {
  try {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) !== MessageType.awareness) return false;
    const update = decoding.readVarUint8Array(decoder);
    // The other node holds its own devices to the same bound.
    if (readAwarenessEntries(update).some((entry) => entry.stateBytes > MAX_PRESENCE_STATE_BYTES)) return false;
    applyAwarenessUpdate(awareness, update, { kind: 'remote', node, message: decoder.pos === message.byteLength ? message : undefined });
    return true;
  } catch {
    return false;
  }
}

/** Removes presence states, for clients that went away. */
export function removeClient(awareness: Awareness, clientIds: readonly number[]): void {
  const owned = ownersOf(awareness);
  for (const id of clientIds) owned.delete(id);
  removeAwarenessStates(awareness, [...clientIds], 'disconnect');
}

/** Removes every presence state a socket introduced; returns their ids. Call on disconnect. */
export function removeSocket(awareness: Awareness, socketId: string): number[] {
  mapOf(idOfSocket, awareness).delete(socketId);
  const ids = [...ownersOf(awareness)].filter(([, owner]) => owner === socketId).map(([id]) => id);
  if (ids.length > 0) removeClient(awareness, ids);
  return ids;
}

interface AwarenessEntry {
  clientId: number;
  removed: boolean;
  /** the state's JSON as sent, in UTF-8 bytes */
  stateBytes: number;
}

function readAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  // Each entry takes at least three bytes: a larger count is not a real one.
  if (count * 3 > update.byteLength) throw new Error('count beyond the update');
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    const stateBytes = decoding.peekVarUint(decoder);
    const state = decoding.readVarString(decoder);
    if (decoder.pos > update.byteLength) throw new Error('truncated');
    JSON.parse(state);
    entries.push({ clientId, removed: state === 'null', stateBytes });
  }
  return entries;
}


function readOrRefuse<T>(read: () => T): T {
  try {
    return read();
  } catch {
    throw new AppError('UPDATE_MALFORMED');
  }
}
