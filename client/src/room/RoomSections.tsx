import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { AgreementsSection } from '../agreements/AgreementsSection';
import { TalkSection } from '../sessions/TalkSection';
import { DueReviews } from './DueReviews';
import type { RoomSectionProps } from './roomSectionProps';

type Tab = 'talk' | 'agreements' | 'way';

function useRoomTab(roomId: string): [Tab, (tab: Tab) => void] {
  const key = `commonground.tab.${roomId}`;
  const [tab, setTab] = useState<Tab>(() => {
    const kept = sessionStorage.getItem(key);
    return kept === 'agreements' || kept === 'way' ? kept : 'talk';
  });
  useEffect(() => sessionStorage.setItem(key, tab), [key, tab]);
  return [tab, setTab];
}

// Only a counsellor's own room and a moderated room show these, so a couple's room never loads them.
const CounsellorRoomView = lazy(() => import('../counsellor/CounsellorRoomView').then((m) => ({ default: m.CounsellorRoomView })));
const CounsellorDesk = lazy(() => import('../counsellor/CounsellorRoomView').then((m) => ({ default: m.CounsellorDesk })));
// "Our way so far" loads in its own chunk, once opened (or at once where all parts show).
const OurWaySoFar = lazy(() => import('../checkIns/OurWaySoFar'));
const PartnerCounsellorPanel = lazy(() => import('../counsellor/PartnerCounsellorPanel').then((m) => ({ default: m.PartnerCounsellorPanel })));

// Where both parts show side by side (styles.css, .room-tabs); below it, one tab at a time.
const BOTH_PARTS = '(min-width: 900px)';

/**
 * True once the agreements have been in sight: their editor and Yjs are most of the room's
 * weight, so a phone on the Talk tab does not load them; once loaded they stay, so going back
 * to Talk keeps the document live.
 */
function useAgreementsSeen(tab: Tab): boolean {
  const wide = () => typeof window.matchMedia === 'function' && window.matchMedia(BOTH_PARTS).matches;
  const [seen, setSeen] = useState(() => tab === 'agreements' || wide());
  useEffect(() => {
    if (seen) return;
    if (tab === 'agreements') return setSeen(true);
    const query = window.matchMedia?.(BOTH_PARTS);
    if (!query) return;
    const onChange = () => query.matches && setSeen(true);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, [seen, tab]);
  return seen;
}

/**
 * The parts of a room below the header. Each feature (guided sessions, agreements, the
 * counsellor's desk) adds its section here, so the room page itself stays a frame. On a phone
 * the two parts are tabs, so a couple sees one thing at a time; on a wide screen both show.
 */
export function RoomSections({ room, you, connected, timeOutSlot }: RoomSectionProps) {
  const partner = room.seats.find((s) => s.seat !== you && s.seat !== 'counsellor');
  const together = room.seats.filter((s) => s.seat !== 'counsellor').every((s) => s.presence === 'here');
  const [tab, setTab] = useRoomTab(room.roomId);
  const agreementsSeen = useAgreementsSeen(tab);
  const [sessionLive, setSessionLive] = useState(false);
  const onSessionLive = useCallback((live: boolean) => setSessionLive(live), []);
  // A time-out takes over a partner's whole screen, whichever tab was open: only the break
  // screen shows until it ends (the agreements stay open underneath, hidden, so nothing typed
  // there is lost). The counsellor keeps their desk beside it.
  const [onBreakNow, setOnBreak] = useState(false);
  const onBreak = useCallback((b: boolean) => setOnBreak(b), []);
  const takeover = onBreakNow && you !== 'counsellor';
  const shownTab: Tab = takeover ? 'talk' : tab;
  const onOpenAgreements = useCallback(() => setTab('agreements'), [setTab]);
  const props = { room, you, connected, onSessionLive, onBreak, timeOutSlot, onOpenAgreements };

  return (
    <>
      {you === 'counsellor' && (
        <Suspense fallback={null}>
          <CounsellorRoomView room={room} connected={connected} />
        </Suspense>
      )}
      {you !== 'counsellor' && !takeover && (
        <section className="welcome" aria-labelledby="welcome-title">
          <h2 id="welcome-title">
            {!connected ? 'Not connected just now' : together ? 'You are both here' : `Waiting for ${partner?.displayName ?? 'your partner'}`}
          </h2>
          <p className="muted">
            {connected
              ? 'There is no hurry here. A time-out is always allowed (the Time-out button, or Alt+P), and this room keeps your place.'
              : 'What you write in your agreements is kept on this device and shared as soon as the network is back. Agreeing, proposing and saving a version wait until then.'}
          </p>
          <DueReviews connected={connected} onOpen={() => setTab('agreements')} />
        </section>
      )}
      {room.mode === 'moderated' && you !== 'counsellor' && !takeover && (
        <Suspense fallback={null}>
          <PartnerCounsellorPanel room={room} connected={connected} />
        </Suspense>
      )}
      <nav className="room-tabs" aria-label="In this room" hidden={takeover}>
        <button type="button" className="room-tab" aria-current={tab === 'talk' ? 'page' : undefined} onClick={() => setTab('talk')}>
          Talk
          {sessionLive && tab !== 'talk' && (
            <span className="tab-badge">
              <span aria-hidden="true">●</span>
              <span className="visually-hidden">: a session is waiting</span>
            </span>
          )}
        </button>
        <button
          type="button"
          className="room-tab"
          aria-current={tab === 'agreements' ? 'page' : undefined}
          onClick={() => setTab('agreements')}
        >
          Our agreements
        </button>
        {you !== 'counsellor' && (
          <button type="button" className="room-tab" aria-current={tab === 'way' ? 'page' : undefined} onClick={() => setTab('way')}>
            Our way so far
          </button>
        )}
      </nav>
      <div className={`room-panel${shownTab === 'talk' ? ' is-current' : ''}${takeover ? ' on-break' : ''}`}>
        <TalkSection {...props} />
        {you === 'counsellor' && (
          <Suspense fallback={null}>
            <CounsellorDesk room={room} connected={connected} />
          </Suspense>
        )}
      </div>
      <div className={`room-panel${shownTab === 'agreements' ? ' is-current' : ''}`} hidden={takeover}>
        {agreementsSeen && <AgreementsSection {...props} />}
      </div>
      {you !== 'counsellor' && (
        <div className={`room-panel${shownTab === 'way' ? ' is-current' : ''}`} hidden={takeover}>
          {(shownTab === 'way' || agreementsSeen) && (
            <Suspense fallback={null}>
              <OurWaySoFar room={room} you={you} connected={connected} />
            </Suspense>
          )}
        </div>
      )}
    </>
  );
}
