import * as decoding from 'lib0/decoding';
import { applyAwarenessUpdate, removeAwarenessStates, type Awareness } from 'y-protocols/awareness';
import { YjsMessageType } from '../../shared/documents/yjsMessages';
import { AppError } from '../../shared/protocol/errors';
import { DISCONNECT_ORIGIN, type PresenceOrigin } from './origins';
import { readOrRefuse } from './syncMessages';

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
 * Applies a client's presence update (RD-16). A socket speaks for one awareness id per document
 * at a time, the first it uses while that state is there (PRESENCE_ONE_PER_CONNECTION for
 * another), and never for an id another socket holds (FORBIDDEN), so one device cannot hide or
 * impersonate the other's cursor, nor fill the server with states; each state is at most
 * MAX_PRESENCE_STATE_BYTES (PRESENCE_TOO_LARGE). Refused as a whole: nothing of a refused update
 * is applied. `message` is the whole awareness message the update came in, carried in the
 * origin so the relay passes it on as sent.
 */
export function applyClientAwareness(
  awareness: Awareness,
  update: Uint8Array,
  sender: { readonly socketId: string; readonly seat?: string },
  message?: Uint8Array,
): void {
  const { socketId } = sender;
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
  const origin: PresenceOrigin = { kind: 'client', socketId, seat: sender.seat, message };
  readOrRefuse(() => applyAwarenessUpdate(awareness, update, origin));
  for (const { clientId, removed } of entries) {
    if (removed) owned.delete(clientId);
    else owned.set(clientId, socketId);
  }
}

/**
 * Applies a presence message another node relayed or answered with (a whole awareness message,
 * as `awarenessMessage` writes it). The origin carries the message, so the relay passes the
 * bytes on to this node's holders as they came. Returns false for a message that does not read.
 * Ownership is not recorded: the sockets that introduced these states are on another node, and
 * one of them may come back on this one with the same ids.
 */
export function applyRemoteAwareness(awareness: Awareness, message: Uint8Array, node: string): boolean {
  try {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) !== YjsMessageType.awareness) return false;
    const update = decoding.readVarUint8Array(decoder);
    // The other node holds its own devices to the same bound.
    if (readAwarenessEntries(update).some((entry) => entry.stateBytes > MAX_PRESENCE_STATE_BYTES)) return false;
    const origin: PresenceOrigin = { kind: 'remote', node, message: decoder.pos === message.byteLength ? message : undefined };
    applyAwarenessUpdate(awareness, update, origin);
    return true;
  } catch {
    return false;
  }
}

/** Removes presence states, for clients that went away. */
function removeClient(awareness: Awareness, clientIds: readonly number[]): void {
  const owned = ownersOf(awareness);
  for (const id of clientIds) owned.delete(id);
  removeAwarenessStates(awareness, [...clientIds], DISCONNECT_ORIGIN);
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
