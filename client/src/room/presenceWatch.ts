import type { Presence, RoomView, SeatId } from '../../../shared/protocol/rooms';

/**
 * How long another person may be away before this device says so. A reload, a phone that
 * locks for a moment or a short network loss comes back well within it, and then nothing is
 * said at all; past it, one calm line.
 */
export const PRESENCE_GRACE_MS = 10_000;

/** What this device knows of one other seat's comings and goings. */
export interface SeatWatch {
  /** the presence the server last told of */
  last: Presence;
  /** when they stopped being here, while that has not been told yet */
  leftAt: number | null;
  /** whether the reader has been told (or could see from the start) that they are not here */
  told: boolean;
  /** whether they have been here since this device opened the room */
  everHere: boolean;
  /** whether they went because their link died (the server found it silent), not by closing the room */
  linkLost?: boolean;
}

export interface WatchStep {
  watch: SeatWatch;
  /** the one line to show, if any */
  notice: string | null;
  /** when to look again (onGraceOver), if a departure is waiting out its grace */
  wakeAt: number | null;
}

/**
 * The reader decides how calmly to tell of a change (the server tells the truth at once, to
 * every device and every node alike): why it is done here and not with a grace period on the
 * server, which would need a timer per socket on whichever node held it, and lose it when the
 * node goes.
 */
export function onPresence(watch: SeatWatch | undefined, presence: Presence, name: string, now: number, silentForMs = 0): WatchStep {
  if (!watch) {
    // What the room looked like when this device opened it is not news.
    return { watch: { last: presence, leftAt: null, told: presence !== 'here', everHere: presence === 'here' }, notice: null, wakeAt: null };
  }
  if (presence === 'here') {
    if (watch.last === 'here') return { watch, notice: null, wakeAt: null };
    const notice = watch.told ? (watch.everHere ? `${name} is back.` : `${name} is here.`) : null;
    return { watch: { last: 'here', leftAt: null, told: false, everHere: true, linkLost: false }, notice, wakeAt: null };
  }
  if (watch.last === 'here') {
    // A lost network is found late (the server waits out an unanswered ping): the grace counts
    // from when the device went quiet, so the reader hears of it about 10 s after, not 20.
    const leftAt = now - Math.min(Math.max(0, silentForMs), PRESENCE_GRACE_MS);
    return { watch: { ...watch, last: presence, leftAt, told: false, linkLost: silentForMs > 0 }, notice: null, wakeAt: leftAt + PRESENCE_GRACE_MS };
  }
  // From away to gone or back: still not here. One line is enough, so nothing more is said. A
  // state sent for another reason may have come first: the drop's own silence, once told, still
  // moves the start of an untold departure back.
  const leftAt = !watch.told && watch.leftAt !== null && silentForMs > 0 ? Math.min(watch.leftAt, now - Math.min(silentForMs, PRESENCE_GRACE_MS)) : watch.leftAt;
  const next = { ...watch, last: presence, leftAt, linkLost: presence === 'gone' && (silentForMs > 0 || Boolean(watch.linkLost)) };
  return { watch: next, notice: null, wakeAt: next.told || next.leftAt === null ? null : next.leftAt + PRESENCE_GRACE_MS };
}

/** Called at `wakeAt`: a departure that outlasted its grace is told, once. */
export function onGraceOver(watch: SeatWatch, name: string, now: number): WatchStep {
  if (watch.told || watch.last === 'here' || watch.leftAt === null) return { watch, notice: null, wakeAt: null };
  if (now < watch.leftAt + PRESENCE_GRACE_MS) return { watch, notice: null, wakeAt: watch.leftAt + PRESENCE_GRACE_MS };
  const notice =
    watch.last === 'away'
      ? `${name} stepped away for a moment.`
      : watch.linkLost
        ? `${name}’s connection dropped. Their place here is kept.`
        : `${name} has left the room for now.`;
  return { watch: { ...watch, told: true, leftAt: null }, notice, wakeAt: null };
}

/** What the room shows of a seat: still here while a departure waits out its grace. */
export function calmPresence(watch: SeatWatch | undefined, actual: Presence): Presence {
  if (!watch || watch.told || watch.last === 'here') return actual;
  return 'here';
}

/** The room as this device shows it: other seats' short absences are not shown. */
export function calmView(view: RoomView, watches: Partial<Record<SeatId, SeatWatch>>, you: SeatId | null): RoomView {
  let changed = false;
  const seats = view.seats.map((s) => {
    if (s.seat === you) return s;
    const presence = calmPresence(watches[s.seat], s.presence);
    if (presence === s.presence) return s;
    changed = true;
    return { ...s, presence };
  });
  return changed ? { ...view, seats } : view;
}
