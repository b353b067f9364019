import { useCallback, useEffect, useRef, useState } from 'react';
import type { Pack } from '../../../shared/content/packSchema';
import type { SessionEventsMessage, SessionTranscript, SessionView, TranscriptEntry } from '../../../shared/protocol/sessions';
import type { Command, SessionEvent, SessionState } from '../../../shared/session/types';
import { getSocket, messageOf, request } from '../realtime/connection';

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
  /** Sends one turn command; resolves with the refusal's words, or null when accepted. */
  send(command: Command): Promise<string | null>;
  busy: boolean;
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
  const [packs, setPacks] = useState<Pack[] | null>(null);
  const [transcript, setTranscript] = useState<SessionConnection['transcript']>(null);
  const [cards, setCards] = useState<RepairCard[]>([]);
  const [addedProposals, setAdded] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const version = useRef(-1);
  const packsAsked = useRef(false);

  const applyView = useCallback((view: SessionView, force = false) => {
    if (!force && view.state.version < version.current) return;
    version.current = view.state.version;
    setOffset(view.serverNow - Date.now());
    setState(view.state);
  }, []);

  const applyTranscript = useCallback((t: SessionTranscript) => {
    setTranscript((current) => {
      if (t.replace || !current || current.sessionId !== t.sessionId) {
        return t.entries.length === 0 && t.replace ? null : { sessionId: t.sessionId, entries: t.entries };
      }
      return { sessionId: t.sessionId, entries: [...current.entries, ...t.entries].sort((x, y) => x.at - y.at) };
    });
  }, []);

  useEffect(() => {
    const socket = getSocket();
    const onState = (view: SessionView) => applyView(view);
    const onEvents = (message: SessionEventsMessage) => {
      const repairs = message.events.filter((e): e is Extract<SessionEvent, { type: 'repair' }> => e.type === 'repair');
      if (repairs.length) setCards((c) => [...c, ...repairs.map((r) => ({ id: ++cardId, seat: r.seat, text: r.text }))].slice(-3));
      if (message.events.some((e) => e.type === 'sessionStarted' || e.type === 'sessionProposed')) setAdded([]);
    };
    const onAdded = (info: { proposalIds: string[] }) => setAdded((a) => [...new Set([...a, ...info.proposalIds])]);
    socket.on('session:state', onState);
    socket.on('session:events', onEvents);
    socket.on('session:transcript', applyTranscript);
    socket.on('session:agreementsAdded', onAdded);
    return () => {
      socket.off('session:state', onState);
      socket.off('session:events', onEvents);
      socket.off('session:transcript', applyTranscript);
      socket.off('session:agreementsAdded', onAdded);
    };
  }, [applyView, applyTranscript]);

  useEffect(() => {
    if (!connected) return;
    let stopped = false;
    void request<{ session: SessionView; transcript: SessionTranscript | null }>('session:sync', {})
      .then((res) => {
        if (stopped) return;
        // A fresh answer after a (re)join is the truth, even if a restarted store counts from lower.
        applyView(res.session, true);
        setTranscript(res.transcript && { sessionId: res.transcript.sessionId, entries: res.transcript.entries });
      })
      .catch(() => undefined);
    if (!packsAsked.current) {
      packsAsked.current = true;
      void request<{ packs: Pack[] }>('session:packs', {})
        .then((res) => setPacks(res.packs))
        .catch(() => {
          packsAsked.current = false;
        });
    }
    return () => {
      stopped = true;
    };
  }, [connected, applyView]);

  const send = useCallback(async (command: Command) => {
    setBusy(true);
    try {
      await request('session:command', command);
      return null;
    } catch (err) {
      return messageOf(err);
    } finally {
      setBusy(false);
    }
  }, []);

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
    send,
    busy,
  };
}
