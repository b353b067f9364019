/**
 * What the load harness's processes say to each other over Node's IPC channel: the orchestrator
 * (harness.ts) asks the generator (generator.ts) to run one phase; the generator answers with
 * what it measured. Everything here is plain JSON.
 */

/**
 * `relay` is the floor for any server (bytes forwarded over bare WebSockets); `socket.io-relay` is
 * the floor for Socket.IO (the same forwarding over the transport ours is built on).
 */
export const SYSTEMS = ['ours', 'hocuspocus', 'y-websocket', 'relay', 'socket.io-relay'] as const;
export type SystemName = (typeof SYSTEMS)[number];

export interface PhaseRequest {
  type: 'phase';
  /** rooms of two clients each */
  rooms: number;
  warmupMs: number;
  measureMs: number;
  /** after the window: how long to wait for the last edits before counting them lost */
  drainMs: number;
  /** share of rooms (ours only) that run a guided session during the phase */
  turnShare: number;
  seed: number;
}

export interface GeneratorReady {
  type: 'ready';
}

/** Sent when the measured window opens and closes, so the orchestrator samples the server then. */
export interface PhaseMark {
  type: 'mark';
  mark: 'measureStart' | 'measureEnd';
}

export interface Distribution {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface PhaseResult {
  type: 'result';
  rooms: number;
  sockets: number;
  connectMs: number;
  measureMs: number;
  edits: {
    /** keystrokes sent during the window */
    sent: number;
    /** of those, received by the other partner */
    delivered: number;
    lost: number;
    perSecond: number;
    latencyMs: Distribution;
  };
  /** refusals in acks (ours), by error code */
  refusals: Record<string, number>;
  awareness: { sent: number; received: number };
  turns: {
    rooms: number;
    sent: number;
    /** commands whose new snapshot reached both partners */
    completed: number;
    refused: number;
    latencyMs: Distribution;
  };
  errors: string[];
  /** the generator's own CPU over the window, in % of one core */
  generatorCpuPercent: number;
  /**
   * How late the generator's own event loop ran over the window, p99 (ms): a message that
   * arrives meanwhile is timed late by as much, so this is the floor under every latency of
   * the row, whichever server it measures.
   */
  generatorLoopDelayP99Ms: number;
}

export interface PhaseFailure {
  type: 'failure';
  message: string;
}

export type GeneratorMessage = GeneratorReady | PhaseMark | PhaseResult | PhaseFailure;
export type GeneratorCommand = PhaseRequest | { type: 'exit' };

/** What the server probe (servers/ourProbe.ts) answers to `{ type: 'stats' }`. */
export interface ProbeStats {
  type: 'stats';
  /** documents currently held in memory by RoomDocuments */
  loadedDocs: number;
  heapUsed: number;
  rss: number;
}
