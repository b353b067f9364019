/**
 * The load generator: one process driving every simulated device of one system, told what to
 * do by the orchestrator (harness.ts) over IPC. Latency is measured here at both ends with
 * performance.now(), so there is no clock skew: an edit's marker (its Yjs item id,
 * client:clock) is noted when it is typed and looked up when the other partner receives it.
 *
 * Run as `node --import tsx test/load/generator.ts` with BENCH_SYSTEM and BENCH_URLS set.
 */
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import type { Ack } from '../../shared/protocol/errors';
import type { PartnerSeat } from '../../shared/protocol/identity';
import type { Command, SessionState } from '../../shared/session/types';
import { createPairedRoom, OursClient, type OursCredentials } from './clients/oursClient';
import { HocuspocusClient, RelayClient, YWebsocketClient } from './clients/rawWsClients';
import { SocketIORelayClient } from './clients/socketIORelayClient';
import type { ClientHandlers, YClient } from './clients/yClient';
import { distribution, round, seededRandom } from './stats';
import type { GeneratorCommand, GeneratorMessage, PhaseRequest, PhaseResult, SystemName } from './types';
import { WindowProfiler } from './windowProfiler';

const KEYSTROKE_MS = 200; // about 5 keystrokes a second while typing
const KEYSTROKE_JITTER_MS = 40;
const BURST_MIN = 8;
const BURST_MAX = 30;
const PAUSE_MIN_MS = 500;
const PAUSE_MAX_MS = 2500;
const CURSOR_EVERY = 4;
const TURN_EVERY_MS = 2000;
const TURN_JITTER_MS = 500;
const TURN_TIMEOUT_MS = 10_000;
const CONNECT_CONCURRENCY = 50;
const CREATE_CONCURRENCY = 16;
const TURN_PACK = 'turning-the-page';
const TEXT = 'we agree to say when plans change ';

class PhaseState {
  recording = false;
  running = false;
  readonly editSamples: number[] = [];
  readonly turnSamples: number[] = [];
  sent = 0;
  delivered = 0;
  awarenessSent = 0;
  awarenessReceived = 0;
  turnsSent = 0;
  turnsCompleted = 0;
  turnsRefused = 0;
  readonly refusals: Record<string, number> = {};
  private readonly errorCounts = new Map<string, number>();

  error(message: string): void {
    this.errorCounts.set(message, (this.errorCounts.get(message) ?? 0) + 1);
  }

  refusal(code: string): void {
    this.refusals[code] = (this.refusals[code] ?? 0) + 1;
  }

  errors(): string[] {
    return [...this.errorCounts].slice(0, 20).map(([m, n]) => (n > 1 ? `${m} (×${n})` : m));
  }
}

interface PendingTurn {
  t0: number;
  target: number;
  recorded: boolean;
  timer: NodeJS.Timeout;
}

/** Two partners in one room and their traffic: typing bursts, cursor moves, turn commands. */
class RoomDriver {
  readonly clients: Record<PartnerSeat, YClient>;
  /** marker (client:clock) -> performance.now() when typed, for edits typed in the window */
  private readonly pending = new Map<string, number>();
  private typist: PartnerSeat;
  private burstLeft = 0;
  private typed = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly versions: Record<PartnerSeat, number> = { A: 0, B: 0 };
  private session: SessionState | null = null;
  private turn: PendingTurn | null = null;
  private turnTimer: NodeJS.Timeout | null = null;
  private turnsBroken = false;

  constructor(
    private readonly phase: PhaseState,
    private readonly random: () => number,
    make: (seat: PartnerSeat, handlers: ClientHandlers & { onSessionState(state: SessionState): void }) => YClient,
    readonly runsSession: boolean,
  ) {
    this.typist = random() < 0.5 ? 'A' : 'B';
    this.clients = { A: make('A', this.handlersFor('A')), B: make('B', this.handlersFor('B')) };
  }

  get undelivered(): number {
    return this.pending.size;
  }

  get turnPending(): boolean {
    return this.turn?.recorded === true;
  }

  async open(): Promise<void> {
    await this.clients.A.open();
    await this.clients.B.open();
  }

