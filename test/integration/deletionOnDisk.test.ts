import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addAgreement, notesFragment } from '../../shared/agreements';
import type { PrivateLine } from '../../shared/protocol/counsellors';
import type { SessionState } from '../../shared/session/types';
import { counsellorEnters, createModeratedRoom, partnerJoins, registerCounsellor, type Counsellor } from '../support/counsellorKit';
import { connectClient, createRoomOverHttp, nextEvent, request, type ClientSocket } from '../support/socketClient';
import { manualClock, startTestServer, tempDataDir, type TestServer } from '../support/testServer';
import { YjsDocClient } from '../support/yjsDocClient';

/**
 * "What is deleted is gone", read off the disk: a couple's room and a counsellor's room are
 * filled with unique markers in every place a person writes, then deleted (or left to
 * expire); the server is stopped and started again on the same folder, and every file under
 * DATA_DIR is read as raw bytes. The embedded store writes uncompressed files, so a marker
 * still stored anywhere (a value, the write-ahead log, an old table) is found by a byte search;
 * a room that stays, filled the same way, proves that the search finds what is there.
 */

const DAY = 24 * 60 * 60 * 1000;

function marker(place: string): string {
  return `MARK-${place}-${randomBytes(6).toString('hex')}`;
}

/** Every file under the folder, as bytes. */
function filesUnder(dir: string): Array<{ file: string; bytes: Buffer }> {
  const out: Array<{ file: string; bytes: Buffer }> = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push({ file: path.relative(dir, full), bytes: readFileSync(full) });
  }
  return out;
}

/** Which markers are still readable in some file, with the files that hold them. */
function foundOnDisk(dir: string, markers: string[]): Record<string, string[]> {
  const files = filesUnder(dir);
  const found: Record<string, string[]> = {};
  for (const m of markers) {
    const holders = files.filter(({ bytes }) => bytes.includes(Buffer.from(m, 'utf8'))).map(({ file }) => file);
    if (holders.length > 0) found[m] = holders;
  }
  return found;
}

async function ok(socket: ClientSocket, event: string, payload: unknown): Promise<Record<string, unknown>> {
  const res = await request(socket, event, payload);
  if (!res.ok) throw new Error(`${event} refused: ${res.error.code}`);
  return res;
}

async function command(socket: ClientSocket, cmd: Record<string, unknown>): Promise<void> {
  await ok(socket, 'session:command', cmd);
}

async function sessionState(socket: ClientSocket): Promise<SessionState> {
  const res = await ok(socket, 'session:sync', {});
  return (res.session as { state: SessionState }).state;
}

/**
 * Agreements and shared notes, written through y-protocols as a device would: a draft typed
 * into the document, another proposed on the record (`agreement:propose`) and accepted by both
 * partners, so its words are kept in a commitment, and a saved version with a name.
 */
async function writeAgreements(
  url: string,
  credentials: { roomId: string; deviceToken: string },
  other: ClientSocket,
  markers: string[],
): Promise<YjsDocClient> {
  const client = await YjsDocClient.connect(url, credentials);
  const title = marker('agreement-title');
  const body = marker('agreement-body');
  const notes = marker('shared-notes');
  const agreedTitle = marker('committed-title');
  const agreedBody = marker('committed-body');
  const versionName = marker('version-name');
  markers.push(title, body, notes, agreedTitle, agreedBody, versionName);
  addAgreement(client.doc, { title, body, category: 'honesty' });
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(notes)]);
  notesFragment(client.doc).insert(0, [paragraph]);
  await client.settled();
  const proposed = await ok(client.socket, 'agreement:propose', { title: agreedTitle, body: agreedBody, category: 'boundaries' });
  await ok(client.socket, 'agreement:accept', { agreementId: proposed.agreementId });
  const second = await ok(other, 'agreement:accept', { agreementId: proposed.agreementId });
  expect(second.commitment).not.toBeNull();
  await ok(client.socket, 'version:save', { name: versionName });
  return client;
}

/** A couple's room: names, agreements, notes and a written session, every word a marker. */
async function fillCoupleRoom(url: string, sockets: ClientSocket[], docs: YjsDocClient[]): Promise<{ roomId: string; a: ClientSocket; markers: string[] }> {
  const markers: string[] = [];
  const nameA = marker('nameA');
  const nameB = marker('nameB');
  markers.push(nameA, nameB);
  const created = await createRoomOverHttp(url, nameA);
  const a = await connectClient(url);
  const b = await connectClient(url);
  sockets.push(a, b);
  await ok(a, 'room:join', { roomId: created.roomId, deviceToken: created.deviceToken });
  const claimed = await ok(b, 'invite:claim', { invite: created.invite.token, displayName: nameB, acceptedGroundRules: true });
  await ok(b, 'room:join', { roomId: created.roomId, deviceToken: claimed.deviceToken });
  docs.push(await writeAgreements(url, { roomId: created.roomId, deviceToken: created.deviceToken }, b, markers));

  // A written session: entries in the appreciation and open steps, then a spoken and a reflected turn.
  const of = (seat: string) => (seat === 'A' ? a : b);
  await command(a, { type: 'propose', packId: 'weekly-check-in', mode: 'write' });
  await command(b, { type: 'accept' });
  await command(a, { type: 'keepRecord', keep: true });
  await command(b, { type: 'keepRecord', keep: true });
  for (;;) {
    const s = await sessionState(a);
    if (s.phase !== 'active') throw new Error(`session not active: ${s.phase}`);
    const step = s.step;
    if (step.kind === 'speaker-listener') {
      const spoke = marker('spoken-turn');
      const reflected = marker('reflection');
      markers.push(spoke, reflected);
      await command(of(step.speaker), { type: 'speak', text: spoke });
      await command(of(step.speaker), { type: 'passToReflect' });
      await command(of(step.speaker === 'A' ? 'B' : 'A'), { type: 'reflect', text: reflected });
      break;
    }
    if (step.kind === 'open' || step.kind === 'appreciation') {
      const first = marker(`${step.kind}-entry`);
      markers.push(first);
      await command(of(step.turn), { type: 'addEntry', id: `${s.stepId}-1`, text: first });
      await command(of(step.turn), { type: 'ready' });
      await command(of(step.turn === 'A' ? 'B' : 'A'), { type: 'ready' });
    }
    await command(a, { type: 'nextStep' });
    await command(of('B'), { type: 'nextStep' });
  }
  return { roomId: created.roomId, a, markers };
}

