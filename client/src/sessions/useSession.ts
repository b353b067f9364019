import { useCallback, useEffect, useRef, useState } from 'react';
import type { Pack } from '../../../shared/content/packSchema';
import type { SessionView, TranscriptEntry } from '../../../shared/protocol/sessions';
import type { SessionEvent, SessionState } from '../../../shared/session/types';
import { useRequest } from '../realtime/useRequest';
import { useSocketEvent } from '../realtime/useSocketEvent';
import { answerIsCurrent, foldTranscript, noteState, noteTranscript, openSyncWindow, transcriptAfterSync, type SyncWindow } from './sessionSync';

export interface RepairCard {
  id: number;
  seat: 'A' | 'B';
  text: string;
}

export interface SessionConnection {
  state: SessionState | null;
  /** server clock minus this device's clock, for countdowns from the state's timestamps */
  offset: number;
  packs: Pack[] | null;
  transcript: { sessionId: string; entries: TranscriptEntry[] } | null;
  cards: RepairCard[];
  dismissCard(id: number): void;
  /** proposals already written into the agreements, by id */
  addedProposals: string[];
  markAdded(ids: string[]): void;
}

let cardId = 0;

/**
 * The room's guided session as this seat sees it. The server pushes a snapshot after every
 * accepted command; a snapshot older than the one held (two nodes can deliver out of order)
 * is ignored. After every (re)join the hook asks for the current snapshot itself.
 */
export function useSession(connected: boolean): SessionConnection {
  const [state, setState] = useState<SessionState | null>(null);
  const [offset, setOffset] = useState(0);
  const [transcript, setTranscript] = useState<SessionConnection['transcript']>(null);
  const [cards, setCards] = useState<RepairCard[]>([]);
  const [addedProposals, setAdded] = useState<string[]>([]);
  const version = useRef(-1);

  const applyView = useCallback((view: SessionView, force = false) => {
    if (!force && view.state.version < version.current) return;
    version.current = view.state.version;
    setOffset(view.serverNow - Date.now());
    setState(view.state);
  }, []);

  // What is broadcast while `session:sync` is on its way, which may be newer than its answer.
  // Opened here, before useRequest below sends the sync: effects run in the order declared.
  const syncWindow = useRef<SyncWindow | null>(null);
  useEffect(() => {
    syncWindow.current = connected ? openSyncWindow() : null;
  }, [connected]);

  useSocketEvent('session:state', (view) => {
    noteState(syncWindow.current, view);
    applyView(view);
  });
  useSocketEvent('session:events', (message) => {
    const repairs = message.events.filter((e): e is Extract<SessionEvent, { type: 'repair' }> => e.type === 'repair');
    if (repairs.length) setCards((c) => [...c, ...repairs.map((r) => ({ id: ++cardId, seat: r.seat, text: r.text }))].slice(-3));
    if (message.events.some((e) => e.type === 'sessionStarted' || e.type === 'sessionProposed')) setAdded([]);
  });
  useSocketEvent('session:transcript', (t) => {
    noteTranscript(syncWindow.current, t);
    setTranscript((current) => foldTranscript(current, t));
  });
  useSocketEvent('session:agreementsAdded', (info) => setAdded((a) => [...new Set([...a, ...info.proposalIds])]));

  useRequest('session:sync', {}, {
    enabled: connected,
    onResult: (res) => {
      const asked = syncWindow.current ?? openSyncWindow();
      syncWindow.current = null;
      // The answer after a (re)join is the truth, even if a restarted store counts from lower,
      // unless a newer state was broadcast while it was on its way.
      if (answerIsCurrent(res.session, asked)) applyView(res.session, true);
      setTranscript(transcriptAfterSync(res, asked));
    },
  });
  const packs = useRequest('session:packs', {}, { enabled: connected })?.packs ?? null;

  const dismissCard = useCallback((id: number) => setCards((c) => c.filter((x) => x.id !== id)), []);
  const markAdded = useCallback((ids: string[]) => setAdded((a) => [...new Set([...a, ...ids])]), []);

  return {
    state,
    offset,
    packs,
    transcript,
    cards,
    dismissCard,
    addedProposals,
    markAdded,
  };
}