  prepare(): void {
    this.clients.A.prepare('Sam');
    this.clients.B.prepare('Alex');
  }

  start(): void {
    this.timer = setTimeout(() => this.tick(), this.random() * 1000);
    if (this.runsSession) this.scheduleTurn();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.turnTimer) clearTimeout(this.turnTimer);
    this.timer = null;
    this.turnTimer = null;
  }

  close(): void {
    this.stop();
    if (this.turn) clearTimeout(this.turn.timer);
    this.clients.A.close();
    this.clients.B.close();
  }

  private handlersFor(seat: PartnerSeat): ClientHandlers & { onSessionState(state: SessionState): void } {
    return {
      onRemoteUpdate: (update, at) => this.received(seat, update, at),
      onAwareness: () => {
        if (this.phase.recording) this.phase.awarenessReceived += 1;
      },
      onError: (message) => this.phase.error(message),
      onRefusal: (code) => this.phase.refusal(code),
      onSessionState: (state) => this.sessionState(seat, state),
    };
  }

  private tick(): void {
    if (!this.phase.running) return;
    if (this.burstLeft > 0) {
      this.keystroke();
      this.burstLeft -= 1;
      this.timer = setTimeout(() => this.tick(), KEYSTROKE_MS + (this.random() * 2 - 1) * KEYSTROKE_JITTER_MS);
      return;
    }
    // A pause: the other partner may take over; the one not typing moves their cursor.
    if (this.random() < 0.5) this.typist = this.typist === 'A' ? 'B' : 'A';
    const reader = this.typist === 'A' ? 'B' : 'A';
    this.clients[reader].moveCursor(Math.floor(this.random() * 100));
    this.phase.awarenessSent += this.phase.recording ? 1 : 0;
    this.burstLeft = BURST_MIN + Math.floor(this.random() * (BURST_MAX - BURST_MIN + 1));
    this.timer = setTimeout(() => this.tick(), PAUSE_MIN_MS + this.random() * (PAUSE_MAX_MS - PAUSE_MIN_MS));
  }

  private keystroke(): void {
    const client = this.clients[this.typist];
    if (this.phase.recording) {
      this.pending.set(client.nextMarker(), performance.now());
      this.phase.sent += 1;
    }
    client.type(TEXT[this.typed % TEXT.length] as string);
    this.typed += 1;
    if (this.typed % CURSOR_EVERY === 0) {
      client.moveCursor(this.typed);
      this.phase.awarenessSent += this.phase.recording ? 1 : 0;
    }
  }

  private received(seat: PartnerSeat, update: Uint8Array, at: number): void {
    if (this.pending.size === 0) return;
    const own = this.clients[seat].doc.clientID;
    const { from, to } = Y.parseUpdateMeta(update);
    for (const [client, first] of from) {
      if (client === own) continue;
      const end = to.get(client) ?? first + 1;
      for (let clock = first; clock < end; clock++) {
        const key = `${client}:${clock}`;
        const t0 = this.pending.get(key);
        if (t0 === undefined) continue;
        this.pending.delete(key);
        this.phase.editSamples.push(at - t0);
        this.phase.delivered += 1;
      }
    }
  }

  // ---- guided session (ours only) ----

  private sessionState(seat: PartnerSeat, state: SessionState): void {
    const at = performance.now();
    if (state.version < this.versions[seat]) return;
    this.versions[seat] = state.version;
    if (!this.session || state.version >= this.session.version) this.session = state;
    const turn = this.turn;
    if (turn && this.versions.A >= turn.target && this.versions.B >= turn.target) {
      clearTimeout(turn.timer);
      this.turn = null;
      if (turn.recorded) {
        this.phase.turnSamples.push(at - turn.t0);
        this.phase.turnsCompleted += 1;
      }
      this.scheduleTurn();
    }
  }

  private scheduleTurn(): void {
    if (!this.phase.running || this.turnsBroken || this.turn || this.turnTimer) return;
    const next = this.session && nextTurn(this.session);
    if (!next) {
      this.turnsBroken = true;
      this.phase.error(`no turn command for session phase ${this.session?.phase ?? 'unknown'}`);
      return;
    }
    const delay = next.cycle ? TURN_EVERY_MS + (this.random() * 2 - 1) * TURN_JITTER_MS : 0;
    this.turnTimer = setTimeout(() => {
      this.turnTimer = null;
      this.sendTurn(next.seat, next.command);
    }, delay);
  }

  private sendTurn(seat: PartnerSeat, command: Command): void {
    if (!this.phase.running) return;
    const recorded = this.phase.recording;
    const target = Math.max(this.versions.A, this.versions.B) + 1;
    const timer = setTimeout(() => {
      if (this.turn?.timer !== timer) return;
      this.turn = null;
      this.phase.error('turn snapshot did not reach both partners within 10 s');
      this.scheduleTurn();
    }, TURN_TIMEOUT_MS);
    this.turn = { t0: performance.now(), target, recorded, timer };
    if (recorded) this.phase.turnsSent += 1;
    (this.clients[seat] as OursClient).command(command, (ack: Ack) => {
      if (ack.ok || this.turn?.timer !== timer) return;
      clearTimeout(timer);
      this.turn = null;
      if (recorded) this.phase.turnsRefused += 1;
      this.phase.refusal(`session:${ack.error.code}`);
      this.turnTimer = setTimeout(() => {
        this.turnTimer = null;
        this.scheduleTurn();
      }, TURN_EVERY_MS);
    });
  }
}

