import { useEffect, useRef, useState } from 'react';
import { ErrorCode, errorMessages } from '../../../shared/protocol/errors';
import type { RoomDeleter, RoomView, SeatId } from '../../../shared/protocol/rooms';
import { forgetRoomOnDevice, onRoomForgotten, whyForgotten, type ForgetReason } from '../device/forgetRoom';
import { seatStore } from '../device/seatStore';
import { calmView, onGraceOver, onPresence, type SeatWatch, type WatchStep } from '../room/presenceWatch';
import { historyMark, newHistory, seatsChangingDevice, type HistoryMark } from '../room/roomHistory';
import { codeOf, getSocket, listen, request } from './connection';

export type ConnectionStatus = 'connecting' | 'joined' | 'offline' | 'problem';

export interface RoomConnection {
  status: ConnectionStatus;
  room: RoomView | null;
  you: SeatId | null;
  problem: string | null;
  notices: Notice[];
  dismissNotice(id: number): void;
}

export interface Notice {
  id: number;
  text: string;
  /** whose coming or going it tells of, for a presence notice */
  seat?: SeatId;
}

let noticeId = 0;

/**
 * Answers to `room:join` after which this device can never come back to the room with what it
 * holds: the room is gone, or the seat is no longer this device's. It forgets the room at once.
 */
/** Refusals of room:join that pass by themselves: the join is tried again after JOIN_RETRY_MS. */
const JOIN_TRIED_AGAIN = new Set(['RATE_LIMITED', 'INTERNAL']);
const JOIN_RETRY_MS = 3000;

const FORGET_ON_JOIN: Record<string, ForgetReason> = {
  ROOM_NOT_FOUND: 'deleted',
  TOKEN_REVOKED: 'signed-out',
  TOKEN_INVALID: 'signed-out',
  JOIN_REFUSED: 'signed-out',
};

/** What the room page says, opened again on a device that forgot the room (Problem.tsx). */
const FORGOTTEN_PROBLEM: Record<ForgetReason, string> = { deleted: 'ROOM_DELETED', 'signed-out': 'SIGNED_OUT' };

/**
 * How long after a seat moves (or is signed out) its presence changes go unsaid: the old
 * device's leaving and the new one's arriving come in the states after the history line, within
 * seconds of it.
 */
const QUIET_AFTER_DEVICE_CHANGE_MS = 30_000;

/**
 * Joins the room with this device's seat, and joins again after every reconnect: reload, a
 * closed tab or a lost network all come back to the same seat without a new invite.
 */
