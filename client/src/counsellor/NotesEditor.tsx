import { useEffect, useMemo, useState } from 'react';
import * as Y from 'yjs';
import { CollabEditor } from '../agreements/CollabEditor';
import type { SocketIOProvider, SyncState } from '../agreements/socketIOProvider';
import { documentProvider } from '../realtime/documentProvider';

const syncWords: Record<SyncState['kind'], string> = {
  offline: 'Offline: your notes will be saved when you are back.',
  syncing: 'Saving…',
  saved: 'Saved. Only you can see these notes.',
  problem: '',
};

/**
 * The room's `counsellor-notes` document in a Tiptap editor. Loaded only in the counsellor's
 * seat (the server refuses this document to partners), and only when opened.
 */
export default function NotesEditor({ connected, name }: { connected: boolean; name: string }) {
  const [session, setSession] = useState<{ doc: Y.Doc; provider: SocketIOProvider } | null>(null);
  const [sync, setSync] = useState<SyncState>({ kind: 'offline' });

  useEffect(() => {
    const doc = new Y.Doc();
    const provider = documentProvider(doc, 'counsellor-notes');
    const off = provider.onState(setSync);
    setSession({ doc, provider });
    return () => {
      off();
      provider.destroy();
      doc.destroy();
      setSession(null);
    };
  }, []);

  useEffect(() => {
    session?.provider.setJoined(connected);
  }, [session, connected]);

  const user = useMemo(() => ({ name, color: '#2f5d57' }), [name]);
  if (!session) return null;
  return (
    <div className="cn-notes-editor">
      <CollabEditor
        fragment={session.doc.getXmlFragment('notes')}
        provider={session.provider}
        user={user}
        label="Private notes for this room"
        placeholder="What you noticed, what to come back to next time…"
      />
      <p className="muted small" role="status">
        {sync.kind === 'problem' ? sync.message : syncWords[sync.kind]}
      </p>
    </div>
  );
}
