import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  answerIsCurrent,
  foldTranscript,
  noteState,
  noteTranscript,
  openSyncWindow,
  transcriptAfterSync,
  type HeldTranscript,
  type SyncWindow,
} from '../../client/src/sessions/sessionSync';
import { startApp, type RunningApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { createLevelStorage } from '../../server/storage/level/levelStorage';
import type { Ack } from '../../shared/protocol/errors';
import type { SessionTranscript, SessionView } from '../../shared/protocol/sessions';
import { closeAll, ok, pairUp, state } from '../support/sessionClient';
import { nextEvent, type ClientSocket } from '../support/socketClient';
import { tempDataDir } from '../support/testServer';
import { rmSync } from 'node:fs';

type SyncAnswer = { session: SessionView; transcript: SessionTranscript | null };

/**
 * A partner's device asks for the session (`session:sync`, after every join) while the other
 * partner sends a turn. The server reads the answer with awaits in between, so the other
 * socket's command can be stored and broadcast before the answer leaves: the device is sent the
 * turn first and an answer read before it second. Here the store's transcript read is held at
 * that point, so the order is the same on every run.
 */
let app: RunningApp;
let dataDir: string;
let holdListing: { listed(): void; released: Promise<void> } | null = null;
const sockets: ClientSocket[] = [];

beforeEach(async () => {
  dataDir = tempDataDir();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const storage = await createLevelStorage(dataDir);
  const list = storage.roomLogs.list.bind(storage.roomLogs);
  storage.roomLogs.list = async (roomId, sessionId) => {
    const entries = await list(roomId, sessionId);
    const hold = holdListing;
    if (hold) {
      hold.listed();
      await hold.released;
    }
    return entries;
  };
  app = await startApp({ config, storage, log: createLogger(config.logLevel) });
});

afterEach(async () => {
  holdListing = null;
  closeAll(sockets);
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** What one device holds, moved by what it is sent, by the rules of client/src/sessions/useSession.ts. */
function device(socket: ClientSocket) {
  const held = { view: null as SessionView | null, transcript: null as HeldTranscript | null };
  let window: SyncWindow | null = null;
  const on = socket as unknown as { on(e: string, f: (p: never) => void): void };
  on.on('session:state', (view: SessionView) => {
    noteState(window, view);
    if (!held.view || view.state.version >= held.view.state.version) held.view = view;
  });
  on.on('session:transcript', (t: SessionTranscript) => {
    noteTranscript(window, t);
    held.transcript = foldTranscript(held.transcript, t);
  });
  return {
    held,
    /** Sends `session:sync`; resolves with the answer once the device has applied it. */
    sync(): Promise<SyncAnswer> {
      const asked = openSyncWindow();
      window = asked;
      return new Promise((resolve, reject) => {
        socket.emit('session:sync', {}, (res: Ack<SyncAnswer>) => {
          window = null;
          if (!res.ok) return reject(new Error(res.error.code));
          if (answerIsCurrent(res.session, asked)) held.view = res.session;
          held.transcript = transcriptAfterSync(res, asked);
          resolve(res);
        });
      });
    },
  };
}

describe('a sync answer and a broadcast turn, in the order the server sends them', () => {
  it('the turn sent first is kept, and the older answer does not take the session back', async () => {
    const p = await pairUp(app.url);
    sockets.push(...p.sockets);
    await ok(p.a, { type: 'propose', packId: 'turning-the-page', mode: 'write' });
    await ok(p.b, { type: 'accept' });
    const started = await state(p.a);
    expect(started.phase === 'active' && started.step.kind === 'speaker-listener' && started.step.speaker).toBe('B');

    const a = device(p.a);
    let listed!: () => void;
    let release!: () => void;
    const reading = new Promise<void>((resolve) => (listed = resolve));
    holdListing = { listed: () => listed(), released: new Promise<void>((resolve) => (release = resolve)) };
    const answer = a.sync();
    await reading; // the answer's state and transcript are read, not yet sent

    const words = 'being able to trust you again.';
    const turnReachedA = nextEvent<SessionTranscript>(p.a, 'session:transcript', (t) => t.entries.some((e) => e.text === words));
    await ok(p.b, { type: 'speak', text: words });
    await turnReachedA;
    holdListing = null;
    release();
    const sent = await answer;

    // The order this test is about: the answer came after the turn, and was read before it.
    expect(sent.transcript?.entries.some((e) => e.text === words)).toBe(false);
    const turnVersion = (await state(p.b)).version;
    expect(sent.session.state.version).toBeLessThan(turnVersion);

    // The device holds the turn and the session as it is after it.
    expect(a.held.transcript?.entries.map((e) => e.text)).toEqual([words]);
    expect(a.held.view?.state.version).toBe(turnVersion);
  });
});
