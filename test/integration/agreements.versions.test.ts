import { describe, expect, it } from 'vitest';
import { VERSIONS_KEPT } from '../../shared/agreements/records';
import type { AgreementRecordsView, VersionRecord, VersionSummary } from '../../shared/protocol/agreements';
import { createLevelStorage } from '../../server/storage/level/levelStorage';
import { serverPerTest } from '../support/serverPerTest';
import { join, pairUp } from '../support/sessionClient';
import { connectClient, createRoomOverHttp, nextEvent, request, type ClientSocket } from '../support/socketClient';

/**
 * Saved versions are stored apart from the agreements record: a command on the record (an
 * acceptance) costs what it is, not what the room's versions hold, and a device fetches the one
 * snapshot it opens with `version:get`.
 */

/** An acceptance's broadcast, in characters of JSON, whatever the versions hold. */
const SMALL = 16_000;

// A room filled by script: more commands a second than a person sends.
const { server, sockets, start } = serverPerTest({ env: { EVENTS_PER_SECOND: '10000', EVENTS_PER_SECOND_PER_ADDRESS: '10000' } });

async function pairedDevices(): Promise<{ roomId: string; a: ClientSocket; b: ClientSocket }> {
  const pair = await pairUp(server.url);
  sockets.push(...pair.sockets);
  return pair;
}

async function ok<T extends object>(socket: ClientSocket, event: string, payload: unknown): Promise<T> {
  const res = await request<T>(socket, event, payload);
  if (!res.ok) throw new Error(`${event}: ${res.error.code}`);
  return res;
}

async function propose(socket: ClientSocket, count: number, body: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push((await ok<{ agreementId: string }>(socket, 'agreement:propose', { title: `Agreement ${i}`, body, category: 'communication' })).agreementId);
  }
  return ids;
}

async function saveVersions(socket: ClientSocket, count: number): Promise<VersionSummary[]> {
  const saved: VersionSummary[] = [];
  for (let i = 0; i < count; i++) saved.push((await ok<{ version: VersionSummary }>(socket, 'version:save', { name: `Version ${i}` })).version);
  return saved;
}

