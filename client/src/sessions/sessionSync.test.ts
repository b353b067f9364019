import { describe, expect, it } from 'vitest';
import type { SessionTranscript, SessionView, TranscriptEntry } from '../../../shared/protocol/sessions';
import { initialSessionState } from '../../../shared/session/turnMachine';
import { answerIsCurrent, foldTranscript, noteState, noteTranscript, openSyncWindow, transcriptAfterSync, type SyncWindow } from './sessionSync';

const entry = (at: number, text: string): TranscriptEntry => ({ at, by: 'B', kind: 'spoke', stepId: 'st1', text });
const viewAt = (version: number): SessionView => ({ state: { ...initialSessionState(0), version }, serverNow: 0 });
const append = (sessionId: string, ...entries: TranscriptEntry[]): SessionTranscript => ({ sessionId, entries, replace: false });
const gone = (sessionId: string): SessionTranscript => ({ sessionId, entries: [], replace: true });

function windowOf(states: number[], transcripts: SessionTranscript[]): SyncWindow {
  const w = openSyncWindow();
  for (const v of states) noteState(w, viewAt(v));
  for (const t of transcripts) noteTranscript(w, t);
  return w;
}

describe('foldTranscript', () => {
  it('adds lines in time order, once each', () => {
    const held = foldTranscript(null, append('s1', entry(2, 'two')));
    const next = foldTranscript(held, append('s1', entry(1, 'one'), entry(2, 'two')));
    expect(next?.entries.map((e) => e.text)).toEqual(['one', 'two']);
  });
  it('a record let go at the end leaves nothing', () => {
    expect(foldTranscript({ sessionId: 's1', entries: [entry(1, 'one')] }, gone('s1'))).toBeNull();
  });
});

describe('a sync answer against what was broadcast while it was on its way', () => {
  const cases: { name: string; answer: number; transcript: SessionTranscript | null; states: number[]; since: SessionTranscript[]; current: boolean; lines: string[] | null }[] = [
    { name: 'nothing since: the answer as it is', answer: 5, transcript: append('s1', entry(1, 'one')), states: [], since: [], current: true, lines: ['one'] },
    {
      name: 'a turn broadcast before an older answer: the turn stays, the state is not taken back',
      answer: 5,
      transcript: append('s1'),
      states: [6],
      since: [append('s1', entry(2, 'two'))],
      current: false,
      lines: ['two'],
    },
    {
      name: 'state read after the turn, its line before it was stored: the line stays',
      answer: 6,
      transcript: append('s1', entry(1, 'one')),
      states: [6],
      since: [append('s1', entry(2, 'two'))],
      current: true,
      lines: ['one', 'two'],
    },
    {
      name: 'a restarted store counts from lower: its answer still counts against nothing since',
      answer: 0,
      transcript: null,
      states: [],
      since: [],
      current: true,
      lines: null,
    },
    {
      name: 'a current answer with no record keeps lines of an earlier broadcast out',
      answer: 9,
      transcript: null,
      states: [8],
      since: [append('s1', entry(2, 'two'))],
      current: true,
      lines: null,
    },
    {
      name: 'a record let go after the answer was read stays gone',
      answer: 7,
      transcript: append('s1', entry(1, 'one')),
      states: [8],
      since: [gone('s1')],
      current: false,
      lines: null,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const w = windowOf(c.states, c.since);
      const answer = { session: viewAt(c.answer), transcript: c.transcript };
      expect(answerIsCurrent(answer.session, w)).toBe(c.current);
      expect(transcriptAfterSync({ ...answer, transcript: c.transcript && { ...c.transcript, replace: true } }, w)?.entries.map((e) => e.text) ?? null).toEqual(c.lines);
    });
  }
});
