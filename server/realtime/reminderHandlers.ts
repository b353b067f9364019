import { RateLimiterMemory } from 'rate-limiter-flexible';
import { AppError, ErrorCode } from '../../shared/protocol/errors';
import type { PartnerSeat } from '../../shared/protocol/identity';
import { isLoopbackHttpEndpoint } from '../../shared/protocol/reminders';
import type { RoomService } from '../rooms/roomService';
import { consume } from '../security/limiters';
import { deviceOf, settingsView, type PushSubscriptions } from '../reminders/pushSubscriptions';
import type { Clock } from '../util/clock';
import type { AppSocket, EventDispatcher } from './eventDispatcher';
import { roomChannel, type RealtimeModule } from './realtimeModule';

export interface ReminderHandlerDeps {
  dispatcher: EventDispatcher;
  rooms: RoomService;
  subscriptions: PushSubscriptions;
  vapidPublicKey: string;
  clock: Clock;
  /** PUSH_ALLOW_LOOPBACK_ENDPOINTS: a local push service in tests */
  allowLoopbackEndpoints: boolean;
}

/** Subscribing and unsubscribing, per seat: more than a person turning reminders on and off by hand. */
const CHANGES_PER_SEAT_PER_HOUR = 30;

/**
 * Reminders on a partner's own device: the dispatcher parses and authorises (partners only),
 * this keeps the subscription under the socket's own room, seat and device token, never one a
 * payload names. A device is the token it joined with: the room handlers put each seated socket
 * in the channel `device:<room>:<token hash>`, read back here. The subscription goes with the
 * room, and with the device when the seat is moved to another one or the join is refused.
 */
export function createReminderHandlers(deps: ReminderHandlerDeps): RealtimeModule {
  const { dispatcher, rooms, subscriptions, clock } = deps;
  const changes = new RateLimiterMemory({ keyPrefix: 'push-changes', points: CHANGES_PER_SEAT_PER_HOUR, duration: 60 * 60 });

  function device(socket: AppSocket): { roomId: string; seat: PartnerSeat; tokenHash: string; device: string } {
    const { roomId, seat } = socket.data;
    if (!roomId || !seat || !socket.rooms.has(roomChannel(roomId))) throw new AppError(ErrorCode.NOT_IN_ROOM);
    if (seat === 'counsellor') throw new AppError(ErrorCode.FORBIDDEN);
    const prefix = `device:${roomId}:`;
    const channel = [...socket.rooms].find((name) => name.startsWith(prefix));
    if (!channel) throw new AppError(ErrorCode.NOT_IN_ROOM);
    const tokenHash = channel.slice(prefix.length);
    return { roomId, seat, tokenHash, device: deviceOf(tokenHash) };
  }

  async function spendChange(roomId: string, seat: PartnerSeat): Promise<void> {
    if (!(await consume(changes, `${roomId}:${seat}`))) throw new AppError(ErrorCode.RATE_LIMITED);
  }

  rooms.on('seatRevoked', (roomId, seat, tokenHash) => {
    if (seat === 'counsellor') return;
    // The scheduler also drops a subscription whose seat another device holds, on any node.
    void subscriptions.remove(roomId, seat, deviceOf(tokenHash)).catch(() => undefined);
  });

  return {
    name: 'reminders',
    register() {
      dispatcher.on('push:publicKey', async (socket) => {
        device(socket);
        return { publicKey: deps.vapidPublicKey };
      });

      dispatcher.on('push:subscribe', async (socket, { endpoint, keys, show, kinds }) => {
        const own = device(socket);
        if (isLoopbackHttpEndpoint(endpoint) && !deps.allowLoopbackEndpoints) throw new AppError(ErrorCode.PUSH_ENDPOINT_NOT_ALLOWED);
        await spendChange(own.roomId, own.seat);
        // The room must still be there: a subscription is never kept for a room being deleted.
        await rooms.getLiveRoom(own.roomId);
        const sub = { ...own, endpoint, keys, show, kinds, since: clock.now() };
        await subscriptions.put(sub);
        return { subscription: settingsView(sub) };
      });

      dispatcher.on('push:unsubscribe', async (socket) => {
        const own = device(socket);
        await spendChange(own.roomId, own.seat);
        return { removed: await subscriptions.remove(own.roomId, own.seat, own.device) };
      });

      dispatcher.on('push:mine', async (socket) => {
        const own = device(socket);
        const sub = await subscriptions.get(own.roomId, own.seat, own.device);
        return { subscription: sub ? settingsView(sub) : null };
      });
    },
    async onRoomDeleted(roomId) {
      await subscriptions.deleteRoom(roomId);
    },
  };
}
