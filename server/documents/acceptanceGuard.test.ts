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
