import type { SeatId } from '../../../shared/protocol/identity';
import type { IceServer, VoiceCandidate, VoiceDescription, VoiceIce, VoiceState } from '../../../shared/protocol/voice';
import type { Mic } from '../../../shared/voice/micRule';
import { codeOf, listen, request, type PayloadOf } from '../realtime/connection';

/**
 * One device's voice call: a native RTCPeerConnection to each other seat in the call (two or
 * three devices, a mesh), negotiated with the perfect-negotiation pattern, signalled through
 * the server's `voice:*` events (docs/protocol.md, Voice). Audio goes straight between the
 * devices; nothing here records it. The floor's rule sets `track.enabled` on the one local
 * track (setMic); the React bar only reads `snapshot()` and calls the methods.
 */

/** How one other seat's device is doing, as this device sees it. */
export interface RemotePeer {
  seat: SeatId;
  peer: string;
  /** their microphone as they last said (voice:state) */
  mic: Mic;
  /** connecting: not heard yet; connected: audio can flow; reconnecting: lost, trying again (ICE restart); lost: gave up trying */
  link: 'connecting' | 'connected' | 'reconnecting' | 'lost';
  stream: MediaStream | null;
}

export interface VoiceSnapshot {
  /** idle: not in the call; asking: waiting for the browser's microphone; in: in the call */
  status: 'idle' | 'asking' | 'in';
  /** others who asked to talk by voice, or are in the call, while this device is not */
  invitations: Array<{ seat: SeatId; peer: string }>;
  remotes: RemotePeer[];
  /** the microphone could not be had: the browser's refusal, in words for the reader */
  problem: string | null;
}

/** A link that stays disconnected this long is restarted; one restarting this long is given up as lost. */
const RESTART_AFTER_MS = 2_500;
const LOST_AFTER_MS = 20_000;
/**
 * A link not connected this long after it was made (its offer or answer lost on the way) is
 * tried again: the earlier seat restarts it, the later one says again it is in the call. After
 * CONNECT_TRIES of them it is given up as lost.
 */
const CONNECT_WITHIN_MS = 10_000;
const CONNECT_TRIES = 3;
/** TURN credentials are renewed this long before they expire (the server mints new ones from then). */
const ICE_REFRESH_BEFORE_MS = 60_000;
const ICE_REFRESH_MIN_MS = 5_000;
const ICE_REFRESH_MAX_MS = 24 * 60 * 60 * 1000;
/** A signalling message refused as RATE_LIMITED is sent once more after this long. */
const RATE_LIMITED_RETRY_MS = 1_000;
/**
 * What another device can make this one do is bounded, so a script in the room cannot make it
 * flood: a `query` from one (seat, peer) is answered at most once in this window, and one new
 * peer id per seat is taken in it (a newer one waits for the window's end, the latest kept).
 */
const PEER_WINDOW_MS = 5_000;
type VoiceEvent = 'voice:state' | 'voice:offer' | 'voice:answer' | 'voice:ice';
const SEAT_ORDER: readonly SeatId[] = ['A', 'B', 'counsellor'];

function randomPeerId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

interface Link {
  seat: SeatId;
  peer: string;
  pc: RTCPeerConnection;
  /** the later seat of the two is polite: it gives way when two offers cross */
  polite: boolean;
  makingOffer: boolean;
  ignoreOffer: boolean;
  settingRemoteAnswer: boolean;
  /** candidates that came before the description they belong to */
  pending: VoiceCandidate[];
  restartTimer: ReturnType<typeof setTimeout> | null;
  lostTimer: ReturnType<typeof setTimeout> | null;
  /** runs until the link first connects (CONNECT_WITHIN_MS) */
  connectTimer: ReturnType<typeof setTimeout> | null;
  connectTries: number;
  state: RemotePeer;
}

