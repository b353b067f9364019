import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { accept, addAgreement, removeAgreement, setAgreementText, withdrawAcceptance } from '../../shared/agreements';
import { acceptanceWrites, touchesOnlyOwnAcceptance } from './acceptanceGuard';

/** The server's copy and one device's copy, in step. */
function pair(): { server: Y.Doc; device: Y.Doc; change: (fn: (doc: Y.Doc) => void) => Uint8Array } {
  const server = new Y.Doc();
  const device = new Y.Doc();
  const change = (fn: (doc: Y.Doc) => void) => {
    const before = Y.encodeStateVector(device);
    fn(device);
    const update = Y.encodeStateAsUpdate(device, before);
    return update;
  };
  return { server, device, change };
}

function sync(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

const now = Date.UTC(2026, 10, 21);

describe('acceptance guard', () => {
  it('an update that only edits text touches no acceptance', () => {
    const { server, device, change } = pair();
    const id = addAgreement(device, { title: 'We talk on Sundays', category: 'communication', proposedBy: { seat: 'A', name: 'Sam' }, now });
    sync(device, server);
    const update = change((d) => setAgreementText(d, id, 'body', 'After dinner.'));
    expect(acceptanceWrites(server, update)).toEqual({ written: new Set(), removed: new Set() });
  });

  it('sees a first acceptance, an overwrite and a withdrawal, with the seat they belong to', () => {
    const { server, device, change } = pair();
    const id = addAgreement(device, { title: 'We talk on Sundays', category: 'communication', proposedBy: { seat: 'A', name: 'Sam' }, now });
    sync(device, server);
    const first = change((d) => accept(d, id, 'B', now));
    expect(acceptanceWrites(server, first).written).toEqual(new Set(['B']));
    Y.applyUpdate(server, first);
    const again = change((d) => accept(d, id, 'B', now + 1000));
    expect(acceptanceWrites(server, again).written).toEqual(new Set(['B']));
    Y.applyUpdate(server, again);
    const withdrawn = change((d) => withdrawAcceptance(d, id, 'B'));
    expect(acceptanceWrites(server, withdrawn).removed).toEqual(new Set(['B']));
  });

  it('a handshake after both agreed again carries old deletions the server has: they count for no one', () => {
    const { server, device } = pair();
    const other = new Y.Doc();
    const id = addAgreement(device, { title: 'We talk on Sundays', category: 'communication', proposedBy: { seat: 'A', name: 'Sam' }, now });
    sync(device, server);
    sync(server, other);
    for (const at of [now, now + 1000]) {
      accept(device, id, 'A', at);
      accept(other, id, 'B', at);
      for (const [from, to] of [[device, server], [other, server], [server, device], [server, other]] as const) sync(from, to);
    }
    // The device answers the server's sync step 1; Yjs puts its whole delete set in it.
    const step2 = Y.encodeStateAsUpdate(device, Y.encodeStateVector(server));
    expect(acceptanceWrites(server, step2)).toEqual({ written: new Set(), removed: new Set() });
    expect(touchesOnlyOwnAcceptance(server, step2, 'A')).toBe(true);
  });

  it('a device re-sending its whole copy (loaded from IndexedDB) writes nothing the server has', () => {
    const { server, device } = pair();
    const other = new Y.Doc();
    const id = addAgreement(device, { title: 'We talk on Sundays', category: 'communication', proposedBy: { seat: 'A', name: 'Sam' }, now });
    sync(device, server);
    sync(server, other);
    accept(other, id, 'B', now);
    sync(other, server);
    sync(server, device);
    accept(device, id, 'A', now + 1000);
    sync(device, server);
    setAgreementText(device, id, 'body', 'Written offline.');
    // The whole copy, with the offline edit: only the edit is new to the server.
    const whole = Y.encodeStateAsUpdate(device);
    expect(acceptanceWrites(server, whole)).toEqual({ written: new Set(), removed: new Set() });
    expect(touchesOnlyOwnAcceptance(server, whole, 'A')).toBe(true);
    // Something new in it still counts.
    accept(device, id, 'B', now + 2000);
    expect(touchesOnlyOwnAcceptance(server, Y.encodeStateAsUpdate(device), 'A')).toBe(false);
  });

  it("refuses one partner's device writing the other's acceptance", () => {
    const { server, device, change } = pair();
    const id = addAgreement(device, { title: 'Phones stay private', category: 'boundaries', proposedBy: { seat: 'A', name: 'Sam' }, now });
    sync(device, server);
    const forged = change((d) => accept(d, id, 'B', now));
    expect(touchesOnlyOwnAcceptance(server, forged, 'A')).toBe(false);
    expect(touchesOnlyOwnAcceptance(server, forged, 'B')).toBe(true);
    expect(touchesOnlyOwnAcceptance(server, forged, 'counsellor')).toBe(false);
  });

  it("refuses taking back the other partner's acceptance, but allows removing a whole agreement", () => {
    const { server, device, change } = pair();
    const id = addAgreement(device, { title: 'Phones stay private', category: 'boundaries', proposedBy: { seat: 'A', name: 'Sam' }, now });
    accept(device, id, 'A', now);
    accept(device, id, 'B', now);
    sync(device, server);
    const takeBack = change((d) => withdrawAcceptance(d, id, 'B'));
    expect(touchesOnlyOwnAcceptance(server, takeBack, 'A')).toBe(false);
    const { device: other } = pair();
    sync(server, other);
    const before = Y.encodeStateVector(other);
    removeAgreement(other, id);
    const removal = Y.encodeStateAsUpdate(other, before);
    expect(touchesOnlyOwnAcceptance(server, removal, 'A')).toBe(true);
  });

  it('an agreement created and accepted in one update counts the acceptance', () => {
    const { server, change } = pair();
    const update = change((d) => {
      const id = addAgreement(d, { title: 'We say goodnight', category: 'time-together', proposedBy: { seat: 'A', name: 'Sam' }, now });
      accept(d, id, 'A', now);
    });
    expect(acceptanceWrites(server, update).written).toEqual(new Set(['A']));
  });
});
