import type { CodeOffer, InviteOffer } from '../../../shared/protocol/rooms';

/**
 * What this device keeps of the counsellor's workspace: the key (the only credential; the
 * server has its hash), the name couples see, and the invites of rooms made here, so the links
 * can be shown again until the partners have used them.
 */
export interface StoredCounsellor {
  key: string;
  displayName: string;
  invites: Record<string, { invites: InviteOffer[]; codes: CodeOffer[] }>;
}

const KEY = 'commonground.counsellor.v1';

export const counsellorStore = {
  get(): StoredCounsellor | null {
    try {
      const raw = localStorage.getItem(KEY);
      return raw ? (JSON.parse(raw) as StoredCounsellor) : null;
    } catch {
      return null;
    }
  },
  save(value: StoredCounsellor): void {
    localStorage.setItem(KEY, JSON.stringify(value));
  },
  rememberInvites(roomId: string, invites: InviteOffer[], codes: CodeOffer[]): void {
    const current = counsellorStore.get();
    if (current) counsellorStore.save({ ...current, invites: { ...current.invites, [roomId]: { invites, codes } } });
  },
  /** The room is gone: its invites go too. */
  forgetRoom(roomId: string): void {
    const current = counsellorStore.get();
    if (!current?.invites[roomId]) return;
    const { [roomId]: _gone, ...invites } = current.invites;
    counsellorStore.save({ ...current, invites });
  },
  forget(): void {
    localStorage.removeItem(KEY);
  },
};
