import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { dayOf, readAgreements, readDrafts, toMarkdown } from '../../shared/agreements';
import type { AgreementRecordsView } from '../../shared/protocol/agreements';
import type { PrivateLine } from '../../shared/protocol/counsellors';
import type { SessionView } from '../../shared/protocol/sessions';
import { counsellorEnters, createModeratedRoom, partnerJoins, registerCounsellor } from '../support/counsellorKit';
import { serverPerTest } from '../support/serverPerTest';
import { connectClient, nextEvent, request, type ClientSocket } from '../support/socketClient';
import { syncStep1Message } from '../support/syncMessages';
import { YjsDocClient } from '../support/yjsDocClient';

/**
 * Nothing a counsellor keeps reaches a partner's device: every packet a partner's socket
 * receives during a whole moderated session is kept, decoded events and raw engine frames
 * (text and binary), and searched for unique markers written into the counsellor's notes, the
 * room's private label and the other partner's private lines.
 */

const NOTE = 'NOTE-MARKER-q7Zx';
const NOTE_LATER = 'LATER-NOTE-MARKER-k2Pw';
const LABEL = 'LABEL-MARKER-v9Hs';
const LINE_OF_A = 'LINE-OF-A-MARKER-r4Tn';
const LINE_OF_A_LATER = 'LATER-LINE-OF-A-MARKER-m8Gd';
const MARKERS = [NOTE, NOTE_LATER, LABEL, LINE_OF_A, LINE_OF_A_LATER];

interface Captured {
  /** decoded events (onAny) and raw engine packets, in arrival order */
  items: unknown[];
  events: string[];
}

/** Keeps every event and every raw engine frame the socket receives, across reconnects. */
function capture(socket: ClientSocket, into: Captured = { items: [], events: [] }): Captured {
  socket.onAny((event: string, ...args: unknown[]) => {
    into.events.push(event);
    into.items.push(event, args);
  });
  const hookEngine = () => socket.io.engine.on('packet', (packet: { type: string; data?: unknown }) => into.items.push(packet.data));
  hookEngine();
  socket.io.on('open', hookEngine);
  return into;
}

/** Every string and every byte sequence (as UTF-8 and as Latin-1) inside a captured value. */
function texts(value: unknown, out: string[] = [], seen = new Set<unknown>()): string[] {
  if (value === null || value === undefined) return out;
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number' || typeof value === 'boolean') out.push(String(value));
  else if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    out.push(Buffer.from(bytes).toString('utf8'), Buffer.from(bytes).toString('latin1'));
  } else if (typeof value === 'object') {
    if (seen.has(value)) return out;
    seen.add(value);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out.push(k);
      texts(v, out, seen);
    }
  }
  return out;
}

function leaks(captured: Captured): string[] {
  const all = texts(captured.items).join('\n');
  return MARKERS.filter((m) => all.includes(m));
}

/** A partner's agreements replica, built only from what their socket received. */
function agreementsReplica(socket: ClientSocket): Y.Doc {
  const doc = new Y.Doc();
  (socket as unknown as { on(e: string, f: (p: { doc: string; message: Uint8Array }) => void): void }).on('doc:message', ({ doc: name, message }) => {
    if (name !== 'agreements') return;
    const decoder = decoding.createDecoder(new Uint8Array(message));
    if (decoding.readVarUint(decoder) !== 0) return;
    syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, 'server');
  });
  return doc;
}

const { server, sockets, clients: docClients } = serverPerTest();
const track = (s: ClientSocket) => (sockets.push(s), s);

async function ok(socket: ClientSocket, event: string, payload: unknown): Promise<Record<string, unknown>> {
  const res = await request(socket, event, payload);
  if (!res.ok) throw new Error(`${event} ${JSON.stringify(payload)} refused: ${res.error.code}`);
  return res;
}

async function sessionState(socket: ClientSocket): Promise<SessionView['state']> {
  const res = await ok(socket, 'session:sync', {});
  return (res.session as SessionView).state;
}