export function useRoomConnection(roomId: string): RoomConnection {
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [room, setRoom] = useState<RoomView | null>(null);
  const [you, setYou] = useState<SeatId | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notices, setNotices] = useState<Notice[]>([]);
  // The other seats' comings and goings, told calmly (presenceWatch.ts): a short absence not at all.
  const watches = useRef<Partial<Record<SeatId, SeatWatch>>>({});
  const youRef = useRef<SeatId | null>(null);
  const historySeen = useRef<HistoryMark | null>(null);
  const quietUntil = useRef<Partial<Record<SeatId, number>>>({});
  // After a join, told by its history line: only the arrival goes unsaid, not a departure soon after.
  const arrivalQuietUntil = useRef<Partial<Record<SeatId, number>>>({});

  useEffect(() => {
    const stored = seatStore.get(roomId);
    if (!stored) {
      const forgotten = whyForgotten(roomId);
      setProblem(forgotten ? FORGOTTEN_PROBLEM[forgotten] : 'NO_SEAT');
      setStatus('problem');
      return;
    }
    const socket = getSocket();
    let stopped = false;
    let latest: RoomView | null = null;
    const graceTimers = new Map<SeatId, ReturnType<typeof setTimeout>>();
    // One seat's step: keeps its watch, waits out its grace, and gives the line to tell, if any.
    const follow = (seat: SeatId, name: string, step: WatchStep): Notice | null => {
      watches.current[seat] = step.watch;
      clearTimeout(graceTimers.get(seat));
      graceTimers.delete(seat);
      if (step.wakeAt !== null) {
        graceTimers.set(
          seat,
          setTimeout(() => {
            const watch = watches.current[seat];
            if (stopped || !watch) return;
            const notice = follow(seat, name, onGraceOver(watch, name, Date.now()));
            if (notice) setNotices((n) => [...n, notice].slice(-3));
            if (latest) setRoom(calmView(latest, watches.current, youRef.current));
          }, Math.max(0, step.wakeAt - Date.now())),
        );
      }
      const arriving = step.watch.last === 'here';
      const quiet = (quietUntil.current[seat] ?? 0) > Date.now() || (arriving && (arrivalQuietUntil.current[seat] ?? 0) > Date.now());
      return step.notice && !quiet ? { id: ++noticeId, text: step.notice, seat } : null;
    };

    const applyView = (view: RoomView) => {
      const now = Date.now();
      // A seat that moved to a new device, or whose device was signed out, is told of by the
      // room's history alone (RoomPage): its presence notices, already shown or to come, go.
      const fresh = newHistory(view, historySeen.current);
      const changing = seatsChangingDevice(fresh);
      historySeen.current = historyMark(view);
      for (const seat of changing) quietUntil.current[seat] = now + QUIET_AFTER_DEVICE_CHANGE_MS;
      // A join is told by its history line ("Alex joined with the invite link"): no "Alex is here" too.
      for (const entry of fresh) if (entry.kind === 'joined') arrivalQuietUntil.current[entry.seat] = now + QUIET_AFTER_DEVICE_CHANGE_MS;
      const added: Notice[] = [];
      for (const seat of view.seats) {
        if (seat.seat === youRef.current || !seat.displayName) continue;
        const notice = follow(seat.seat, seat.displayName, onPresence(watches.current[seat.seat], seat.presence, seat.displayName, now, seat.silentForMs));
        if (notice) added.push(notice);
      }
      if (added.length || changing.size) setNotices((n) => [...n.filter((x) => !x.seat || !changing.has(x.seat)), ...added].slice(-3));
      latest = view;
      setRoom(calmView(view, watches.current, youRef.current));
      seatStore.update(roomId, { lastView: view });
    };

    // Without a network, a room this device has been in opens as it was last seen: its
    // agreements come from the device's own copy, and everything syncs when the network is back.
    const openOffline = () => {
      if (stopped || youRef.current || !stored.lastView) return;
      youRef.current = stored.seat;
      setYou(stored.seat);
      setRoom({ ...stored.lastView, seats: stored.lastView.seats.map((s) => ({ ...s, presence: 'gone' as const })) });
    };

    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    const join = async () => {
      clearTimeout(retryTimer);
      setStatus('connecting');
      try {
        const res = await request('room:join', { roomId, deviceToken: stored.deviceToken });
        if (stopped) return;
        youRef.current = res.you;
        setYou(res.you);
        applyView(res.room);
        setProblem(null);
        setStatus('joined');
        seatStore.update(roomId, { joinedAt: Date.now() });
        if (document.visibilityState === 'hidden') void request('presence:set', { presence: 'away' }).catch(() => undefined);
      } catch (err) {
        if (stopped) return;
        const code = codeOf(err);
        // A join that only did not get through (no answer, too many at once, a fault) is tried
        // again: the room stays as last seen, saying it is not connected, instead of a problem
        // page that nothing would clear once the next try succeeds.
        if (code === null || JOIN_TRIED_AGAIN.has(code)) {
          setStatus('offline');
          openOffline();
          retryTimer = setTimeout(() => {
            if (!stopped && socket.connected) void join();
          }, JOIN_RETRY_MS);
          return;
        }
        const forget = FORGET_ON_JOIN[code];
        if (forget) void forgetRoomOnDevice(roomId, forget);
        setProblem(code);
        setStatus('problem');
      }
    };

    const onConnect = () => void join();
    const onDisconnect = () => {
      if (stopped) return;
      setStatus((s) => (s === 'problem' ? s : 'offline'));
      openOffline();
    };
    const onConnectError = (err: Error & { data?: { code?: string } }) => {
      if (stopped) return;
      // Refusals at the handshake, which Socket.IO does not retry by itself.
      if (err.data?.code === 'PROTOCOL_MISMATCH' || err.data?.code === 'TOO_MANY_CONNECTIONS') {
        setProblem(err.data.code);
        setStatus('problem');
      } else {
        setStatus((s) => (s === 'problem' ? s : 'offline'));
        openOffline();
      }
    };
    const onRevoked = (reason: { code: string }) => {
      void forgetRoomOnDevice(roomId, reason.code === 'ROOM_DELETED' ? 'deleted' : 'signed-out');
      setProblem(reason.code);
      setStatus('problem');
    };
    // The server closes a connection that fell too far behind; it reconnects by itself, and the
    // person hears why the room paused for a moment, in this page's words (errors.ts): plainly,
    // that the connection was slow, that it is reconnecting and that nothing saved is lost.
    const onClosing = (reason: { code: string; message: string }) => {
      const text = reason.code === ErrorCode.SLOW_CONNECTION ? errorMessages.SLOW_CONNECTION : reason.message;
      setNotices((n) => [...n, { id: ++noticeId, text }].slice(-3));
    };
    const onDeleted = (info: { roomId: string; by: RoomDeleter | null }) => {
      if (info.roomId !== roomId) return;
      // Another tab of the deleter's own seat hears it too: there, it was "you".
      const by = info.by?.seat === youRef.current ? { you: true as const } : info.by?.name ? { you: false as const, name: info.by.name } : null;
      void forgetRoomOnDevice(roomId, 'deleted', by);
      setProblem('ROOM_DELETED');
      setStatus('problem');
    };
    const onVisibility = () => {
      if (socket.connected) void request('presence:set', { presence: document.visibilityState === 'hidden' ? 'away' : 'here' }).catch(() => undefined);
    };

    const unlisten = listen({
      connect: onConnect,
      disconnect: onDisconnect,
      connect_error: onConnectError,
      'room:state': applyView,
      'seat:revoked': onRevoked,
      'room:deleted': onDeleted,
      'connection:closing': onClosing,
    });
    // Forgotten from this page itself (deleted from the room menu): the page says so at once,
    // whether or not the server's room:deleted came first; a reason given after this one wins.
    const unforgotten = onRoomForgotten(roomId, () => {
      const why = whyForgotten(roomId);
      if (stopped || !why) return;
      setProblem(FORGOTTEN_PROBLEM[why]);
      setStatus('problem');
    });
    document.addEventListener('visibilitychange', onVisibility);
    if (socket.connected) void join();
    else socket.connect();

    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      for (const timer of graceTimers.values()) clearTimeout(timer);
      unlisten();
      unforgotten();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [roomId]);

  return {
    status,
    room,
    you,
    problem,
    notices,
    dismissNotice: (id) => setNotices((n) => n.filter((x) => x.id !== id)),
  };
}
