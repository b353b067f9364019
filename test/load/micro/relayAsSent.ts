// `npx tsx test/load/micro/relayAsSent.ts`: what applying one keystroke's update costs the
// server when Yjs encodes the transaction again for an `update` listener (how RoomDocuments
// relayed before the seventh round) and when the update is passed on as it came (how it relays
// now, see `applyAndRelay` in server/documents/roomDocuments.ts). No server, no sockets: Yjs only.
import * as Y from 'yjs';

const DOCUMENTS = 1000;
const KEYSTROKES = 80;
const ROUNDS = 6;

/** Each document's updates as a device typing into a Tiptap-shaped paragraph sends them. */
const typed: Uint8Array[][] = [];
for (let i = 0; i < DOCUMENTS; i++) {
  const device = new Y.Doc();
  const updates: Uint8Array[] = [];
  device.on('update', (u: Uint8Array) => updates.push(u));
  const text = new Y.XmlText();
  device.getXmlFragment('notes').insert(0, [text]);
  for (let k = 0; k < KEYSTROKES; k++) text.insert(k, 'a');
  typed.push(updates);
}

let sink = 0;

function microsecondsPerUpdate(reencoded: boolean): number {
  const docs = Array.from({ length: DOCUMENTS }, () => new Y.Doc());
  if (reencoded) for (const doc of docs) doc.on('update', (u: Uint8Array) => (sink += u.byteLength));
  docs.forEach((doc, i) => Y.applyUpdate(doc, typed[i]![0]!));
  const started = performance.now();
  for (let k = 1; k <= KEYSTROKES; k++) {
    for (let i = 0; i < DOCUMENTS; i++) {
      const doc = docs[i]!;
      const update = typed[i]![k]!;
      if (reencoded) {
        Y.applyUpdate(doc, update, 'device');
      } else {
        let transaction: Y.Transaction | null = null;
        doc.transact((t) => {
          transaction = t;
          Y.applyUpdate(doc, update, 'device');
        }, 'device');
        if (transaction) sink += (transaction as Y.Transaction).afterState.size;
      }
    }
  }
  return ((performance.now() - started) * 1000) / (DOCUMENTS * KEYSTROKES);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const again: number[] = [];
const asSent: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  again.push(microsecondsPerUpdate(true));
  asSent.push(microsecondsPerUpdate(false));
}
console.log(
  `µs per keystroke update, median of ${ROUNDS} rounds of ${DOCUMENTS * KEYSTROKES}: ` +
    `encoded again by Yjs ${median(again).toFixed(1)}, passed on as sent ${median(asSent).toFixed(1)} (${sink > 0 ? 'ok' : '-'})`,
);
