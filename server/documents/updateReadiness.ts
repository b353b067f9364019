import * as Y from 'yjs';
import type { StructId, UpdateStruct, UpdateStructure } from './updateStructure';

/**
 * Whether an update would integrate into a document completely, decided before applying it.
 * Yjs keeps what it cannot integrate yet as "pending" parts inside the document, merged again
 * with every later update (1.3 ms per update with 2,000 small parts waiting, 90 ms with 255 KB
 * waiting) and, for structs of many clients with unknown origins, integrating them costs time
 * quadratic in the number of clients (2.7 s for 255 KB). So the server applies an update only
 * once everything it builds on is in the document; until then it waits outside the document,
 * bounded (see RoomDocuments).
 *
 * The walk follows Yjs's `integrateStructs`: a client's structs integrate in clock order from
 * the document's state for that client, and each item once its origin, right origin and parent
 * are in the document or integrated from the update before it. Every struct is visited once,
 * with a heap per client of the structs waiting on it, so the cost is linear (times a log) in
 * the update's size.
 */

/** Something the document must hold first: the state of `client` reaching `state`. */
export interface Need {
  readonly client: number;
  readonly state: number;
}

export type Readiness =
  | { readonly kind: 'ready' }
  | { readonly kind: 'waiting'; readonly needs: readonly Need[] }
  /** parts that wait on each other, or an item pointing at a later clock of its own client: never integrates */
  | { readonly kind: 'impossible' };

export function readinessOf(doc: Y.Doc, structure: UpdateStructure): Readiness {
  const reach = new Map<number, number>();
  const reachOf = (client: number): number => {
    let state = reach.get(client);
    if (state === undefined) {
      state = Y.getState(doc.store, client);
      reach.set(client, state);
    }
    return state;
  };
  const next = new Map<number, number>();
  const finished = (client: number): boolean => {
    const structs = structure.clients.get(client);
    return !structs || (next.get(client) ?? 0) >= structs.length;
  };
  const waitingOn = new Map<number, MinHeap>();
  const queue: number[] = [...structure.clients.keys()];

  while (queue.length > 0) {
    const client = queue.pop() as number;
    const structs = structure.clients.get(client) as readonly UpdateStruct[];
    let index = next.get(client) ?? 0;
    advancing: while (index < structs.length) {
      const struct = structs[index] as UpdateStruct;
      if (struct.kind === 'skip') {
        index += 1;
        continue;
      }
      if (struct.clock > reachOf(client)) {
        // The client's earlier structs are in no update we have: Yjs's "offset < 0".
        return waitingFor({ client, state: struct.clock });
      }
      if (struct.kind === 'item') {
        for (let r = 0; r < 3; r++) {
          const refClient = r === 0 ? struct.originClient : r === 1 ? struct.rightClient : struct.parentClient;
          const refClock = r === 0 ? struct.originClock : r === 1 ? struct.rightClock : struct.parentClock;
          if (refClient < 0) continue;
          if (refClient === client) {
            if (refClock >= struct.clock) return { kind: 'impossible' };
            continue;
          }
          if (refClock < reachOf(refClient)) continue;
          if (finished(refClient)) return waitingFor({ client: refClient, state: refClock + 1 });
          heapOf(waitingOn, refClient).push(refClock + 1, client);
          break advancing;
        }
      }
      reach.set(client, Math.max(reachOf(client), struct.clock + struct.length));
      index += 1;
      next.set(client, index);
      const waiters = waitingOn.get(client);
      while (waiters && waiters.size > 0 && waiters.peekKey() <= reachOf(client)) queue.push(waiters.pop());
    }
    next.set(client, index);
    // Whoever waits on a client that can go no further here waits on the document instead.
    const waiters = waitingOn.get(client);
    if (index >= structs.length && waiters && waiters.size > 0) return waitingFor({ client, state: waiters.peekKey() });
  }

  let blocked = false;
  for (const client of structure.clients.keys()) if (!finished(client)) blocked = true;
  for (const range of structure.deletes) {
    const end = range.clock + range.length;
    if (end <= reachOf(range.client)) continue;
    // A deleted range beyond what the document and this update hold: Yjs keeps it pending.
    if (finished(range.client)) return waitingFor({ client: range.client, state: end });
    blocked = true;
  }
  return blocked ? { kind: 'impossible' } : { kind: 'ready' };
}

/** Whether the document now holds everything these needs named. */
export function needsMet(doc: Y.Doc, needs: readonly Need[]): boolean {
  return needs.every((need) => Y.getState(doc.store, need.client) >= need.state);
}

/**
 * How deep the deepest shared type the update adds would sit (a root type's children are at 1),
 * counting at most `cap + 1`; 0 when it adds none. Call only for a ready update.
 */
