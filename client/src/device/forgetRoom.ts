import { seatStore } from './seatStore';

/** Every IndexedDB database this device keeps for a room starts with this. */
function databasePrefix(roomId: string): string {
  return `common-ground:${roomId}:`;
}

/** The IndexedDB database (y-indexeddb) that keeps this device's copy of one of the room's documents. */
export function roomDocumentDatabase(roomId: string, docName: string): string {
  return `${databasePrefix(roomId)}${docName}`;
}

/** Why this device forgot a room: it was deleted (or expired), or this device was signed out of it. */
export type ForgetReason = 'deleted' | 'signed-out';

const FORGOTTEN_KEY = 'commonground.forgotten.v1';
/** Markers kept, newest kept: enough for every room a phone is ever likely to have been in. */
const FORGOTTEN_KEPT = 50;

/**
 * Who deleted a room, as the device was told: this device's own person, or someone else by the
 * display name the room had for them (the server's `room:deleted`).
 */
export type DeletedBy = { you: true } | { you: false; name: string };

/** A marker: the reason alone, or for a deletion, the reason and who deleted the room. */
type Marker = ForgetReason | { why: 'deleted'; by: DeletedBy };

function readForgotten(): Record<string, Marker> {
  try {
    return JSON.parse(localStorage.getItem(FORGOTTEN_KEY) ?? '{}') as Record<string, Marker>;
  } catch {
    return {};
  }
}

/**
 * Why this device forgot the room, if it did: all it keeps of a forgotten room is this marker
 * (room id, reason and, for a deletion, who deleted it; nothing anyone wrote), so a reload can
 * say the room was deleted, and by whom, or the device signed out, rather than advise asking for
 * an invite the room cannot give.
 */
export function whyForgotten(roomId: string): ForgetReason | null {
  const marker = readForgotten()[roomId];
  if (marker === undefined) return null;
  return typeof marker === 'string' ? marker : marker.why;
}

/** Who deleted the room, if this device forgot it for that reason and was told who. */
export function deletedBy(roomId: string): DeletedBy | null {
  const marker = readForgotten()[roomId];
  return typeof marker === 'object' && marker !== null && marker.why === 'deleted' ? marker.by : null;
}

function rememberForgotten(roomId: string, marker: Marker): void {
  const { [roomId]: _previous, ...others } = readForgotten();
  const kept = Object.entries(others).slice(-(FORGOTTEN_KEPT - 1));
  localStorage.setItem(FORGOTTEN_KEY, JSON.stringify(Object.fromEntries([...kept, [roomId, marker]])));
}

type Listener = () => void;
const listeners = new Map<string, Set<Listener>>();

/**
 * Called when the room is forgotten, before its databases are deleted: an open copy closes its
 * connection then, so the deletion is not held up and nothing is written to it afterwards.
 */
export function onRoomForgotten(roomId: string, listener: Listener): () => void {
  let set = listeners.get(roomId);
  if (!set) listeners.set(roomId, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/**
 * Removes everything this device keeps of a room: its seat (the device token and the room as
 * last seen) at once, and its copies of the room's documents in IndexedDB. Called when the
 * server says the room is gone (`room:deleted`, `ROOM_NOT_FOUND`) or that this device no longer
 * holds its seat (`seat:revoked`, `TOKEN_REVOKED`, `TOKEN_INVALID`, `JOIN_REFUSED`): either way
 * nothing here can ever be synced again, and what two people wrote should not outlive the room
 * on a phone. Only the marker of why (and, for a deletion, by whom) stays (whyForgotten,
 * deletedBy). Resolves once the databases are gone.
 */
export async function forgetRoomOnDevice(roomId: string, why: ForgetReason, by?: DeletedBy | null): Promise<void> {
  seatStore.forget(roomId);
  rememberForgotten(roomId, why === 'deleted' && by ? { why, by } : why);
  for (const key of Object.keys(sessionStorage)) if (key.includes(roomId)) sessionStorage.removeItem(key);
  for (const listener of [...(listeners.get(roomId) ?? [])]) listener();
  listeners.delete(roomId);
  if (typeof indexedDB === 'undefined') return;
  const names = new Set([roomDocumentDatabase(roomId, 'agreements')]);
  try {
    // Where the browser can list them, any other copy of the room's goes too.
    for (const db of await indexedDB.databases()) if (db.name?.startsWith(databasePrefix(roomId))) names.add(db.name);
  } catch {
    // listing is not supported everywhere; the known database is deleted all the same
  }
  await Promise.all([...names].map(deleteDatabase));
}

/** Settles once the database is deleted (or could not be); waits while an open connection closes. */
function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
  });
}
