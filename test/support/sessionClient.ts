import { afterEach, beforeEach, expect } from 'vitest';
import type { Ack } from '../../shared/protocol/errors';
import type { SessionTranscript, SessionView } from '../../shared/protocol/sessions';
import type { PartnerSeat } from '../../shared/protocol/identity';
import type { Command, SessionState, SpeakerListenerStepState } from '../../shared/session/types';
import { claimSeat, connectClient, createRoomOverHttp, request, type ClientSocket, type CreatedRoom } from './socketClient';
import { startTestServer, type TestServer } from './testServer';

/** Two partners paired in one room, each with a real socket.io-client connection. */
export interface Pair {
  /** what opening the room answered: its code and invite included */
  created: CreatedRoom;
  roomId: string;
  a: ClientSocket;
  b: ClientSocket;
  tokens: { A: string; B: string };
  /** every socket opened, so the test can close them */
  sockets: ClientSocket[];
  socketOf(seat: PartnerSeat): ClientSocket;
}

export async function join(socket: ClientSocket, roomId: string, deviceToken: string): Promise<void> {
  const joined = await request(socket, 'room:join', { roomId, deviceToken });
  if (!joined.ok) throw new Error(`join refused: ${joined.error.code}`);
}

/**
 * Sam (A) opens a room, Alex (B) claims the other seat by its invite (or `by` its code); both are
 * in the room. `urlB` puts B on another node.
 */
export async function pairUp(url: string, urlB: string = url, by: 'invite' | 'code' = 'invite'): Promise<Pair> {
  const created = await createRoomOverHttp(url, 'Sam');
  const a = await connectClient(url);
  await join(a, created.roomId, created.deviceToken);
  const b = await connectClient(urlB);
  const claimed = await claimSeat(b, created, { by });
  await join(b, created.roomId, claimed.deviceToken);
  return {
    created,
    roomId: created.roomId,
    a,
    b,
    tokens: { A: created.deviceToken, B: claimed.deviceToken },
    sockets: [a, b],
    socketOf: (seat) => (seat === 'A' ? a : b),
  };
}

export function send(socket: ClientSocket, command: Command): Promise<Ack<{ version: number }>> {
  return request<{ version: number }>(socket, 'session:command', command) as Promise<Ack<{ version: number }>>;
}

/** Sends a command that must be accepted. */
export async function ok(socket: ClientSocket, command: Command): Promise<number> {
  const res = await send(socket, command);
  if (!res.ok) throw new Error(`${command.type} refused: ${res.error.code}`);
  return res.version;
}

/** Sends a command that must be refused with this code, and checks nothing changed. */
export async function refused(socket: ClientSocket, command: Command, code: string): Promise<void> {
  const before = await view(socket);
  const res = await send(socket, command);
  expect(res.ok === false && res.error.code, `${command.type} should be refused`).toBe(code);
  expect((await view(socket)).state).toEqual(before.state);
}

export async function synced(socket: ClientSocket): Promise<{ session: SessionView; transcript: SessionTranscript | null }> {
  const res = await request<{ session: SessionView; transcript: SessionTranscript | null }>(socket, 'session:sync', {});
  if (!res.ok) throw new Error(`sync refused: ${res.error.code}`);
  return { session: res.session, transcript: res.transcript };
}

export async function view(socket: ClientSocket): Promise<SessionView> {
  return (await synced(socket)).session;
}

export async function state(socket: ClientSocket): Promise<SessionState> {
  return (await view(socket)).state;
}

/** Keeps the latest `session:state` a socket was sent, as the app does. */
export function watchState(socket: ClientSocket): { latest(): SessionView | null; all: SessionView[] } {
  const all: SessionView[] = [];
  (socket as unknown as { on(e: string, f: (v: SessionView) => void): void }).on('session:state', (v) => all.push(v));
  return {
    all,
    latest: () => all.reduce<SessionView | null>((best, v) => (best === null || v.state.version >= best.state.version ? v : best), null),
  };
}