export function deepestNewType(doc: Y.Doc, structure: UpdateStructure, cap: number): number {
  const typeDepths = new Map<Y.AbstractType<unknown>, number>();
  const typeDepth = (type: Y.AbstractType<unknown>): number => {
    const known = typeDepths.get(type);
    if (known !== undefined) return known;
    let depth = 0;
    for (let item = type._item; item !== null && depth <= cap; item = (item.parent as Y.AbstractType<unknown>)._item) depth += 1;
    typeDepths.set(type, depth);
    return depth;
  };
  // The depth of the type holding each struct of the update, by client and index.
  const containerDepths = new Map<number, Map<number, number>>();
  const remember = (at: { client: number; index: number }, depth: number): void => {
    let perClient = containerDepths.get(at.client);
    if (!perClient) containerDepths.set(at.client, (perClient = new Map()));
    perClient.set(at.index, depth);
  };
  const locate = (id: StructId): { client: number; index: number } | null => {
    const structs = structure.clients.get(id.client);
    const index = structs ? indexAt(structs, id.clock) : -1;
    return index >= 0 ? { client: id.client, index } : null;
  };
  const docItem = (id: StructId): InstanceType<typeof Y.Item> | null => {
    if (Y.getState(doc.store, id.client) <= id.clock) return null;
    const struct = Y.getItem(doc.store, Y.createID(id.client, id.clock));
    return struct instanceof Y.Item ? struct : null;
  };

  let deepest = 0;
  for (const [client, structs] of structure.clients) {
    const known = Y.getState(doc.store, client);
    structs.forEach((struct, index) => {
      if (struct.kind !== 'item' || !struct.isType || struct.clock + struct.length <= known || deepest > cap) return;
      // Each struct's container follows from one other: its parent item (one level up), or the
      // neighbour it was written next to (the same level). Followed iteratively: a chain of
      // nested types is as long as the update.
      const chain: Array<{ client: number; index: number; plusOne: boolean }> = [];
      let at = { client, index };
      let depth: number;
      for (;;) {
        const memo = containerDepths.get(at.client)?.get(at.index);
        if (memo !== undefined) {
          depth = memo;
          break;
        }
        if (chain.length > structure.structCount) return;
        const here = (structure.clients.get(at.client) as readonly UpdateStruct[])[at.index] as UpdateStruct;
        const parentId = here.kind === 'item' ? idOf(here.parentClient, here.parentClock) : null;
        const ref =
          here.kind !== 'item' || here.parentRoot !== null
            ? null
            : (parentId ?? idOf(here.originClient, here.originClock) ?? idOf(here.rightClient, here.rightClock));
        const inUpdate = ref ? locate(ref) : null;
        if (inUpdate) {
          chain.push({ ...at, plusOne: parentId !== null });
          at = inUpdate;
          continue;
        }
        const item = ref ? docItem(ref) : null;
        if (item && parentId) depth = item.content instanceof Y.ContentType ? typeDepth(item.content.type as Y.AbstractType<unknown>) : 0;
        else if (item) depth = item.parent ? typeDepth(item.parent as Y.AbstractType<unknown>) : 0;
        else depth = 0;
        remember(at, depth);
        break;
      }
      for (let i = chain.length - 1; i >= 0; i--) {
        const link = chain[i] as { client: number; index: number; plusOne: boolean };
        if (link.plusOne) depth += 1;
        remember(link, depth);
      }
      deepest = Math.max(deepest, (containerDepths.get(client)?.get(index) ?? 0) + 1);
    });
  }
  return deepest;
}

/** The number of shared types the update adds to the document. */
export function newTypeCount(doc: Y.Doc, structure: UpdateStructure): number {
  let count = 0;
  for (const [client, structs] of structure.clients) {
    const known = Y.getState(doc.store, client);
    for (const struct of structs) if (struct.kind === 'item' && struct.isType && struct.clock + struct.length > known) count += 1;
  }
  return count;
}

/** Whether the update adds content (not only deletions or placeholders) beyond what the document holds. */
export function addsContent(doc: Y.Doc, structure: UpdateStructure): boolean {
  for (const [client, structs] of structure.clients) {
    const known = Y.getState(doc.store, client);
    for (const struct of structs) if (struct.kind === 'item' && struct.addsContent && struct.clock + struct.length > known) return true;
  }
  return false;
}

function idOf(client: number, clock: number): StructId | null {
  return client < 0 ? null : { client, clock };
}

function indexAt(structs: readonly UpdateStruct[], clock: number): number {
  let low = 0;
  let high = structs.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const struct = structs[mid] as UpdateStruct;
    if (clock < struct.clock) high = mid - 1;
    else if (clock >= struct.clock + struct.length) low = mid + 1;
    else return struct.kind === 'skip' ? -1 : mid;
  }
  return -1;
}

/**
 * The first thing found missing is enough to know the update waits, and what to wait for:
 * once the document holds it, the update is looked at again (and may name the next thing).
 * Stopping there keeps an update of 30,000 clients with unknown origins as cheap as reading it.
 */
function waitingFor(need: Need): Readiness {
  return { kind: 'waiting', needs: [need] };
}

function heapOf(heaps: Map<number, MinHeap>, client: number): MinHeap {
  let heap = heaps.get(client);
  if (!heap) heaps.set(client, (heap = new MinHeap()));
  return heap;
}

/** A binary heap of (key, value) pairs, smallest key first. */
class MinHeap {
  private readonly keys: number[] = [];
  private readonly values: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  peekKey(): number {
    return this.keys[0] as number;
  }

  push(key: number, value: number): void {
    let i = this.keys.length;
    this.keys.push(key);
    this.values.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((this.keys[parent] as number) <= key) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): number {
    const top = this.values[0] as number;
    const lastKey = this.keys.pop() as number;
    const lastValue = this.values.pop() as number;
    if (this.keys.length > 0) {
      this.keys[0] = lastKey;
      this.values[0] = lastValue;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < this.keys.length && (this.keys[left] as number) < (this.keys[smallest] as number)) smallest = left;
        if (right < this.keys.length && (this.keys[right] as number) < (this.keys[smallest] as number)) smallest = right;
        if (smallest === i) break;
        this.swap(i, smallest);
        i = smallest;
      }
    }
    return top;
  }

  private swap(a: number, b: number): void {
    [this.keys[a], this.keys[b]] = [this.keys[b] as number, this.keys[a] as number];
    [this.values[a], this.values[b]] = [this.values[b] as number, this.values[a] as number];
  }
}
