import { expect, it } from 'vitest';
import type { Storage } from '../../server/storage/types';
import { sampleRoom } from './roomStore.contract';
import { describeStoreContract, type StoreFixture } from '../support/storeContract';

/** What the Storage as a whole must do beyond its parts: deleteRoom reaches every store. */
export function storageContract(name: string, makeStorage: () => Promise<StoreFixture<Storage>>): void {
  describeStoreContract(`Storage contract: ${name}`, makeStorage, (storage) => {
    async function fill(roomId: string): Promise<void> {
      await storage.rooms.create(sampleRoom(roomId, { counsellorId: 'c1' }));
      await storage.docs.append(roomId, 'agreements', new Uint8Array([1]));
      await storage.docs.append(roomId, 'counsellor-notes', new Uint8Array([2]));
      await storage.turns.compareAndSet(roomId, 0, { version: 1, state: { phase: 'SPEAK' } });
      await storage.agreementRecords.compareAndSet(roomId, 0, { version: 1, state: { commitments: [{ title: 'x' }] } });
      await storage.agreementVersions.put(roomId, 'v1', { id: 'v1', agreements: [{ title: 'x' }] });
      await storage.checkIns.compareAndSet(roomId, 0, { version: 1, state: { answers: [{ words: 'x' }] } });
      await storage.roomLogs.append(roomId, 's1', { text: 'x' });
    }

    it('deleteRoom removes the room from every store and leaves other rooms whole', async () => {
      await fill('room-1');
      await fill('room-10');
      await storage.records.put('counsellor:c1', { id: 'c1' });
      await storage.deleteRoom('room-1');
      expect(await storage.rooms.get('room-1')).toBeNull();
      expect(await storage.rooms.findByInviteHash('invite-room-1')).toBeNull();
      expect(await storage.rooms.findByCode('code-room-1')).toBeNull();
      expect(await storage.rooms.listByCounsellor('c1')).toEqual(['room-10']);
      expect(await storage.docs.load('room-1', 'agreements')).toEqual([]);
      expect(await storage.docs.load('room-1', 'counsellor-notes')).toEqual([]);
      expect(await storage.turns.get('room-1')).toBeNull();
      expect(await storage.agreementRecords.get('room-1')).toBeNull();
      expect(await storage.agreementVersions.get('room-1', 'v1')).toBeNull();
      expect(await storage.checkIns.get('room-1')).toBeNull();
      expect(await storage.roomLogs.list('room-1', 's1')).toEqual([]);

      expect(await storage.rooms.get('room-10')).not.toBeNull();
      expect(await storage.docs.load('room-10', 'agreements')).toHaveLength(1);
      expect(await storage.turns.get('room-10')).not.toBeNull();
      expect(await storage.agreementRecords.get('room-10')).not.toBeNull();
      expect(await storage.agreementVersions.get('room-10', 'v1')).not.toBeNull();
      expect(await storage.checkIns.get('room-10')).not.toBeNull();
      expect(await storage.roomLogs.list('room-10', 's1')).toHaveLength(1);
      expect(await storage.records.get('counsellor:c1')).toEqual({ id: 'c1' });
    });

    it('a write that arrives after the deletion (a command already past its checks) is refused with ROOM_NOT_FOUND and leaves nothing', async () => {
      await fill('room-1');
      await storage.deleteRoom('room-1');
      await expect(storage.docs.append('room-1', 'agreements', new Uint8Array([3]))).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
      await expect(storage.turns.compareAndSet('room-1', 0, { version: 1, state: { phase: 'SPEAK' } })).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
      await expect(storage.agreementRecords.compareAndSet('room-1', 0, { version: 1, state: { commitments: [] } })).rejects.toMatchObject({
        code: 'ROOM_NOT_FOUND',
      });
      await expect(storage.agreementVersions.put('room-1', 'v2', { id: 'v2' })).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
      await expect(storage.checkIns.compareAndSet('room-1', 0, { version: 1, state: { answers: [] } })).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
      await expect(storage.roomLogs.append('room-1', 's1', { text: 'late' })).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
      expect(await storage.docs.load('room-1', 'agreements')).toEqual([]);
      expect(await storage.agreementVersions.get('room-1', 'v2')).toBeNull();
      expect(await storage.turns.get('room-1')).toBeNull();
      expect(await storage.agreementRecords.get('room-1')).toBeNull();
      expect(await storage.roomLogs.list('room-1', 's1')).toEqual([]);
    });

    it('deleting a room twice, or one that never existed, succeeds', async () => {
      await fill('room-1');
      await storage.deleteRoom('room-1');
      await expect(storage.deleteRoom('room-1')).resolves.toBeUndefined();
      await expect(storage.deleteRoom('never')).resolves.toBeUndefined();
    });
  });
}