/** A counsellor's room: its label, both names, agreements, a private line and the counsellor's notes. */
async function fillModeratedRoom(
  url: string,
  sockets: ClientSocket[],
  docs: YjsDocClient[],
): Promise<{ roomId: string; lee: Counsellor; a: ClientSocket; markers: string[] }> {
  const markers: string[] = [];
  const label = marker('label');
  const nameA = marker('moderated-nameA');
  const nameB = marker('moderated-nameB');
  const line = marker('private-line');
  const note = marker('counsellor-note');
  markers.push(label, nameA, nameB, line, note);
  const lee = await registerCounsellor(url);
  sockets.push(lee.socket);
  const created = await createModeratedRoom(lee, label);
  const roomId = created.room.roomId;
  const a = await partnerJoins(url, created, 'A', nameA);
  const b = await partnerJoins(url, created, 'B', nameB);
  sockets.push(a.socket, b.socket, await counsellorEnters(url, lee, roomId));
  docs.push(await writeAgreements(url, { roomId, deviceToken: a.deviceToken }, b.socket, markers));

  const heard = nextEvent<PrivateLine>(lee.socket, 'counsellor:privateLine', (l) => l.text === line);
  await ok(a.socket, 'privateLine:send', { choice: 'notComfortable', text: line });
  await heard;

  const notes = await YjsDocClient.connect(url, { roomId, deviceToken: lee.key }, 'counsellor-notes');
  docs.push(notes);
  notes.doc.getXmlFragment('default').insert(0, [new Y.XmlText(note)]);
  await notes.settled();
  return { roomId, lee, a: a.socket, markers };
}

describe('a deleted or expired room leaves nothing readable under DATA_DIR (embedded store)', () => {
  let server: TestServer | null = null;
  let dataDir = '';
  const sockets: ClientSocket[] = [];
  const docs: YjsDocClient[] = [];

  afterEach(async () => {
    for (const d of docs.splice(0)) d.socket.disconnect();
    for (const s of sockets.splice(0)) s.disconnect();
    await server?.destroy();
    server = null;
  });

  /** Stops the server, starts a new one on the same folder, and reads the folder while it runs. */
  async function restartAndRead(markers: string[]): Promise<Record<string, string[]>> {
    for (const d of docs.splice(0)) d.socket.disconnect();
    for (const s of sockets.splice(0)) s.disconnect();
    await server!.stop();
    server = await startTestServer({ dataDir });
    return foundOnDisk(dataDir, markers);
  }

  it('deleted by a partner: 0 markers in any file after a restart; the room kept beside it is all there', async () => {
    dataDir = tempDataDir();
    server = await startTestServer({ dataDir });
    const couple = await fillCoupleRoom(server.url, sockets, docs);
    const moderated = await fillModeratedRoom(server.url, sockets, docs);
    const kept = await fillCoupleRoom(server.url, sockets, docs);

    await ok(couple.a, 'room:delete', { confirmRoomId: couple.roomId });
    const removed = nextEvent<{ roomId: string }>(moderated.lee.socket, 'counsellor:roomRemoved', (r) => r.roomId === moderated.roomId);
    await ok(moderated.a, 'room:delete', { confirmRoomId: moderated.roomId });
    // The counsellor hears once what they kept about the room (its label) is gone too.
    await removed;

    const found = await restartAndRead([...couple.markers, ...moderated.markers, ...kept.markers]);
    const left = [...couple.markers, ...moderated.markers].filter((m) => found[m]);
    expect(left.map((m) => `${m} in ${found[m]!.join(', ')}`)).toEqual([]);
    expect(kept.markers.filter((m) => !found[m])).toEqual([]);
  });

  it('expired: 0 markers in any file after a restart', async () => {
    dataDir = tempDataDir();
    const clock = manualClock();
    server = await startTestServer({ dataDir, clock });
    const couple = await fillCoupleRoom(server.url, sockets, docs);
    const moderated = await fillModeratedRoom(server.url, sockets, docs);

    clock.advance(server.config.roomTtlMs + DAY);
    const kept = await fillCoupleRoom(server.url, sockets, docs);
    const removed = nextEvent<{ roomId: string }>(moderated.lee.socket, 'counsellor:roomRemoved', (r) => r.roomId === moderated.roomId);
    // What the hourly sweep runs.
    expect(await server.app.rooms.sweepExpired()).toBe(2);
    await removed;

    const found = await restartAndRead([...couple.markers, ...moderated.markers, ...kept.markers]);
    const left = [...couple.markers, ...moderated.markers].filter((m) => found[m]);
    expect(left.map((m) => `${m} in ${found[m]!.join(', ')}`)).toEqual([]);
    expect(kept.markers.filter((m) => !found[m])).toEqual([]);
  });
});
