import * as Y from 'yjs';
import { AppError, ErrorCode } from '../../shared/protocol/errors';
import type { UpdateGuard } from './roomDocuments';

/**
 * Yjs updates are opaque to a server that only relays them, so without a look inside, one
 * partner's device could write the other partner's acceptance of an agreement. This reads an
 * update's structure (no applying) and tells which seats' acceptance entries it writes or
 * removes, so the server can refuse a write to anyone's acceptance but the writer's own.
 *
 * An acceptance is an entry keyed by seat in the `acceptances` map of an agreement (see
 * shared/agreements/model.ts). An entry is found either from its parent (first write of a key)
 * or, for an overwrite, from the item it replaces, which Yjs encodes as its origin.
 */

const ACCEPTANCES_KEY = 'acceptances';

type AnyItem = InstanceType<typeof Y.Item>;

function itemIn(store: Y.Doc['store'], id: { client: number; clock: number }): AnyItem | null {
  if (Y.getState(store, id.client) <= id.clock) return null;
  const struct = Y.getItem(store, id as Y.ID);
  return struct instanceof Y.Item ? struct : null;
}

/** Items of the update itself, by id, for parents and origins written in the same update. */
function indexUpdate(structs: Array<unknown>): (id: { client: number; clock: number }) => AnyItem | null {
  const items = structs.filter((s): s is AnyItem => s instanceof Y.Item);
  return (id) => items.find((i) => i.id.client === id.client && id.clock >= i.id.clock && id.clock < i.id.clock + i.length) ?? null;
}

/** The key under which the map entry of `item`'s parent sits, when that parent is a map item. */
function parentKeyOfDocItem(item: AnyItem): string | null {
  const parentType = item.parent as Y.AbstractType<unknown> | null;
  return parentType?._item?.parentSub ?? null;
}

export interface AcceptanceWrites {
  /** seats whose acceptance entry the update sets */
  written: Set<string>;
  /** seats whose acceptance entry the update deletes, not counting entries of a deleted agreement */
  removed: Set<string>;
}

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

export function acceptanceWrites(doc: Y.Doc, update: Uint8Array | DecodedUpdate): AcceptanceWrites {
  const { structs, ds } = update instanceof Uint8Array ? Y.decodeUpdate(update) : update;
  const inUpdate = indexUpdate(structs);
  const written = new Set<string>();
  const removed = new Set<string>();

  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    // Already here (a device re-sending its whole copy, as on loading it from IndexedDB): changes nothing.
    if (Y.getState(doc.store, struct.id.client) >= struct.id.clock + struct.length) continue;
    let parentKey: string | null = null;
    let key: string | null = null;
    const parent = struct.parent as unknown;
    if (parent && typeof parent === 'object' && 'client' in (parent as object)) {
      // First write of a key: the parent map is named by the id of its item.
      const parentId = parent as { client: number; clock: number };
      const parentItem = itemIn(doc.store, parentId) ?? inUpdate(parentId);
      parentKey = parentItem?.parentSub ?? null;
      key = struct.parentSub;
    } else if (parent === null && struct.origin) {
      // An overwrite or a neighbour: parent and key are those of the item it follows.
      const before = itemIn(doc.store, struct.origin);
      if (before) {
        parentKey = parentKeyOfDocItem(before);
        key = before.parentSub;
      } else {
        const sibling = inUpdate(struct.origin);
        if (sibling) {
          key = sibling.parentSub;
          const siblingParent = sibling.parent as unknown;
          if (siblingParent && typeof siblingParent === 'object' && 'client' in (siblingParent as object)) {
            const p = siblingParent as { client: number; clock: number };
            parentKey = (itemIn(doc.store, p) ?? inUpdate(p))?.parentSub ?? null;
          }
        }
      }
    }
    if (parentKey === ACCEPTANCES_KEY && key) written.add(key);
  }

  // Deletions: an acceptance entry removed on its own, not as part of removing its agreement.
  for (const [client, ranges] of ds.clients) {
    for (const range of ranges) {
      for (let clock = range.clock; clock < range.clock + range.len; clock++) {
        const item = itemIn(doc.store, { client, clock });
        // A sync step 2 carries the device's whole delete set: what is gone here already changes nothing.
        if (!item || item.deleted || item.parentSub === null) continue;
        const acceptancesType = item.parent as Y.AbstractType<unknown> | null;
        const acceptancesItem = acceptancesType?._item;
        if (acceptancesItem?.parentSub !== ACCEPTANCES_KEY) continue;
        const agreementItem = (acceptancesItem.parent as Y.AbstractType<unknown> | null)?._item;
        const wholeAgreementGoes = agreementItem ? isDeletedBy(ds, agreementItem.id) || agreementItem.deleted : false;
        if (!wholeAgreementGoes) removed.add(item.parentSub);
        clock += item.length - 1;
      }
    }
  }
  return { written, removed };
}

function isDeletedBy(ds: { clients: Map<number, Array<{ clock: number; len: number }>> }, id: { client: number; clock: number }): boolean {
  return (ds.clients.get(id.client) ?? []).some((r) => id.clock >= r.clock && id.clock < r.clock + r.len);
}

/** May this seat send this update to the agreements document? Only its own acceptance. */
export function touchesOnlyOwnAcceptance(doc: Y.Doc, update: Uint8Array | DecodedUpdate, seat: string): boolean {
  const { written, removed } = acceptanceWrites(doc, update);
  for (const s of [...written, ...removed]) if (s !== seat) return false;
  return true;
}

/**
 * The agreements document's rule: a client may write or take back only its own seat's
 * acceptance (a counsellor none). Changes made by the server itself are not checked here.
 */
export const agreementsGuard: UpdateGuard = ({ docName, doc, decoded, origin }) => {
  if (docName !== 'agreements' || origin.kind !== 'client') return;
  if (!touchesOnlyOwnAcceptance(doc, decoded, origin.seat ?? '')) throw new AppError(ErrorCode.ACCEPTANCE_NOT_YOURS);
};
