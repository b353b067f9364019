import { useEffect, useMemo } from 'react';
import { agreementViews, dayOf, emptyRecords, notesFragment, readDrafts } from '../../../shared/agreements';
import type { RoomView, SeatId } from '../../../shared/protocol/rooms';
import { AddAgreementForm } from './AddAgreementForm';
import { AgreementCard } from './AgreementCard';
import type { Reader } from './agreementWords';
import { CollabEditor } from './CollabEditor';
import { showingAgreements } from './downloadAgreements';
import { ExportActions } from './ExportActions';
import { editorUser } from './people';
import { PrintView } from './PrintView';
import { StarterList } from './StarterList';
import { SyncStatus } from './SyncStatus';
import { useAgreementRecords } from './useAgreementRecords';
import { useAgreementsDoc } from './useAgreementsDoc';
import { VersionsPanel } from './VersionsPanel';
import './agreements.css';

export interface AgreementsPanelProps {
  room: RoomView;
  you: SeatId;
  connected: boolean;
}

/**
 * "Our agreements": drafts written together live (the shared document), joined with what the
 * server keeps on the record (who accepted which words, commitments, versions).
 */
export default function AgreementsPanel({ room, you, connected }: AgreementsPanelProps) {
  const live = useAgreementsDoc(room.roomId, connected);
  const records = useAgreementRecords(room.roomId, connected, live?.keep ?? null);
  const user = useMemo(() => editorUser(room, you), [room, you]);
  const reader: Reader & { you: SeatId } = useMemo(() => ({ room, you }), [room, you]);
  const agreements = useMemo(
    () => (live ? agreementViews(readDrafts(live.doc), records ?? emptyRecords(), dayOf(Date.now())) : []),
    [live?.doc, live?.revision, records],
  );
  // "Download our agreements first" (the room menu) takes the words from here while this is open
  useEffect(() => showingAgreements(room.roomId, () => agreements), [room.roomId, agreements]);
  const canAct = connected && records !== null;
  const takenTitles = useMemo(() => new Set(agreements.map((view) => view.title.trim())), [agreements]);

  return (
    <section className="agreements" aria-labelledby="agreements-title">
      <div className="agreements-head">
        <h2 id="agreements-title">Our agreements</h2>
        {live && <SyncStatus state={live.sync} />}
      </div>
      <p className="muted agreements-intro">
        {you === 'counsellor'
          ? 'The couple write them together, in their own words. An agreement counts once both have agreed to the same words; if the words change, what they agreed stays until both agree to the new ones.'
          : 'Write them together, in your own words. An agreement counts once you have both agreed to the same words; if the words change, what you agreed stays until you both agree to the new ones.'}
      </p>
      {!live || !live.loaded ? (
        <p className="card muted" role="status">
          Opening your agreements…
        </p>
      ) : (
        <div className="agreements-layout">
          <div className="agreements-main">
            {agreements.length === 0 ? (
              <StarterList canAct={connected} empty taken={takenTitles} forCounsellor={you === 'counsellor'} />
            ) : (
              <ol className="agreement-list" aria-label="Agreements">
                {agreements.map((view) => (
                  <li key={view.id}>
                    <AgreementCard view={view} doc={live.doc} provider={live.provider} reader={reader} user={user} canAct={canAct} />
                  </li>
                ))}
              </ol>
            )}
            <AddAgreementForm canAct={connected} />
            {agreements.length > 0 && <StarterList canAct={connected} empty={false} taken={takenTitles} />}
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
            <VersionsPanel versions={records?.versions ?? []} agreements={agreements} canAct={canAct} />
            <ExportActions agreements={agreements} room={room} />
          </aside>
        </div>
      )}
      {live && <PrintView agreements={agreements} room={room} />}
    </section>
  );
}
