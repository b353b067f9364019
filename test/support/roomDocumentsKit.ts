import * as Y from 'yjs';
import { noRelay, type DocumentRelay } from '../../server/documents/documentRelay';
import type { ClientOrigin } from '../../server/documents/origins';
import { RoomDocuments, type WaitingLimits } from '../../server/documents/roomDocuments';
import type { DocStore } from '../../server/storage/types';
import { MemoryDocStore } from './memoryDocStore';

/** Helpers for the document service's tests (server/documents/*.test.ts). */

export const ROOM = 'room-1';
export const DOC = 'agreements';

/** The services a test made; `closeOpened` (in an afterEach) closes them. */
export const opened: RoomDocuments[] = [];
export async function closeOpened(): Promise<void> {
  await Promise.all(opened.splice(0).map((docs) => docs.close()));
}

export function setup(
  options: { store?: DocStore; compactEvery?: number; maxUpdateBytes?: number; maxDocBytes?: number; waiting?: Partial<WaitingLimits> } = {},
) {
  const store = options.store ?? new MemoryDocStore();
  const docs = new RoomDocuments({
    store,
    compactEvery: options.compactEvery,
    limits: { maxUpdateBytes: options.maxUpdateBytes, maxDocBytes: options.maxDocBytes },
    waiting: options.waiting,
  });
  opened.push(docs);
  return { store, docs };
}

export const client = (socketId: string): ClientOrigin => ({ kind: 'client', socketId });

/**
 * An entry the way the room's documents hold one (a map of texts under a root map), written
 * with Yjs alone: these tests are about moving updates, not about what the app keeps in them.
 */
export function addEntry(doc: Y.Doc, fields: { id?: string; title: string; body?: string }): string {
  const id = fields.id ?? `e${Math.random().toString(36).slice(2, 10)}`;
  doc.transact(() => {
    const entry = new Y.Map<Y.Text>();
    doc.getMap<Y.Map<Y.Text>>('agreements').set(id, entry);
    entry.set('title', new Y.Text(fields.title));
    entry.set('body', new Y.Text(fields.body ?? ''));
  });
  return id;
}

export function setBody(doc: Y.Doc, id: string, body: string): void {
  const text = doc.getMap<Y.Map<Y.Text>>('agreements').get(id)?.get('body');
  if (!text) throw new Error(`no entry ${id}`);
  doc.transact(() => {
    text.delete(0, text.length);
    text.insert(0, body);
  });
}

export const bodyOf = (doc: Y.Doc, id: string) => doc.getMap<Y.Map<Y.Text>>('agreements').get(id)?.get('body')?.toString();

/** An update that adds one entry, made on a scratch client document. */
export function agreementUpdate(title: string, body = ''): Uint8Array {
  const doc = new Y.Doc();
  addEntry(doc, { title, body });
  return Y.encodeStateAsUpdate(doc);
}

export const state = (doc: Y.Doc) => Array.from(Y.encodeStateAsUpdate(doc));
export const titles = (doc: Y.Doc) => [...doc.getMap<Y.Map<Y.Text>>('agreements').values()].map((entry) => entry.get('title')?.toString()).sort();

export function seededBytes(seed: number, length: number): Uint8Array {
  let s = seed >>> 0;
  return new Uint8Array(length).map(() => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s >>> 24;
  });
}

/** A client's update, checked, applied and durable: what a device is acked for. */
export async function applyClientUpdate(docs: RoomDocuments, roomId: string, docName: string, update: Uint8Array, origin: ClientOrigin): Promise<void> {
  const { stored } = await docs.submitClientUpdate(roomId, docName, update, origin);
  await stored;
}

const updateListeners = new WeakMap<RoomDocuments, Array<DocumentRelay['update']>>();

/** Hears every update the service relays to holders, as this node's holders would get it. */
export function onUpdate(docs: RoomDocuments, listener: DocumentRelay['update']): void {
  let listeners = updateListeners.get(docs);
  if (!listeners) {
    const all: Array<DocumentRelay['update']> = [];
    listeners = all;
    updateListeners.set(docs, all);
    docs.relayTo({ ...noRelay, update: (...args) => all.forEach((each) => each(...args)) });
  }
  listeners.push(listener);
}