const WRITTEN = {
  spoke: 'I feel tired when the dishes wait, because I need rest.',
  reflected: 'What I heard is that you need rest.',
  validated: 'That makes sense because you work late.',
  empathised: 'I imagine you might feel alone.',
};

/** One speaker-listener turn as two people would take it, ending with the floor passed. */
export async function takeTurn(pair: Pair, step: SpeakerListenerStepState, write: boolean): Promise<void> {
  const speaker = pair.socketOf(step.speaker);
  const listener = pair.socketOf(step.speaker === 'A' ? 'B' : 'A');
  if (write) await ok(speaker, { type: 'speak', text: WRITTEN.spoke });
  await ok(speaker, { type: 'passToReflect' });
  await ok(listener, write ? { type: 'reflect', text: WRITTEN.reflected } : { type: 'reflect' });
  await ok(speaker, { type: 'confirm' });
  if (step.offerValidate) await ok(listener, write ? { type: 'validate', text: WRITTEN.validated } : { type: 'validate' });
  if (step.offerEmpathise) await ok(listener, write ? { type: 'empathise', text: WRITTEN.empathised } : { type: 'empathise' });
  await ok(speaker, { type: 'passFloor' });
}

/** Drives every step to completion over the sockets, then moves on, until the session ends. */
export async function walkSession(pair: Pair): Promise<number> {
  let proposals = 0;
  let steps = 0;
  for (;;) {
    const s = await state(pair.a);
    if (s.phase !== 'active') return steps;
    const write = s.mode === 'write';
    const step = s.step;
    switch (step.kind) {
      case 'speaker-listener': {
        let current: SessionState = s;
        while (current.phase === 'active' && current.step.kind === 'speaker-listener' && current.step.sub !== 'complete') {
          await takeTurn(pair, current.step, write);
          current = await state(pair.a);
        }
        break;
      }
      case 'open':
      case 'appreciation': {
        const first = pair.socketOf(step.turn);
        const second = pair.socketOf(step.turn === 'A' ? 'B' : 'A');
        await ok(first, { type: 'addEntry', id: `${s.stepId}-1`, text: 'Something I noticed.' });
        await ok(second, { type: 'addEntry', id: `${s.stepId}-2`, text: 'Something I noticed too.' });
        await ok(first, { type: 'ready' });
        await ok(second, { type: 'ready' });
        break;
      }
      case 'agreement':
        await ok(pair.a, { type: 'proposeAgreement', id: `p${++proposals}`, text: 'We tell each other when plans change.' });
        await ok(pair.b, { type: 'proposeAgreement', id: `p${++proposals}`, text: 'We check in every Sunday evening.' });
        await ok(pair.b, { type: 'ready' });
        await ok(pair.a, { type: 'ready' });
        break;
      case 'break':
        break;
    }
    // A partner's next step asks the other, who agrees (TM-39).
    const asker = s.stepIndex % 2 === 0 ? pair.a : pair.b;
    await ok(asker, { type: 'nextStep' });
    await ok(asker === pair.a ? pair.b : pair.a, { type: 'nextStep' });
    steps += 1;
  }
}

export function closeAll(sockets: ClientSocket[]): void {
  for (const s of sockets.splice(0)) s.disconnect();
}

/**
 * A fresh server and a paired room for every test of the file (`beforeEach`), both gone after
 * it. Read `server` and `pair` inside the tests: they change from test to test.
 */
export function pairedRoomPerTest(env?: Record<string, string>): { readonly server: TestServer; readonly pair: Pair } {
  const current = {} as { server: TestServer; pair: Pair };
  beforeEach(async () => {
    current.server = await startTestServer(env ? { env } : {});
    current.pair = await pairUp(current.server.url);
  });
  afterEach(async () => {
    for (const socket of current.pair.sockets) socket.disconnect();
    await current.server.destroy();
  });
  return current;
}