export class VoiceCall {
  readonly peer = randomPeerId();
  private status: VoiceSnapshot['status'] = 'idle';
  private problem: string | null = null;
  private local: MediaStream | null = null;
  private iceServers: IceServer[] = [];
  /** when the TURN credentials in iceServers stop working (ms since epoch), null when there are none */
  private iceExpiresAt: number | null = null;
  private iceRefreshTimer: ReturnType<typeof setTimeout> | null = null;
  private mic: Mic = 'muted';
  /** counts join() calls, so a join overtaken by a leave and a new join stops where it is */
  private joinAttempt = 0;
  private readonly links = new Map<SeatId, Link>();
  /** in-call devices of other seats heard of while this one was not in the call */
  private readonly invitations = new Map<SeatId, string>();
  /**
   * In-call devices of later seats, which this device waits for: the earlier seat of two makes
   * the first offer, so two devices never start with crossing offers (Chromium's implicit
   * rollback of a first offer can leave the polite side gathering no candidates at all).
   */
  private readonly awaiting = new Map<SeatId, { peer: string; mic: Mic }>();
  /** when each (seat, peer)'s query was last answered */
  private readonly queryAnsweredAt = new Map<string, number>();
  /** when each seat's last new peer id was taken, and the newest one waiting for the window's end */
  private readonly newPeerAt = new Map<SeatId, number>();
  private readonly newPeerLater = new Map<SeatId, { message: VoiceState; timer: ReturnType<typeof setTimeout> }>();
  /** set by a reconnect until the server's first session:state after it (the rejoin's) */
  private rejoining = false;
  private readonly listeners = new Set<() => void>();
  private readonly stopListening: () => void;
  private current: VoiceSnapshot = { status: 'idle', invitations: [], remotes: [], problem: null };

  constructor(private readonly you: SeatId) {
    this.stopListening = listen({
      'voice:state': (message) => this.onState(message),
      'voice:offer': (message) => void this.onDescription(message, 'offer'),
      'voice:answer': (message) => void this.onDescription(message, 'answer'),
      'voice:ice': (message) => void this.onIce(message),
      // After a reconnect the server knows this socket again only once it has rejoined, which
      // it answers with the session's state: then we say where we are, or ask who is in the call.
      connect: () => {
        this.rejoining = true;
      },
      'session:state': () => {
        if (!this.rejoining) return;
        this.rejoining = false;
        this.greet();
      },
    });
    // A device that opens the bar while a call is on (a reload, a late arrival) learns of it.
    this.greet();
  }

  /** In the call: says so again; not in it: asks who is, and each device in it answers. */
  private greet(): void {
    if (this.status === 'in') this.announce();
    else if (this.status === 'idle') void this.send('voice:state', { peer: this.peer, call: 'query', mic: 'muted' });
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): VoiceSnapshot {
    return this.current;
  }

  /** The local microphone's stream, for the level meter; null until the browser gave it. */
  localStream(): MediaStream | null {
    return this.local;
  }

  /** The peer connections, for the bar's "is audio coming through" and for tests reading getStats. */
  connections(): RTCPeerConnection[] {
    return [...this.links.values()].map((l) => l.pc);
  }

