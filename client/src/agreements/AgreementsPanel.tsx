import { useMemo } from 'react';
import { notesFragment, readAgreements, type Author } from '../../../shared/agreements';
import type { RoomView, SeatId } from '../../../shared/protocol/rooms';
import { AddAgreementForm } from './AddAgreementForm';
import { AgreementCard } from './AgreementCard';
import { CollabEditor } from './CollabEditor';
import { ExportActions } from './ExportActions';
import { editorUser, nameOf } from './people';
import { PrintView } from './PrintView';
import { StarterList } from './StarterList';
import { SyncStatus } from './SyncStatus';
import { useAgreementsDoc } from './useAgreementsDoc';
import { VersionsPanel } from './VersionsPanel';
import './agreements.css';

export interface AgreementsPanelProps {
  room: RoomView;
  you: SeatId;
  connected: boolean;
}

/** "Our agreements": written together live, agreed by both, kept as versions and copies. */
export default function AgreementsPanel({ room, you, connected }: AgreementsPanelProps) {
  const live = useAgreementsDoc(room.roomId, connected);
  const user = useMemo(() => editorUser(room, you), [room, you]);
  const author: Author = useMemo(() => ({ seat: you, name: nameOf(room, you) }), [room, you]);
  const agreements = useMemo(() => (live ? readAgreements(live.doc) : []), [live?.doc, live?.revision]);

  return (
    <section className="agreements" aria-labelledby="agreements-title">
      <div className="agreements-head">
        <h2 id="agreements-title">Our agreements</h2>
        {live && <SyncStatus state={live.sync} />}
      </div>
      <p className="muted agreements-intro">
        Write them together, in your own words. An agreement counts once you have both agreed to the same words; if the words
        change, you agree again.
      </p>
      {!live || !live.loaded ? (
        <p className="card muted" role="status">
          Opening your agreements…
        </p>
      ) : (
        <div className="agreements-layout">
          <div className="agreements-main">
            {agreements.length === 0 ? (
              <StarterList doc={live.doc} author={author} />
            ) : (
              <ol className="agreement-list" aria-label="Agreements">
                {agreements.map((view) => (
                  <li key={view.id}>
                    <AgreementCard view={view} doc={live.doc} provider={live.provider} room={room} you={you} user={user} />
                  </li>
                ))}
              </ol>
            )}
            <AddAgreementForm doc={live.doc} author={author} />
          </div>
          <aside className="agreements-side" aria-label="Notes, versions and copies">
            <section className="card notes" aria-labelledby="notes-title">
              <h3 id="notes-title">Shared notes</h3>
              <p className="small muted">Anything you want to remember, side by side with the agreements.</p>
              <CollabEditor
                fragment={notesFragment(live.doc)}
                provider={live.provider}
                user={user}
                label="Shared notes"
                placeholder="Write here together…"
                className="notes-editor"
              />
            </section>
            <VersionsPanel doc={live.doc} author={author} revision={live.revision} />
            <ExportActions doc={live.doc} />
          </aside>
        </div>
      )}
      {live && <PrintView agreements={agreements} room={room} />}
    </section>
  );
}
