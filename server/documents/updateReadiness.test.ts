import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deepestNewType, newTypeCount, readinessOf } from './updateReadiness';
import { readUpdateStructure, UnreadableUpdate } from './updateStructure';

/** Whether Yjs, applying the update to a copy of `doc`, keeps something pending. */
function yjsKeepsPending(doc: Y.Doc, update: Uint8Array): boolean {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  Y.applyUpdate(copy, update);
  const pending = copy.store.pendingStructs !== null || copy.store.pendingDs !== null;
  copy.destroy();
  return pending;
}

/** Three devices editing one text, a map and nested maps, each edit's update kept. */
function editsFrom(seed: number, steps: number): Uint8Array[] {
  const devices = [1, 2, 3].map((clientID) => {
    const doc = new Y.Doc();
    doc.clientID = clientID;
    return doc;
  });
  const updates: Uint8Array[] = [];
  let state = seed || 1;
  const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
  for (const doc of devices) doc.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < steps; i++) {
    const doc = devices[Math.floor(random() * devices.length)] as Y.Doc;
    const text = doc.getText('t');
    const choice = random();
    if (choice < 0.4 || text.length === 0) text.insert(Math.floor(random() * (text.length + 1)), 'ab');
    else if (choice < 0.6) text.delete(Math.floor(random() * text.length), 1);
    else if (choice < 0.8) doc.getMap('m').set(`k${Math.floor(random() * 4)}`, new Y.Map());
    else {
      const inner = [...doc.getMap('m').values()].find((value) => value instanceof Y.Map) as Y.Map<unknown> | undefined;
      if (inner) inner.set('x', random());
    }
    // Devices hear each other now and then, so later edits build on earlier ones of others.
    if (random() < 0.5) {
      const [a, b] = [devices[Math.floor(random() * 3)] as Y.Doc, devices[Math.floor(random() * 3)] as Y.Doc];
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    }
  }
  return updates;
}

describe('readinessOf', () => {
  it('agrees with Yjs on whether an update integrates completely, for updates delivered in any order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), fc.integer({ min: 5, max: 40 }), fc.infiniteStream(fc.nat()), (seed, steps, picks) => {
        const updates = editsFrom(seed, steps);
        const order = [...updates];
        const it = picks[Symbol.iterator]();
        for (let i = order.length - 1; i > 0; i--) {
          const j = (it.next().value as number) % (i + 1);
          [order[i], order[j]] = [order[j] as Uint8Array, order[i] as Uint8Array];
        }
        const doc = new Y.Doc();
        const waiting: Uint8Array[] = [];
        const offer = (update: Uint8Array): boolean => {
          const readiness = readinessOf(doc, readUpdateStructure(update));
          expect(readiness.kind).not.toBe('impossible');
          expect(readiness.kind === 'waiting').toBe(yjsKeepsPending(doc, update));
          if (readiness.kind === 'ready') Y.applyUpdate(doc, update);
          return readiness.kind === 'ready';
        };
        for (const update of order) {
          if (!offer(update)) waiting.push(update);
          for (let progressed = true; progressed; ) {
            progressed = false;
            for (const held of [...waiting]) {
              if (offer(held)) {
                waiting.splice(waiting.indexOf(held), 1);
                progressed = true;
              }
            }
          }
        }
        expect(waiting).toHaveLength(0);
        const reference = new Y.Doc();
        for (const update of updates) Y.applyUpdate(reference, update);
        expect(doc.getText('t').toString()).toBe(reference.getText('t').toString());
        expect(doc.getMap('m').toJSON()).toEqual(reference.getMap('m').toJSON());
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it('says an update whose parent never arrived waits on that parent', () => {
    const source = new Y.Doc();
    source.clientID = 7;
    const map = source.getMap('m');
    map.set('inner', new Y.Map());
    const first = Y.encodeStateAsUpdate(source);
    const before = Y.encodeStateVector(source);
    (map.get('inner') as Y.Map<unknown>).set('x', 1);
    const second = Y.encodeStateAsUpdate(source, before);
    const doc = new Y.Doc();
    expect(readinessOf(doc, readUpdateStructure(second))).toEqual({ kind: 'waiting', needs: [{ client: 7, state: 1 }] });
    Y.applyUpdate(doc, first);
    expect(readinessOf(doc, readUpdateStructure(second))).toEqual({ kind: 'ready' });
  });

  it('counts the shared types an update adds and how deep the deepest sits', () => {
    const source = new Y.Doc();
    let map = source.getMap('root');
    for (let i = 0; i < 10; i++) {
      const inner = new Y.Map();
      map.set('k', inner);
      map = inner;
    }
    const structure = readUpdateStructure(Y.encodeStateAsUpdate(source));
    const doc = new Y.Doc();
    expect(newTypeCount(doc, structure)).toBe(10);
    expect(deepestNewType(doc, structure, 64)).toBe(10);
    // Nested further in a later update: the depth counts the levels already in the document.
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
    const before = Y.encodeStateVector(source);
    map.set('k', new Y.Map());
    const deeper = readUpdateStructure(Y.encodeStateAsUpdate(source, before));
    expect(deepestNewType(doc, deeper, 64)).toBe(11);
  });
});

describe('readUpdateStructure', () => {
  it('reads what Yjs writes and refuses what is cut short', () => {
    const source = new Y.Doc();
    source.getText('t').insert(0, 'hello');
    source.getMap('m').set('a', { nested: [1, 2] });
    source.getText('t').delete(1, 2);
    const update = Y.encodeStateAsUpdate(source);
    const structure = readUpdateStructure(update);
    expect(structure.structCount).toBe(Y.decodeUpdate(update).structs.length);
    expect(structure.deletes).toEqual([{ client: source.clientID, clock: 1, length: 2 }]);
    for (let cut = 1; cut < update.byteLength - 1; cut++) {
      let threw = false;
      try {
        readUpdateStructure(update.subarray(0, cut));
      } catch (err) {
        threw = err instanceof UnreadableUpdate;
      }
      // A cut that still reads as an update must be one Yjs reads too.
      if (!threw) expect(() => Y.decodeUpdate(update.slice(0, cut))).not.toThrow();
    }
  });
});