  /**
   * Starts voice or accepts an invitation: asks the browser for the microphone only now. After
   * each wait it checks the call is still wanted (a leave, or the bar going away, meanwhile stops
   * the microphone just given), and it opens the track as the floor says then (setMic keeps
   * `this.mic`), not as it said at the tap.
   */
  async join(mic: Mic): Promise<void> {
    if (this.status !== 'idle') return;
    this.status = 'asking';
    this.problem = null;
    this.mic = mic;
    const attempt = ++this.joinAttempt;
    const wanted = () => this.status === 'asking' && attempt === this.joinAttempt;
    this.changed();
    let local: MediaStream;
    try {
      local = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true }, video: false });
    } catch (err) {
      if (!wanted()) return;
      this.status = 'idle';
      this.problem = microphoneProblem(err);
      this.changed();
      return;
    }
    if (!wanted()) {
      for (const track of local.getTracks()) track.stop();
      return;
    }
    this.local = local;
    await this.fetchIceServers();
    if (!wanted()) {
      for (const track of local.getTracks()) track.stop();
      if (this.local === local) this.local = null;
      return;
    }
    for (const track of local.getAudioTracks()) track.enabled = this.mic === 'open';
    this.status = 'in';
    const invited = [...this.invitations];
    this.invitations.clear();
    const call = invited.length > 0 ? 'accept' : 'start';
    this.changed();
    await this.send('voice:state', { peer: this.peer, call, mic: this.mic });
    if (this.status !== 'in' || attempt !== this.joinAttempt) return;
    for (const [seat, peer] of invited) this.meet(seat, peer, 'muted');
    this.changed();
  }

  private async fetchIceServers(): Promise<void> {
    try {
      const answer = await request('voice:iceServers', {});
      this.iceServers = answer.iceServers;
      this.iceExpiresAt = answer.expiresAt;
    } catch {
      // Without the list, devices on one network still reach each other directly.
      if (this.iceExpiresAt === null) this.iceServers = [];
    }
    this.scheduleIceRefresh();
  }

  /**
   * While in the call, new TURN credentials are fetched a minute before the old ones expire and
   * given to every link, on both sides of each: an ICE restart later, from either seat, then
   * gathers relay candidates with credentials coturn still takes.
   */
  private scheduleIceRefresh(): void {
    if (this.iceRefreshTimer) clearTimeout(this.iceRefreshTimer);
    this.iceRefreshTimer = null;
    if (this.iceExpiresAt === null || this.status === 'idle') return;
    // At least a few seconds: a device whose clock runs behind the server's gets the same credential for a while.
    // At most a day: setTimeout fires at once past 2^31 ms, which a long TURN_CREDENTIAL_TTL_SECONDS would reach.
    const delay = Math.min(ICE_REFRESH_MAX_MS, Math.max(ICE_REFRESH_MIN_MS, this.iceExpiresAt - ICE_REFRESH_BEFORE_MS - Date.now()));
    this.iceRefreshTimer = setTimeout(() => void this.refreshIceServers(), delay);
  }

  private async refreshIceServers(): Promise<void> {
    this.iceRefreshTimer = null;
    if (this.status !== 'in') return;
    await this.fetchIceServers();
    this.applyIceServers();
  }

  /** Gives every link the current servers; a link restarting later gathers with them. */
  private applyIceServers(): void {
    for (const link of this.links.values()) {
      try {
        link.pc.setConfiguration({ ...link.pc.getConfiguration(), iceServers: this.iceServers });
      } catch {
        // A configuration the connection cannot take keeps the one it has.
      }
    }
  }

  leave(): void {
    if (this.status === 'idle') return;
    void this.send('voice:state', { peer: this.peer, call: 'leave', mic: 'muted' });
    this.awaiting.clear();
    for (const { timer } of this.newPeerLater.values()) clearTimeout(timer);
    this.newPeerLater.clear();
    for (const link of this.links.values()) this.close(link);
    this.links.clear();
    for (const track of this.local?.getTracks() ?? []) track.stop();
    this.local = null;
    this.status = 'idle';
    if (this.iceRefreshTimer) clearTimeout(this.iceRefreshTimer);
    this.iceRefreshTimer = null;
    this.changed();
  }

  /** Leaves the call and stops listening: the bar went away. */
  dispose(): void {
    this.leave();
    this.stopListening();
    this.listeners.clear();
  }

  /** Applies the floor's answer to the one local track, and tells the others when it changes. */
  setMic(mic: Mic): void {
    for (const track of this.local?.getAudioTracks() ?? []) track.enabled = mic === 'open';
    if (mic === this.mic) return;
    this.mic = mic;
    if (this.status === 'in') void this.send('voice:state', { peer: this.peer, call: 'accept', mic });
  }

  /** Says again who is in the call: after a reconnect, or when a partner's device comes back. */
  announce(): void {
    if (this.status === 'in') void this.send('voice:state', { peer: this.peer, call: 'accept', mic: this.mic });
  }

  private changed(): void {
    this.current = {
      status: this.status,
      invitations: [...this.invitations].map(([seat, peer]) => ({ seat, peer })),
      remotes: [
        ...[...this.links.values()].map((l) => ({ ...l.state })),
        ...[...this.awaiting].filter(([seat]) => !this.links.has(seat)).map(([seat, { peer, mic }]): RemotePeer => ({ seat, peer, mic, link: 'connecting', stream: null })),
      ].sort((a, b) => SEAT_ORDER.indexOf(a.seat) - SEAT_ORDER.indexOf(b.seat)),
      problem: this.problem,
    };
    for (const listener of this.listeners) listener();
  }

  private async send<E extends VoiceEvent>(event: E, payload: PayloadOf<E>): Promise<void> {
    // A lost message is otherwise met by the next: a link not connected in time is tried again,
    // a restart offers again, and the other side's state is sent again on every reconnect.
    for (let attempt = 0; ; attempt += 1) {
      try {
        await request(event, payload);
        return;
      } catch (err) {
        // A burst (a restart's candidates) can pass the event limit: one more try once it has passed.
        if (codeOf(err) !== 'RATE_LIMITED' || attempt > 0) return;
        await new Promise((resolve) => setTimeout(resolve, RATE_LIMITED_RETRY_MS));
      }
    }
  }

  private onState(message: VoiceState): void {
    const { from, peer, call, mic } = message;
    if (from === this.you) return;
    if (call === 'query') {
      if (this.status === 'in' && this.firstQueryInWindow(from, peer)) void this.send('voice:state', { to: from, peer: this.peer, call: 'accept', mic: this.mic });
      return;
    }
    if (call === 'leave') {
      const later = this.newPeerLater.get(from);
      if (later?.message.peer === peer) {
        clearTimeout(later.timer);
        this.newPeerLater.delete(from);
      }
      this.invitations.delete(from);
      if (this.awaiting.get(from)?.peer === peer) this.awaiting.delete(from);
      const link = this.links.get(from);
      if (link && link.peer === peer) {
        this.close(link);
        this.links.delete(from);
      }
      this.changed();
      return;
    }
    if (this.status !== 'in') {
      this.invitations.set(from, peer);
      this.changed();
      return;
    }
    const known = this.links.get(from);
    const waited = this.awaiting.get(from);
    if ((known && known.peer === peer) || waited?.peer === peer) {
      if (known && known.peer === peer) known.state.mic = mic;
      if (waited?.peer === peer) waited.mic = mic;
      this.changed();
      return;
    }
    if (!this.takesNewPeer(message)) return;
    // A device new to us: tell it we are here (once: it knows us after this), then connect.
    void this.send('voice:state', { to: from, peer: this.peer, call: 'accept', mic: this.mic });
    this.meet(from, peer, mic);
    this.changed();
  }

  private firstQueryInWindow(seat: SeatId, peer: string): boolean {
    const now = Date.now();
    const key = `${seat}/${peer}`;
    const last = this.queryAnsweredAt.get(key);
    if (last !== undefined && now - last < PEER_WINDOW_MS) return false;
    if (this.queryAnsweredAt.size >= 64) {
      for (const [k, at] of this.queryAnsweredAt) if (now - at >= PEER_WINDOW_MS) this.queryAnsweredAt.delete(k);
    }
    this.queryAnsweredAt.set(key, now);
    return true;
  }

  /** One new peer id per seat in PEER_WINDOW_MS; a newer one is handled at the window's end (the latest only). */
  private takesNewPeer(message: VoiceState): boolean {
    const { from } = message;
    const now = Date.now();
    const last = this.newPeerAt.get(from);
    if (last === undefined || now - last >= PEER_WINDOW_MS) {
      this.newPeerAt.set(from, now);
      return true;
    }
    const later = this.newPeerLater.get(from);
    if (later) later.message = message;
    else {
      const timer = setTimeout(() => {
        const waiting = this.newPeerLater.get(from);
        this.newPeerLater.delete(from);
        if (waiting) this.onState(waiting.message);
      }, last + PEER_WINDOW_MS - now);
      this.newPeerLater.set(from, { message, timer });
    }
    return false;
  }

  /** Connects to an in-call device: the earlier seat offers now, the later one waits for that offer. */
  private meet(seat: SeatId, peer: string, mic: Mic): void {
    if (this.politeTo(seat)) {
      if (this.links.get(seat)?.peer !== peer) {
        this.awaiting.set(seat, { peer, mic });
        this.remindAwaited(seat, peer, 1);
      }
      return;
    }
    this.linkTo(seat, peer).state.mic = mic;
  }

  /** No offer from an awaited device in time (our accept, or its offer, lost): say again that we are here. */
  private remindAwaited(seat: SeatId, peer: string, tries: number): void {
    setTimeout(() => {
      if (this.status !== 'in' || this.awaiting.get(seat)?.peer !== peer || this.links.get(seat)?.peer === peer) return;
      void this.send('voice:state', { to: seat, peer: this.peer, call: 'accept', mic: this.mic });
      if (tries < CONNECT_TRIES) this.remindAwaited(seat, peer, tries + 1);
    }, CONNECT_WITHIN_MS);
  }

  private politeTo(seat: SeatId): boolean {
    return SEAT_ORDER.indexOf(this.you) > SEAT_ORDER.indexOf(seat);
  }

  private linkTo(seat: SeatId, peer: string): Link {
    const existing = this.links.get(seat);
    if (existing && existing.peer === peer) return existing;
    if (existing) this.close(existing);
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    const link: Link = {
      seat,
      peer,
      pc,
      polite: this.politeTo(seat),
      makingOffer: false,
      ignoreOffer: false,
      settingRemoteAnswer: false,
      pending: [],
      restartTimer: null,
      lostTimer: null,
      connectTimer: null,
      connectTries: 0,
      state: { seat, peer, mic: this.awaiting.get(seat)?.peer === peer ? this.awaiting.get(seat)!.mic : 'muted', link: 'connecting', stream: null },
    };
    this.awaiting.delete(seat);
    this.links.set(seat, link);
    for (const track of this.local?.getTracks() ?? []) pc.addTrack(track, this.local!);
    pc.ontrack = ({ streams, track }) => {
      link.state.stream = streams[0] ?? new MediaStream([track]);
      this.changed();
    };
    pc.onicecandidate = ({ candidate }) => {
      void this.send('voice:ice', { to: seat, peer: this.peer, toPeer: peer, candidate: candidate ? candidateOf(candidate) : null });
    };
    pc.onnegotiationneeded = async () => {
      try {
        link.makingOffer = true;
        await pc.setLocalDescription();
        await this.sendLocal(link);
      } catch {
        // The next negotiation (or the other side's offer) takes over.
      } finally {
        link.makingOffer = false;
      }
    };
    link.connectTimer = setTimeout(() => void this.notConnected(link), CONNECT_WITHIN_MS);
    pc.onconnectionstatechange = () => this.onLinkState(link);
    pc.oniceconnectionstatechange = () => {
      if (pc.iceConnectionState === 'failed') this.restart(link);
    };
    return link;
  }

  private onLinkState(link: Link): void {
    const { pc } = link;
    const state = pc.connectionState;
    if (state === 'connected') {
      clearTimers(link);
      link.state.link = 'connected';
    } else if (state === 'failed') {
      this.restart(link);
    } else if (state === 'disconnected') {
      link.state.link = 'reconnecting';
      // A short blip often mends itself; past it, gather new candidates (ICE restart).
      link.restartTimer ??= setTimeout(() => this.restart(link), RESTART_AFTER_MS);
      link.lostTimer ??= setTimeout(() => this.lost(link), LOST_AFTER_MS);
    }
    this.changed();
  }

  private restart(link: Link): void {
    if (link.restartTimer) clearTimeout(link.restartTimer);
    link.restartTimer = null;
    if (this.links.get(link.seat) !== link) return;
    // The polite side answers the restart's offer: its own credentials must still work too.
    if (link.polite && this.iceExpiresAt !== null && Date.now() > this.iceExpiresAt - ICE_REFRESH_BEFORE_MS) void this.fetchIceServers().then(() => this.applyIceServers());
    link.state.link = 'reconnecting';
    link.lostTimer ??= setTimeout(() => this.lost(link), LOST_AFTER_MS);
    // The earlier seat restarts (negotiationneeded, an offer with new ICE credentials) and the
    // other answers it: both restarting at once would cross their offers.
    if (!link.polite) void this.restartWithFreshCredentials(link);
    this.changed();
  }

  /** A call longer than the TURN credentials' life gets new ones before it gathers again. */
  private async restartWithFreshCredentials(link: Link): Promise<void> {
    // The refresh timer normally got there first; this covers a device that slept through it.
    if (this.iceExpiresAt !== null && Date.now() > this.iceExpiresAt - ICE_REFRESH_BEFORE_MS) {
      await this.fetchIceServers();
      this.applyIceServers();
    }
    if (this.links.get(link.seat) === link) link.pc.restartIce();
  }

  /** The link did not connect in time: try again, from the side whose turn it is. */
  private async notConnected(link: Link): Promise<void> {
    link.connectTimer = null;
    if (this.links.get(link.seat) !== link || link.pc.connectionState === 'connected') return;
    link.connectTries += 1;
    if (link.connectTries > CONNECT_TRIES) {
      link.state.link = 'lost';
      this.changed();
      return;
    }
    link.connectTimer = setTimeout(() => void this.notConnected(link), CONNECT_WITHIN_MS);
    if (link.polite) {
      // The earlier seat may never have heard of us: say again that we are in the call.
      void this.send('voice:state', { to: link.seat, peer: this.peer, call: 'accept', mic: this.mic });
      return;
    }
    // An offer nobody answered is taken back, so the restart's new offer can go out.
    if (link.pc.signalingState === 'have-local-offer') {
      try {
        await link.pc.setLocalDescription({ type: 'rollback' });
      } catch {
        // Nothing to take back after all: the restart below offers again either way.
      }
    }
    if (this.links.get(link.seat) === link) void this.restartWithFreshCredentials(link);
  }

  private lost(link: Link): void {
    link.lostTimer = null;
    if (this.links.get(link.seat) !== link || link.pc.connectionState === 'connected') return;
    link.state.link = 'lost';
    this.changed();
  }

  /**
   * Sends the local description by its own type: an offer made in negotiationneeded may have been
   * rolled back by the other side's offer in the meantime (the polite side gives way), and what
   * is local then is the answer to it.
   */
  private async sendLocal(link: Link): Promise<void> {
    const local = link.pc.localDescription;
    if (!local || (local.type !== 'offer' && local.type !== 'answer')) return;
    await this.send(local.type === 'offer' ? 'voice:offer' : 'voice:answer', { to: link.seat, peer: this.peer, toPeer: link.peer, sdp: local.sdp });
  }

  private async onDescription(message: VoiceDescription, type: 'offer' | 'answer'): Promise<void> {
    if (message.toPeer !== undefined && message.toPeer !== this.peer) return;
    if (this.status !== 'in') return;
    const link = this.links.get(message.from)?.peer === message.peer ? this.links.get(message.from)! : type === 'offer' ? this.linkTo(message.from, message.peer) : null;
    if (!link) return;
    const { pc } = link;
    // Perfect negotiation (W3C WebRTC 1.0, §10.7): two offers crossing, the impolite side keeps its own.
    const readyForOffer = !link.makingOffer && (pc.signalingState === 'stable' || link.settingRemoteAnswer);
    const collision = type === 'offer' && !readyForOffer;
    link.ignoreOffer = !link.polite && collision;
    if (link.ignoreOffer) return;
    try {
      link.settingRemoteAnswer = type === 'answer';
      await pc.setRemoteDescription({ type, sdp: message.sdp });
      link.settingRemoteAnswer = false;
      for (const candidate of link.pending.splice(0)) await pc.addIceCandidate(candidate).catch(() => undefined);
      if (type === 'offer') {
        await pc.setLocalDescription();
        await this.sendLocal(link);
      }
    } catch {
      link.settingRemoteAnswer = false;
    }
  }

  private async onIce(message: VoiceIce): Promise<void> {
    if (message.toPeer !== undefined && message.toPeer !== this.peer) return;
    const link = this.links.get(message.from);
    if (!link || link.peer !== message.peer) return;
    const candidate = message.candidate ?? undefined;
    if (!link.pc.remoteDescription) {
      if (candidate) link.pending.push(candidate);
      return;
    }
    try {
      await link.pc.addIceCandidate(candidate);
    } catch {
      // A candidate of an offer we ignored in a collision fails here, by design.
    }
  }

  private close(link: Link): void {
    clearTimers(link);
    link.pc.onconnectionstatechange = null;
    link.pc.oniceconnectionstatechange = null;
    link.pc.onnegotiationneeded = null;
    link.pc.onicecandidate = null;
    link.pc.ontrack = null;
    link.pc.close();
  }
}

function clearTimers(link: Link): void {
  if (link.restartTimer) clearTimeout(link.restartTimer);
  if (link.lostTimer) clearTimeout(link.lostTimer);
  if (link.connectTimer) clearTimeout(link.connectTimer);
  link.restartTimer = null;
  link.lostTimer = null;
  link.connectTimer = null;
}

function candidateOf(candidate: RTCIceCandidate): VoiceCandidate {
  const json = candidate.toJSON();
  return {
    candidate: json.candidate ?? '',
    sdpMid: json.sdpMid ?? null,
    sdpMLineIndex: json.sdpMLineIndex ?? null,
    usernameFragment: json.usernameFragment ?? null,
  };
}

/** The browser's refusal of the microphone, said for the person. */
function microphoneProblem(err: unknown): string {
  const name = err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return 'The browser was not allowed to use your microphone. You can allow it in the browser’s site settings, or call each other and carry on here.';
  if (name === 'NotFoundError') return 'No microphone was found on this device. You can call each other and carry on here.';
  if (name === 'NotReadableError') return 'Another app is using your microphone. Close it and try again, or call each other and carry on here.';
  return 'Voice could not start on this device. You can call each other and carry on here.';
}
