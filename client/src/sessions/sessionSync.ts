import type { SessionTranscript, SessionView, TranscriptEntry } from '../../../shared/protocol/sessions';

export interface HeldTranscript {
  sessionId: string;
  entries: TranscriptEntry[];
}

/**
 * What a device was sent by broadcast while its `session:sync` was on the way. The server reads
 * the answer's state and transcript with awaits in between, while other sockets' commands go on
 * (on this node or another), so a broadcast that reaches the device before the answer can be
 * newer than the answer.
 */
export interface SyncWindow {
  /** the newest state version broadcast since the sync was sent, -1 for none */
  newest: number;
  /** every transcript message since the sync was sent, in order of arrival */
  transcripts: SessionTranscript[];
}

export function openSyncWindow(): SyncWindow {
  return { newest: -1, transcripts: [] };
}

export function noteState(window: SyncWindow | null, view: SessionView): void {
  if (window) window.newest = Math.max(window.newest, view.state.version);
}

export function noteTranscript(window: SyncWindow | null, transcript: SessionTranscript): void {
  window?.transcripts.push(transcript);
}

/**
 * The answer's state replaces the held one unless a newer one was broadcast since the sync was
 * sent. Versions of broadcasts before the sync do not count: a restarted store counts from lower.
 */
export function answerIsCurrent(answer: SessionView, window: SyncWindow): boolean {
  return answer.state.version >= window.newest;
}

const entryKey = (e: TranscriptEntry): string => JSON.stringify([e.at, e.by, e.kind, e.stepId, e.text]);

/** One transcript message on what the device holds: a replacement, or lines to add in time order. */
export function foldTranscript(current: HeldTranscript | null, t: SessionTranscript): HeldTranscript | null {
  if (t.replace || !current || current.sessionId !== t.sessionId) {
    return t.entries.length === 0 && t.replace ? null : { sessionId: t.sessionId, entries: t.entries };
  }
  const seen = new Set(current.entries.map(entryKey));
  const added = t.entries.filter((e) => !seen.has(entryKey(e)));
  if (added.length === 0) return current;
  return { sessionId: t.sessionId, entries: [...current.entries, ...added].sort((x, y) => x.at - y.at) };
}

/**
 * The transcript after a sync answer: the answer's, with the messages broadcast since the sync
 * was sent laid on it again, since the answer may have been read before their lines were
 * stored. A current answer takes only its own session's lines: anything else broadcast since is
 * older than it (a record let go at the end stays gone).
 */
export function transcriptAfterSync(
  answer: { session: SessionView; transcript: SessionTranscript | null },
  window: SyncWindow,
): HeldTranscript | null {
  const { transcript } = answer;
  const base = transcript && { sessionId: transcript.sessionId, entries: transcript.entries };
  const later = answerIsCurrent(answer.session, window)
    ? window.transcripts.filter((t) => transcript !== null && t.sessionId === transcript.sessionId)
    : window.transcripts;
  return later.reduce<HeldTranscript | null>(foldTranscript, base);
}
