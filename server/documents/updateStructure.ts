import * as decoding from 'lib0/decoding';

/**
 * What a Yjs update (format V1, as y-protocols carries it) says about its own structure, read
 * with lib0's decoder without building any Yjs object: which structs it holds, what each one
 * points at (origin, right origin, parent) and which ranges it deletes. Reading is linear in
 * the update's bytes whatever the numbers inside it say (a clock range of 2^53, a count field),
 * which Y.decodeUpdate is not quite: it builds a Y.Map for every shared type in the update, up
 * to 70 ms for 256 KB of nested maps. The grammar is Yjs's own (`readClientsStructRefs`,
 * `readItemContent`, `readDeleteSet` in yjs/src/utils/encoding.js and structs/*.js); anything
 * Yjs would fail to read fails here first.
 */

export interface StructId {
  readonly client: number;
  readonly clock: number;
}

export type UpdateStruct =
  | { readonly kind: 'gc' | 'skip'; readonly clock: number; readonly length: number }
  | {
      readonly kind: 'item';
      readonly clock: number;
      readonly length: number;
      /**
       * What the item points at, as client and clock each (-1 for none; kept as numbers, not
       * id objects, so a large update allocates one object per struct): its origin, its right
       * origin, and its parent as written, an item's id or a root type's name (`parentRoot`);
       * with neither parent, the neighbours' parent.
       */
      readonly originClient: number;
      readonly originClock: number;
      readonly rightClient: number;
      readonly rightClock: number;
      readonly parentClient: number;
      readonly parentClock: number;
      readonly parentRoot: string | null;
      /** the item holds a shared type (Y.Map, Y.Text, an XML node…) */
      readonly isType: boolean;
      /** the item holds content that adds to the document (not a deleted placeholder) */
      readonly addsContent: boolean;
    };

export interface DeleteRange {
  readonly client: number;
  readonly clock: number;
  readonly length: number;
}

export interface UpdateStructure {
  /** structs per client, in clock order as written */
  readonly clients: ReadonlyMap<number, readonly UpdateStruct[]>;
  readonly deletes: readonly DeleteRange[];
  readonly structCount: number;
}

/**
 * Thrown as soon as an update is seen to add more shared types than allowed: Yjs builds an
 * object for each (25,000 nested maps in 250 KB cost 60-90 ms to apply), and reading the rest
 * would only cost more.
 */
export class TooManyTypes extends Error {
  constructor() {
    super('the update adds too many shared types');
    this.name = 'TooManyTypes';
  }
}

/** What the reader is told to stop at: shared types new to the document, beyond `maxNewTypes`. */
export interface ReadLimits {
  maxNewTypes: number;
  /** the document's state for a client: structs below it are already there */
  knownState(client: number): number;
}

/** Thrown for bytes that are not a readable update. */
export class UnreadableUpdate extends Error {
  constructor(why: string) {
    super(`unreadable update: ${why}`);
    this.name = 'UnreadableUpdate';
  }
}

const BITS5 = 31;
const BIT6 = 32;
const BIT7 = 64;
const BIT8 = 128;
const MAX_CLOCK = Number.MAX_SAFE_INTEGER;
const TYPE_REFS_WITH_KEY = new Set([3, 5]); // YXmlElement's node name, YXmlHook's name
const MAX_TYPE_REF = 6;

export function readUpdateStructure(update: Uint8Array, limits?: ReadLimits): UpdateStructure {
  try {
    return read(decoding.createDecoder(update), limits);
  } catch (err) {
    if (err instanceof UnreadableUpdate || err instanceof TooManyTypes) throw err;
    throw new UnreadableUpdate(err instanceof RangeError ? 'too deeply nested' : 'truncated or garbled');
  }
}

function read(decoder: decoding.Decoder, limits: ReadLimits | undefined): UpdateStructure {
  const clients = new Map<number, UpdateStruct[]>();
  let structCount = 0;
  let newTypes = 0;
  const clientCount = countField(decoder, 3);
  for (let i = 0; i < clientCount; i++) {
    // Every struct takes at least two bytes: a count larger than what is left cannot be true.
    const count = countField(decoder, 2);
    const client = decoding.readVarUint(decoder);
    let clock = decoding.readVarUint(decoder);
    if (clients.has(client)) throw new UnreadableUpdate('a client written twice');
    const structs: UpdateStruct[] = [];
    clients.set(client, structs);
    const known = limits ? limits.knownState(client) : 0;
    for (let j = 0; j < count; j++) {
      if (decoder.pos >= decoder.arr.length) throw new UnreadableUpdate('truncated');
      const info = decoding.readUint8(decoder);
      const struct = readStruct(decoder, info, clock);
      if (struct.length < 1 || struct.clock + struct.length > MAX_CLOCK) throw new UnreadableUpdate('a struct of impossible length');
      structs.push(struct);
      clock += struct.length;
      if (limits && struct.kind === 'item' && struct.isType && clock > known && ++newTypes > limits.maxNewTypes) throw new TooManyTypes();
    }
    structCount += count;
  }
  const deletes: DeleteRange[] = [];
  const deleteClients = countField(decoder, 2);
  for (let i = 0; i < deleteClients; i++) {
    const client = decoding.readVarUint(decoder);
    const ranges = countField(decoder, 2);
    for (let j = 0; j < ranges; j++) {
      const clock = decoding.readVarUint(decoder);
      const length = decoding.readVarUint(decoder);
      // Yjs never writes an empty range, and a range past 2^53 loses its end to rounding.
      if (length < 1 || clock + length > MAX_CLOCK) throw new UnreadableUpdate('a delete range of impossible length');
      deletes.push({ client, clock, length });
    }
  }
  // lib0 reads a length-prefixed field as a view that may run past the update's own bytes.
  if (decoder.pos > decoder.arr.length) throw new UnreadableUpdate('truncated');
  return { clients, deletes, structCount };
}

