import { useEffect, useState } from 'react';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { onRoomForgotten, roomDocumentDatabase } from '../device/forgetRoom';
import { documentProvider } from '../realtime/documentProvider';
import type { SocketIOProvider, SyncState } from './socketIOProvider';
import type { RecordsKeep } from './useAgreementRecords';

export interface AgreementsDoc {
  doc: Y.Doc;
  provider: SocketIOProvider;
  sync: SyncState;
  /** the device's own copy (IndexedDB) or the server's has been loaded: safe to say "empty" */
  loaded: boolean;
  /** grows with every change to the document, for memoised reads */
  revision: number;
  /** the device's key-value store beside its copy (gone with it), or null without IndexedDB */
  keep: RecordsKeep | null;
}

interface Session {
  doc: Y.Doc;
  provider: SocketIOProvider;
  keep: RecordsKeep | null;
}

/**
 * The room's agreements as a Y.Doc kept in this browser (IndexedDB) and in step with the
 * server. Edits made offline live in IndexedDB and are exchanged on the next join.
 * Created inside an effect, so React's double mount in development gets two whole sessions.
 */
export function useAgreementsDoc(roomId: string, joined: boolean): AgreementsDoc | null {
  const [session, setSession] = useState<Session | null>(null);
  const [sync, setSync] = useState<SyncState>({ kind: 'offline' });
  const [loaded, setLoaded] = useState(false);
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    const doc = new Y.Doc();
    const provider = documentProvider(doc, 'agreements');
    const persistence = typeof indexedDB === 'undefined' ? null : new IndexeddbPersistence(roomDocumentDatabase(roomId, 'agreements'), doc);
    let live = true;
    const offState = provider.onState((state) => {
      setSync(state);
      if (provider.synced) setLoaded(true);
    });
    const onUpdate = () => setRevision((r) => r + 1);
    doc.on('update', onUpdate);
    if (persistence) {
      persistence.whenSynced.then(
        () => live && setLoaded(true),
        () => live && setLoaded(true),
      );
    } else setLoaded(true);
    // The room is gone, or no longer this device's (src/device/forgetRoom.ts): the copy stops
    // writing and closes, so its database can be deleted.
    const offForgotten = onRoomForgotten(roomId, () => void persistence?.destroy());
    setSession({ doc, provider, keep: persistence });
    setSync(provider.syncState);
    return () => {
      live = false;
      offState();
      doc.off('update', onUpdate);
      offForgotten();
      provider.destroy();
      void persistence?.destroy();
      doc.destroy();
      setSession(null);
      setLoaded(false);
    };
  }, [roomId]);

  useEffect(() => {
    session?.provider.setJoined(joined);
  }, [session, joined]);

  return session ? { doc: session.doc, provider: session.provider, sync, loaded, revision, keep: session.keep } : null;
}
