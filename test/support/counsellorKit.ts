import type { CounsellorCredentials, CreatedModeratedRoom } from '../../shared/protocol/counsellors';
import { connectClient, request, type ClientSocket } from './socketClient';

/** A counsellor's workspace socket, signed in with a freshly made key. */
export interface Counsellor {
  socket: ClientSocket;
  key: string;
  recoveryCode: string;
}

export async function registerCounsellor(url: string, displayName = 'Dr Lee'): Promise<Counsellor> {
  const socket = await connectClient(url);
  const res = await request<CounsellorCredentials>(socket, 'counsellor:register', { displayName });
  if (!res.ok) throw new Error(`register refused: ${res.error.code}`);
  return { socket, key: res.key, recoveryCode: res.recoveryCode };
}

export async function createModeratedRoom(counsellor: Counsellor, label = 'J & R'): Promise<CreatedModeratedRoom> {
  const res = await request<CreatedModeratedRoom>(counsellor.socket, 'counsellor:createRoom', { label });
  if (!res.ok) throw new Error(`createRoom refused: ${res.error.code}`);
  return res;
}

/** Claims a partner's invite from a new socket and takes the seat; returns the socket and its device token. */
export async function partnerJoins(
  url: string,
  created: CreatedModeratedRoom,
  seat: 'A' | 'B',
  name: string,
  before?: (socket: ClientSocket) => void,
): Promise<{ socket: ClientSocket; deviceToken: string }> {
  const socket = await connectClient(url);
  before?.(socket);
  const invite = created.invites.find((i) => i.seat === seat)!;
  const claimed = await request<{ roomId: string; deviceToken: string }>(socket, 'invite:claim', {
    invite: invite.token,
    displayName: name,
    acceptedGroundRules: true,
  });
  if (!claimed.ok) throw new Error(`claim refused: ${claimed.error.code}`);
  const joined = await request(socket, 'room:join', { roomId: created.room.roomId, deviceToken: claimed.deviceToken });
  if (!joined.ok) throw new Error(`join refused: ${joined.error.code}`);
  return { socket, deviceToken: claimed.deviceToken };
}

/** The counsellor's seat in a room is their key. */
export async function counsellorEnters(url: string, counsellor: Counsellor, roomId: string): Promise<ClientSocket> {
  const socket = await connectClient(url);
  const joined = await request(socket, 'room:join', { roomId, deviceToken: counsellor.key });
  if (!joined.ok) throw new Error(`counsellor join refused: ${joined.error.code}`);
  return socket;
}