/** A count of things that each take at least `minBytes` bytes: refused if more than the bytes left could hold. */
function countField(decoder: decoding.Decoder, minBytes: number): number {
  const count = decoding.readVarUint(decoder);
  if (count * minBytes > decoder.arr.length - decoder.pos + minBytes) throw new UnreadableUpdate('a count larger than the update');
  return count;
}


function readStruct(decoder: decoding.Decoder, info: number, clock: number): UpdateStruct {
  const ref = info & BITS5;
  // Every struct has the same fields, so the objects share one shape in V8.
  if (ref === 0 || ref === 10) {
    const kind = ref === 0 ? 'gc' : 'skip';
    const length = decoding.readVarUint(decoder);
    return {
      kind,
      clock,
      length,
      originClient: -1,
      originClock: -1,
      rightClient: -1,
      rightClock: -1,
      parentClient: -1,
      parentClock: -1,
      parentRoot: null,
      isType: false,
      addsContent: false,
    } as UpdateStruct;
  }
  let originClient = -1;
  let originClock = -1;
  let rightClient = -1;
  let rightClock = -1;
  let parentClient = -1;
  let parentClock = -1;
  if ((info & BIT8) === BIT8) {
    originClient = decoding.readVarUint(decoder);
    originClock = decoding.readVarUint(decoder);
  }
  if ((info & BIT7) === BIT7) {
    rightClient = decoding.readVarUint(decoder);
    rightClock = decoding.readVarUint(decoder);
  }
  const cantCopyParentInfo = (info & (BIT7 | BIT8)) === 0;
  let parentRoot: string | null = null;
  if (cantCopyParentInfo) {
    if (decoding.readVarUint(decoder) === 1) parentRoot = decoding.readVarString(decoder);
    else {
      parentClient = decoding.readVarUint(decoder);
      parentClock = decoding.readVarUint(decoder);
    }
    if ((info & BIT6) === BIT6) decoding.readVarString(decoder); // parentSub
  }
  const { length, isType, addsContent } = readContent(decoder, ref);
  return { kind: 'item', clock, length, originClient, originClock, rightClient, rightClock, parentClient, parentClock, parentRoot, isType, addsContent };
}

/** Reads past an item's content as Yjs's `readItemContent` would, returning its length in clocks. */
function readContent(decoder: decoding.Decoder, ref: number): { length: number; isType: boolean; addsContent: boolean } {
  switch (ref) {
    case 1: // ContentDeleted
      return { length: decoding.readVarUint(decoder), isType: false, addsContent: false };
    case 2: {
      // ContentJSON
      const count = countField(decoder, 1);
      for (let i = 0; i < count; i++) {
        const json = decoding.readVarString(decoder);
        if (json !== 'undefined') JSON.parse(json);
      }
      return { length: count, isType: false, addsContent: true };
    }
    case 3: // ContentBinary
      decoding.readVarUint8Array(decoder);
      return { length: 1, isType: false, addsContent: true };
    case 4: // ContentString: its length is in UTF-16 code units, as Yjs counts it
      return { length: decoding.readVarString(decoder).length, isType: false, addsContent: true };
    case 5: // ContentEmbed
      JSON.parse(decoding.readVarString(decoder));
      return { length: 1, isType: false, addsContent: true };
    case 6: // ContentFormat
      decoding.readVarString(decoder);
      JSON.parse(decoding.readVarString(decoder));
      return { length: 1, isType: false, addsContent: true };
    case 7: {
      // ContentType
      const typeRef = decoding.readVarUint(decoder);
      if (typeRef > MAX_TYPE_REF) throw new UnreadableUpdate('an unknown shared type');
      if (TYPE_REFS_WITH_KEY.has(typeRef)) decoding.readVarString(decoder);
      return { length: 1, isType: true, addsContent: true };
    }
    case 8: {
      // ContentAny
      const count = countField(decoder, 1);
      for (let i = 0; i < count; i++) decoding.readAny(decoder);
      return { length: count, isType: false, addsContent: true };
    }
    case 9: // ContentDoc
      decoding.readVarString(decoder);
      decoding.readAny(decoder);
      return { length: 1, isType: false, addsContent: true };
    default:
      throw new UnreadableUpdate('an unknown content kind');
  }
}