/**
 * The next command of an endless speaker-listener loop: SPEAK -> REFLECT -> CHECK, where the
 * speaker says "not quite" and goes back to SPEAK. Proposing and accepting come first.
 */
function nextTurn(state: SessionState): { seat: PartnerSeat; command: Command; cycle: boolean } | null {
  switch (state.phase) {
    case 'idle':
    case 'ended':
      return { seat: 'A', command: { type: 'propose', packId: TURN_PACK, mode: 'aloud' }, cycle: false };
    case 'proposed':
      if (!state.accepted.B) return { seat: 'B', command: { type: 'accept' }, cycle: false };
      if (!state.accepted.A) return { seat: 'A', command: { type: 'accept' }, cycle: false };
      return null;
    case 'active': {
      const step = state.step;
      if (step.kind !== 'speaker-listener') return null;
      const listener: PartnerSeat = step.speaker === 'A' ? 'B' : 'A';
      if (step.sub === 'speak') return { seat: step.speaker, command: { type: 'passToReflect' }, cycle: true };
      if (step.sub === 'reflect') return { seat: listener, command: { type: 'reflect' }, cycle: true };
      if (step.sub === 'check') return { seat: step.speaker, command: { type: 'notQuite', backTo: 'speak' }, cycle: true };
      return null;
    }
    default:
      return null;
  }
}

async function inBatches<T>(items: readonly T[], size: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  });
  await Promise.all(runners);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const profileDir = process.env.BENCH_PROFILE_DIR;

export class Generator {
  private readonly profiler = new WindowProfiler();
  private readonly credentials: Array<{ A: OursCredentials; B: OursCredentials }> = [];

  constructor(
    private readonly system: SystemName,
    private readonly urls: readonly string[],
    private readonly send: (message: GeneratorMessage) => void,
  ) {}

