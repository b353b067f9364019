import { useCallback, useRef, useState } from 'react';
import type {
  CounsellorCredentials,
  CounsellorIdentity,
  CounsellorRoomSummary,
  CreatedModeratedRoom,
  PrivateLine,
} from '../../../shared/protocol/counsellors';
import { codeOf, request } from '../realtime/connection';
import { useEveryConnect, useSocketEvent } from '../realtime/useSocketEvent';
import { forgetRoomOnDevice } from '../device/forgetRoom';
import { counsellorStore } from './counsellorStore';

export type WorkspacePhase =
  | { kind: 'checking' }
  | { kind: 'setup' }
  /** the recovery code, shown once, before the workspace opens */
  | { kind: 'showCode'; recoveryCode: string; moved: boolean }
  | { kind: 'ready'; counsellor: CounsellorIdentity }
  | { kind: 'signedOut'; reason: 'moved' | 'unknown' }
  | { kind: 'offline' };

export interface Workspace {
  phase: WorkspacePhase;
  rooms: CounsellorRoomSummary[];
  /** private lines that arrived while the workspace was open, newest first */
  lines: PrivateLine[];
  register(displayName: string): Promise<void>;
  recover(recoveryCode: string): Promise<void>;
  acknowledgeCode(): void;
  createRoom(label: string): Promise<CreatedModeratedRoom>;
}

/** Signs the workspace in with the device's key, again after every reconnect, and keeps the room list live. */
export function useWorkspace(): Workspace {
  const [phase, setPhase] = useState<WorkspacePhase>(() => (counsellorStore.get() ? { kind: 'checking' } : { kind: 'setup' }));
  const [rooms, setRooms] = useState<CounsellorRoomSummary[]>([]);
  const roomsRef = useRef(rooms);
  roomsRef.current = rooms;
  const [lines, setLines] = useState<PrivateLine[]>([]);
  const [pendingCode, setPendingCode] = useState(false);

  const signIn = useCallback(async () => {
    const stored = counsellorStore.get();
    if (!stored) return;
    // A tab that was in a room as counsellor steps out of it while it shows the workspace.
    await request('room:leave', {}).catch(() => undefined);
    try {
      const res = await request('counsellor:signIn', { key: stored.key });
      setRooms(res.rooms);
      setPhase((p) => (p.kind === 'showCode' ? p : { kind: 'ready', counsellor: res.counsellor }));
    } catch (err) {
      if (codeOf(err) === 'COUNSELLOR_KEY_INVALID') {
        forgetWorkspaceOnDevice(roomsRef.current.map((room) => room.roomId));
        setPhase({ kind: 'signedOut', reason: 'unknown' });
      } else setPhase({ kind: 'offline' });
    }
  }, []);

  useEveryConnect(() => void signIn());
  useSocketEvent('counsellor:roomStatus', (room) =>
    setRooms((list) => [room, ...list.filter((r) => r.roomId !== room.roomId)].sort((a, b) => b.createdAt - a.createdAt)),
  );
  useSocketEvent('counsellor:roomRemoved', ({ roomId }) => {
    setRooms((list) => list.filter((r) => r.roomId !== roomId));
    setLines((l) => l.filter((line) => line.roomId !== roomId));
    // Nothing of a deleted room stays on this device either: its invites, any copy of its documents.
    counsellorStore.forgetRoom(roomId);
    void forgetRoomOnDevice(roomId, 'deleted');
  });
  useSocketEvent('counsellor:privateLine', (line) => setLines((l) => [line, ...l].slice(0, 50)));
  useSocketEvent('counsellor:keyRevoked', () => {
    forgetWorkspaceOnDevice(roomsRef.current.map((room) => room.roomId));
    setPhase({ kind: 'signedOut', reason: 'moved' });
  });

  const adopt = useCallback(
    async (credentials: CounsellorCredentials, moved: boolean) => {
      counsellorStore.save({ key: credentials.key, displayName: credentials.counsellor.displayName, invites: {} });
      setPendingCode(true);
      setPhase({ kind: 'showCode', recoveryCode: credentials.recoveryCode, moved });
      await signIn();
    },
    [signIn],
  );

  return {
    phase,
    rooms,
    lines,
    async register(displayName) {
      await adopt(await request('counsellor:register', { displayName }), false);
    },
    async recover(recoveryCode) {
      await adopt(await request('counsellor:recover', { recoveryCode }), true);
    },
    acknowledgeCode() {
      if (!pendingCode) return;
      setPendingCode(false);
      const stored = counsellorStore.get();
      setPhase(stored ? { kind: 'ready', counsellor: { displayName: stored.displayName } } : { kind: 'setup' });
    },
    async createRoom(label) {
      const created = await request('counsellor:createRoom', { label });
      counsellorStore.rememberInvites(created.room.roomId, created.invites, created.codes);
      setRooms((list) => [created.room, ...list.filter((r) => r.roomId !== created.room.roomId)]);
      return created;
    },
  };
}

/**
 * The workspace moved to another device (or its key is no longer known): this device keeps
 * nothing of it, neither the key and invites nor any copy of the rooms' documents it opened.
 */
function forgetWorkspaceOnDevice(listed: string[]): void {
  const kept = Object.keys(counsellorStore.get()?.invites ?? {});
  counsellorStore.forget();
  for (const roomId of new Set([...listed, ...kept])) void forgetRoomOnDevice(roomId, 'signed-out');
}