describe('counsellor privacy', () => {
  it('no counsellor note, room label or private line of the other partner ever reaches a partner, through any event, reconnect or export', async () => {
    // The counsellor opens the room for the couple.
    const lee = await registerCounsellor(server.url, 'Dr Lee');
    track(lee.socket);
    // A control: the same capture on the counsellor's own socket must find the markers.
    const capturedLee = capture(lee.socket);
    const created = await createModeratedRoom(lee, LABEL);
    const roomId = created.room.roomId;

    // Both partners come in; B's socket is watched from before it claims its seat.
    const capturedB: Captured = { items: [], events: [] };
    const capturedA: Captured = { items: [], events: [] };
    let replicaB: Y.Doc | null = null;
    const b = await partnerJoins(server.url, created, 'B', 'Rae', (socket) => {
      capture(socket, capturedB);
      replicaB = agreementsReplica(socket);
    });
    track(b.socket);
    const a = await partnerJoins(server.url, created, 'A', 'Jo', (socket) => capture(socket, capturedA));
    track(a.socket);
    await ok(b.socket, 'doc:message', { doc: 'agreements', message: syncStep1Message(replicaB!) });
    // Asking for the notes is refused, and still nothing arrives.
    const asked = await request(b.socket, 'doc:message', { doc: 'counsellor-notes', message: syncStep1Message(new Y.Doc()) });
    expect(asked.ok === false && asked.error.code).toBe('DOC_NOT_ALLOWED');

    // The counsellor takes the seat and writes private notes (with presence on the notes).
    const notes = await YjsDocClient.connect(server.url, { roomId, deviceToken: lee.key }, 'counsellor-notes');
    docClients.push(notes);
    notes.awareness.setLocalStateField('user', { name: NOTE });
    notes.doc.getXmlFragment('default').insert(0, [new Y.XmlText(`Session 1: ${NOTE}`)]);
    await notes.settled();
    const seat = track(await counsellorEnters(server.url, lee, roomId));

    // A writes to the counsellor privately.
    const heard = nextEvent<PrivateLine>(lee.socket, 'counsellor:privateLine', (l) => l.text === LINE_OF_A);
    await ok(a.socket, 'privateLine:send', { choice: 'notComfortable', text: LINE_OF_A });
    expect((await heard).from).toBe('A');
    await ok(b.socket, 'privateLine:send', { choice: 'talkAlone', text: 'B to the counsellor' });

    // A moderated session, end to end, in writing.
    const packs = (await ok(seat, 'session:packs', {})).packs as Array<{ id: string; steps: Array<{ kind: string }> }>;
    const pack = packs.find((p) => p.steps.some((s) => s.kind === 'speaker-listener')) ?? packs[0]!;
    await ok(seat, 'session:command', { type: 'choosePack', packId: pack.id, mode: 'write' });
    await ok(a.socket, 'session:command', { type: 'accept' });
    await ok(b.socket, 'session:command', { type: 'accept' });
    await ok(seat, 'session:command', { type: 'pause' });
    await ok(seat, 'session:command', { type: 'resume' });
    for (let i = 0; i < pack.steps.length; i++) {
      const s = await sessionState(seat);
      if (s.phase !== 'active' || s.step.kind === 'speaker-listener') break;
      await ok(seat, 'session:command', { type: 'skipStep' });
    }
    const current = await sessionState(seat);
    if (current.phase === 'active' && current.step.kind === 'speaker-listener') {
      await ok(seat, 'session:command', { type: 'grantFloor', seat: 'B' });
      await ok(b.socket, 'session:command', { type: 'speak', text: 'What I would like is more time together.' });
      await ok(seat, 'session:command', { type: 'advance' });
    }
    await ok(seat, 'session:command', { type: 'repeatStep' });
    await ok(seat, 'session:command', { type: 'advance' });
    await ok(seat, 'session:command', { type: 'endSession' });
    expect((await sessionState(b.socket)).phase).toBe('ended');

    // Between sessions: a proposal into the agreements, a suggestion for next time.
    await ok(lee.socket, 'counsellor:proposeAgreement', { roomId, title: 'We take a walk on Sundays', category: 'time-together' });
    await ok(lee.socket, 'counsellor:suggestPack', { roomId, packId: pack.id });

    // B's network drops (B's socket reconnects and joins again), then B reloads (a new socket).
    const back = new Promise<void>((resolve) => b.socket.io.once('open', () => resolve()));
    b.socket.io.engine.close();
    await back;
    await new Promise<void>((resolve) => (b.socket.connected ? resolve() : b.socket.once('connect', () => resolve())));
    await ok(b.socket, 'room:join', { roomId, deviceToken: b.deviceToken });
    await ok(b.socket, 'doc:message', { doc: 'agreements', message: syncStep1Message(replicaB!) });
    const reloaded = track(await connectClient(server.url));
    capture(reloaded, capturedB);
    const replicaReloaded = agreementsReplica(reloaded);
    await ok(reloaded, 'room:join', { roomId, deviceToken: b.deviceToken });
    await ok(reloaded, 'doc:message', { doc: 'agreements', message: syncStep1Message(replicaReloaded) });
    await ok(reloaded, 'session:sync', {});
    await ok(reloaded, 'counsellor:suggestion', {});

    // More notes and another line from A while B is back.
    notes.doc.getXmlFragment('default').insert(0, [new Y.XmlText(NOTE_LATER)]);
    await notes.settled();
    const heardLater = nextEvent<PrivateLine>(lee.socket, 'counsellor:privateLine', (l) => l.text === LINE_OF_A_LATER);
    await ok(a.socket, 'privateLine:send', { choice: 'slowDown', text: LINE_OF_A_LATER });
    await heardLater;
    // A round trip on each of B's sockets, so anything broadcast before it has arrived.
    await ok(b.socket, 'session:sync', {});
    await ok(reloaded, 'session:sync', {});

    // The counsellor did get all of it (so the search below can find it if it leaked).
    const checkNotes = await YjsDocClient.connect(server.url, { roomId, deviceToken: lee.key }, 'counsellor-notes');
    docClients.push(checkNotes);
    expect(checkNotes.doc.getXmlFragment('default').toString()).toContain(NOTE_LATER);
    const inbox = (await ok(lee.socket, 'counsellor:lines', { roomId })).lines as PrivateLine[];
    expect(inbox.map((l) => l.text)).toEqual([LINE_OF_A, 'B to the counsellor', LINE_OF_A_LATER]);

    // B's export, from what B's device holds.
    const records = (await ok(reloaded, 'agreements:records', {})).records as AgreementRecordsView;
    const exported = toMarkdown(readAgreements(replicaReloaded, records, dayOf(Date.now())), { now: Date.now(), names: { A: 'A', B: 'B' } });
    expect(exported).toContain('We take a walk on Sundays');
    expect(readDrafts(replicaB!).map((x) => x.title)).toContain('We take a walk on Sundays');

    expect(leaks(capturedLee)).toEqual(expect.arrayContaining([LABEL, LINE_OF_A, LINE_OF_A_LATER]));

    // And the partners got none of it.
    expect(capturedB.items.length).toBeGreaterThan(50);
    expect(leaks(capturedB)).toEqual([]);
    expect(MARKERS.filter((m) => exported.includes(m))).toEqual([]);
    expect(capturedB.events).not.toContain('counsellor:privateLine');
    expect(capturedB.events).not.toContain('counsellor:roomStatus');
    expect(capturedB.events).toContain('counsellor:suggestion');
    const notesForB = capturedB.items.filter((x) => typeof x === 'object' && x !== null && (x as { doc?: unknown }).doc === 'counsellor-notes');
    expect(notesForB).toEqual([]);
    // A sent their own lines, so only the notes and the label are checked for A.
    const leakedToA = leaks(capturedA).filter((m) => m !== LINE_OF_A && m !== LINE_OF_A_LATER);
    expect(leakedToA).toEqual([]);
  });
});