  async run(request: PhaseRequest): Promise<PhaseResult> {
    const phase = new PhaseState();
    const connectStarted = performance.now();
    if (this.system === 'ours') await this.ensureRooms(request.rooms);
    const drivers = Array.from({ length: request.rooms }, (_, index) => {
      const runsSession = this.system === 'ours' && request.turnShare > 0 && index % Math.round(1 / request.turnShare) === 0;
      return new RoomDriver(phase, seededRandom(request.seed * 7919 + index), (seat, handlers) => this.client(index, seat, handlers), runsSession);
    });
    try {
      await inBatches(drivers, CONNECT_CONCURRENCY, (driver) => driver.open());
      const connectMs = performance.now() - connectStarted;
      for (const driver of drivers) driver.prepare();
      await sleep(300);

      phase.running = true;
      for (const driver of drivers) driver.start();
      await sleep(request.warmupMs);

      phase.recording = true;
      const cpuBefore = process.cpuUsage();
      const loopDelay = monitorEventLoopDelay({ resolution: 1 });
      loopDelay.enable();
      const windowStarted = performance.now();
      this.send({ type: 'mark', mark: 'measureStart' });
      if (profileDir) this.profiler.start();
      await sleep(request.measureMs);
      phase.recording = false;
      phase.running = false;
      const windowMs = performance.now() - windowStarted;
      const cpu = process.cpuUsage(cpuBefore);
      loopDelay.disable();
      this.send({ type: 'mark', mark: 'measureEnd' });
      if (profileDir) await this.profiler.stop(path.join(profileDir, `generator-${this.system}-${request.rooms}.cpuprofile`));
      for (const driver of drivers) driver.stop();

      const drainUntil = performance.now() + request.drainMs;
      while (performance.now() < drainUntil && drivers.some((d) => d.undelivered > 0 || d.turnPending)) await sleep(20);
      const lost = drivers.reduce((sum, d) => sum + d.undelivered, 0);

      return {
        type: 'result',
        rooms: request.rooms,
        sockets: request.rooms * 2,
        connectMs: Math.round(connectMs),
        measureMs: Math.round(windowMs),
        edits: {
          sent: phase.sent,
          delivered: phase.delivered,
          lost,
          perSecond: round(phase.sent / (windowMs / 1000), 1),
          latencyMs: distribution(phase.editSamples),
        },
        refusals: phase.refusals,
        awareness: { sent: phase.awarenessSent, received: phase.awarenessReceived },
        turns: {
          rooms: drivers.filter((d) => d.runsSession).length,
          sent: phase.turnsSent,
          completed: phase.turnsCompleted,
          refused: phase.turnsRefused,
          latencyMs: distribution(phase.turnSamples),
        },
        errors: phase.errors(),
        generatorCpuPercent: round(((cpu.user + cpu.system) / 1000 / windowMs) * 100, 1),
        generatorLoopDelayP99Ms: round(loopDelay.percentile(99) / 1e6, 1),
      };
    } finally {
      for (const driver of drivers) driver.close();
      await sleep(500);
    }
  }

  private async ensureRooms(count: number): Promise<void> {
    const missing = Array.from({ length: Math.max(0, count - this.credentials.length) }, (_, i) => i);
    const made: Array<{ A: OursCredentials; B: OursCredentials }> = [];
    await inBatches(missing, CREATE_CONCURRENCY, async () => {
      made.push(await createPairedRoom(this.urls[0] as string));
    });
    this.credentials.push(...made);
  }

  private client(index: number, seat: PartnerSeat, handlers: ClientHandlers & { onSessionState(state: SessionState): void }): YClient {
    // With several nodes, the partners of a room sit on different nodes.
    const url = this.urls[(seat === 'A' ? 0 : 1) % this.urls.length] as string;
    const room = `r${index}`;
    switch (this.system) {
      case 'ours': {
        const credentials = this.credentials[index];
        if (!credentials) throw new Error(`no room ${index}`);
        return new OursClient(url, credentials[seat], handlers);
      }
      case 'y-websocket':
        return new YWebsocketClient(`${url.replace(/^http/, 'ws')}/${room}`, handlers);
      case 'hocuspocus':
        return new HocuspocusClient(url.replace(/^http/, 'ws'), room, handlers);
      case 'relay':
        return new RelayClient(`${url.replace(/^http/, 'ws')}/${room}`, handlers);
      case 'socket.io-relay':
        return new SocketIORelayClient(url, room, handlers);
    }
  }
}

async function main(): Promise<void> {
  const system = process.env.BENCH_SYSTEM as SystemName;
  const urls = JSON.parse(process.env.BENCH_URLS ?? '[]') as string[];
  const send = (message: GeneratorMessage) => process.send?.(message);
  const generator = new Generator(system, urls, send);
  process.on('disconnect', () => process.exit(0));
  process.on('message', (command: GeneratorCommand) => {
    if (command.type === 'exit') process.exit(0);
    generator.run(command).then(send, (err: unknown) =>
      send({ type: 'failure', message: err instanceof Error ? err.stack ?? err.message : String(err) }),
    );
  });
  send({ type: 'ready' });
}

if (process.env.BENCH_SYSTEM && process.send) void main();
