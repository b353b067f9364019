import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { agreementViews, dayOf, emptyRecords, readDrafts, toMarkdown, type AgreementView } from '../../../shared/agreements';
import type { AgreementRecordsView } from '../../../shared/protocol/agreements';
import type { RoomView } from '../../../shared/protocol/rooms';
import { roomDocumentDatabase } from '../device/forgetRoom';
import { nameOf } from './people';
import { isRecordsView } from './useAgreementRecords';

/** The agreements as an open agreements screen shows them now, by room (see showingAgreements). */
const shown = new Map<string, () => readonly AgreementView[]>();

/**
 * An open agreements screen lends what it shows to a download started elsewhere ("Download our
 * agreements first", before deleting the room), so the file holds the words as they are on the
 * screen. Returns the function that takes it back.
 */
export function showingAgreements(roomId: string, read: () => readonly AgreementView[]): () => void {
  shown.set(roomId, read);
  return () => {
    if (shown.get(roomId) === read) shown.delete(roomId);
  };
}

/**
 * Saves the agreements as a Markdown file (shared/agreements/markdown.ts), named by today's date.
 * Returns the file's name, for the screen to say what was saved.
 */
export function downloadMarkdown(agreements: readonly AgreementView[], room: RoomView): string {
  const now = Date.now();
  const markdown = toMarkdown(agreements, { now, names: { A: nameOf(room, 'A'), B: nameOf(room, 'B'), counsellor: nameOf(room, 'counsellor') } });
  const blob = new Blob([markdown], { type: 'text/markdown;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `our-agreements-${new Date(now).toISOString().slice(0, 10)}.md`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return link.download;
}

/**
 * Downloads the room's agreements from wherever this device has them: the open agreements
 * screen, or else this device's copy of the document (IndexedDB) joined with `records` (the
 * server's, just asked for) or the copy of them kept beside it. A device that never opened the
 * agreements has no copy of the drafts: its file holds what both agreed, from the records.
 */
export async function downloadRoomAgreements(room: RoomView, records: AgreementRecordsView | null): Promise<string> {
  const open = shown.get(room.roomId);
  if (open) return downloadMarkdown(open(), room);
  const doc = new Y.Doc();
  const persistence = typeof indexedDB === 'undefined' ? null : new IndexeddbPersistence(roomDocumentDatabase(room.roomId, 'agreements'), doc);
  try {
    let kept: unknown = null;
    if (persistence) {
      await persistence.whenSynced;
      if (!records) kept = await persistence.get('records');
    }
    const onRecord = records ?? (isRecordsView(kept) ? kept : emptyRecords());
    return downloadMarkdown(agreementViews(readDrafts(doc), onRecord, dayOf(Date.now())), room);
  } finally {
    await persistence?.destroy();
    doc.destroy();
  }
}