describe('saved versions apart from the record', () => {
  it('an acceptance in a room with many large saved versions is broadcast small; version:get returns one snapshot whole', async () => {
    const { a, b } = await pairedDevices();
    const body = 'We talk it through before deciding. '.repeat(110).slice(0, 3990);
    const ids = await propose(a, 30, body);
    // 30 versions of 30 drafts of ~4,000 characters: ~3.7 MB of snapshots, within [AR6]'s caps
    const saved = await saveVersions(a, 30);

    const broadcast = nextEvent<AgreementRecordsView>(b, 'agreements:records');
    const accepted = await request(a, 'agreement:accept', { agreementId: ids[0] });
    expect(accepted.ok).toBe(true);
    const records = await broadcast;
    const size = JSON.stringify(records).length;
    expect(size, `agreements:records after one acceptance: ${size} characters`).toBeLessThan(SMALL);
    expect(JSON.stringify(accepted).length).toBeLessThan(SMALL);
    // the record lists every version kept, as summaries
    expect(records.versions.map((v) => v.id)).toEqual(saved.map((v) => v.id));
    expect(records.versions[0]).toEqual({ id: saved[0]!.id, name: 'Version 0', at: expect.any(Number), by: { seat: 'A', name: 'Sam' }, count: 30, chars: expect.any(Number) });
    // so does the answer to a request for the records
    const asked = await ok<{ records: AgreementRecordsView }>(b, 'agreements:records', {});
    expect(JSON.stringify(asked).length).toBeLessThan(SMALL);

    // one snapshot, whole, to whoever asks for it (the other partner here)
    const got = await ok<{ version: VersionRecord }>(b, 'version:get', { versionId: saved[3]!.id });
    expect(got.version).toMatchObject({ id: saved[3]!.id, name: 'Version 3', by: { seat: 'A', name: 'Sam' } });
    expect(got.version.agreements).toHaveLength(30);
    expect(got.version.agreements[7]).toEqual({ id: ids[7], title: 'Agreement 7', body, category: 'communication', reviewOn: null, commitment: null });
    expect(JSON.stringify(got.version).length).toBe(saved[3]!.chars);
  });

  it('version:save tells the room with summaries only; refused payloads and unknown ids are named', async () => {
    const { a, b } = await pairedDevices();
    await propose(a, 3, 'x'.repeat(4000));
    const first = (await saveVersions(a, 1))[0]!;
    const told = nextEvent<AgreementRecordsView>(b, 'agreements:records', (r) => r.versions.length === 2);
    const second = (await saveVersions(a, 1))[0]!;
    const records = await told;
    expect(records.versions.map((v) => v.id)).toEqual([first.id, second.id]);
    expect(JSON.stringify(records)).not.toContain('xxxx');
    expect(second).not.toHaveProperty('agreements');

    for (const payload of [{}, { versionId: '' }, { versionId: 'x'.repeat(129) }, { versionId: first.id, roomId: 'elsewhere' }, { versionId: 7 }]) {
      const res = await request(b, 'version:get', payload);
      expect(res.ok ? 'ok' : res.error.code, JSON.stringify(payload).slice(0, 40)).toBe('INVALID_PAYLOAD');
    }
    const unknown = await request(b, 'version:get', { versionId: 'no-such-version' });
    expect(unknown.ok ? 'ok' : unknown.error.code).toBe('VERSION_NOT_FOUND');
  });

  it('a record stored with whole snapshots inside (before they were kept apart) has them moved out once', async () => {
    const created = await createRoomOverHttp(server.url, 'Sam');
    await server.stop();
    const snapshot = (id: string): VersionRecord => ({
      id,
      name: `Old ${id}`,
      at: 1000,
      by: { seat: 'A', name: 'Sam' },
      agreements: [{ id: 'd1', title: 'Sundays are ours', body: 'y'.repeat(4000), category: 'time-together', reviewOn: null, commitment: null }],
    });
    const storage = await createLevelStorage(server.dataDir);
    const oldRecord = { acceptances: [], commitments: [], history: [], provenance: [], reviews: [], withdrawals: [], versions: [snapshot('o1'), snapshot('o2')] };
    await storage.agreementRecords.compareAndSet(created.roomId, 0, { version: 1, state: oldRecord });
    await storage.close();

    await start({ dataDir: server.dataDir });
    const a = await connectClient(server.url);
    sockets.push(a);
    await join(a, created.roomId, created.deviceToken);
    const { records } = await ok<{ records: AgreementRecordsView }>(a, 'agreements:records', {});
    expect(records.versions).toEqual([
      { id: 'o1', name: 'Old o1', at: 1000, by: { seat: 'A', name: 'Sam' }, count: 1, chars: JSON.stringify(snapshot('o1')).length },
      { id: 'o2', name: 'Old o2', at: 1000, by: { seat: 'A', name: 'Sam' }, count: 1, chars: JSON.stringify(snapshot('o2')).length },
    ]);
    expect(JSON.stringify(records)).not.toContain('yyyy');
    expect((await ok<{ version: VersionRecord }>(a, 'version:get', { versionId: 'o2' })).version).toEqual(snapshot('o2'));
  });

  it('a version no longer kept is gone from the store too; the record stored stays small', async () => {
    const { roomId, a, b } = await pairedDevices();
    await propose(a, 2, 'Sundays are ours.');
    const saved = await saveVersions(a, VERSIONS_KEPT + 2);
    for (const dropped of saved.slice(0, 2)) {
      const res = await request(b, 'version:get', { versionId: dropped.id });
      expect(res.ok ? 'ok' : res.error.code).toBe('VERSION_NOT_FOUND');
    }
    expect((await ok<{ version: VersionRecord }>(b, 'version:get', { versionId: saved[2]!.id })).version.name).toBe('Version 2');

    await server.stop();
    const storage = await createLevelStorage(server.dataDir);
    try {
      expect(await storage.agreementVersions.get(roomId, saved[0]!.id)).toBeNull();
      expect(await storage.agreementVersions.get(roomId, saved[1]!.id)).toBeNull();
      expect(await storage.agreementVersions.get(roomId, saved.at(-1)!.id)).toMatchObject({ id: saved.at(-1)!.id });
      const stored = await storage.agreementRecords.get<AgreementRecordsView>(roomId);
      expect(stored?.state.versions).toHaveLength(VERSIONS_KEPT);
      expect(stored?.state.versions.every((v) => !('agreements' in v))).toBe(true);
    } finally {
      await storage.close();
    }
  });
});
