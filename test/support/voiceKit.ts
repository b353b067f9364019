import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium, SCREENSHOT_DIR, settled } from './browser';
import { devicesOn } from './browserDevices';
import { startTestServer, type TestServer } from './testServer';

/** What the voice browser tests share: a fake microphone, the peer connections kept for getStats, a speak-aloud session. */

export const VOICE_SHOTS = `${SCREENSHOT_DIR}/voice`;
type Viewport = { width: number; height: number };

/** A 440 Hz tone, 48 kHz mono 16-bit PCM: Chromium loops it as the fake microphone. */
export function toneWav(seconds = 4): Buffer {
  const rate = 48_000;
  const samples = rate * seconds;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 0.5 * 32767), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/**
 * Keeps every RTCPeerConnection the page makes, with when its connection state changed, so the
 * test can read getStats; `relayOnly` makes each one use TURN relays only (iceTransportPolicy
 * 'relay'). A test-only wrapper of the browser's constructor, installed before the app's scripts
 * run; the app itself has no hook for it.
 */
export function keepConnections(relayOnly: boolean): string {
  return `(() => {
  const Native = window.RTCPeerConnection;
  window.__pcs = [];
  window.__pcEvents = [];
  window.RTCPeerConnection = class extends Native {
    constructor(config, ...rest) {
      super(${relayOnly ? "{ ...(config || {}), iceTransportPolicy: 'relay' }" : 'config'}, ...rest);
      window.__pcs.push(this);
      this.addEventListener('connectionstatechange', () => window.__pcEvents.push({ state: this.connectionState, at: performance.now() }));
    }
  };
})();`;
}

export interface AudioStats {
  /** what came in from the other device */
  bytesReceived: number;
  inboundLevel: number;
  /** this device's own microphone, as the sender sees it */
  sourceLevel: number;
  trackEnabled: boolean | null;
  connection: string;
  /** RTCP round trip of the audio this device sends, seconds */
  roundTrip: number | null;
  /** STUN round trip of the chosen candidate pair, seconds */
  pairRoundTrip: number | null;
  localUfrag: string | null;
  candidateType: string | null;
}

export async function statsOf(page: Page): Promise<AudioStats> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.filter((pc) => pc.connectionState !== 'closed');
    const pc = pcs[pcs.length - 1];
    const out: AudioStats = {
      bytesReceived: 0,
      inboundLevel: 0,
      sourceLevel: 0,
      trackEnabled: null,
      connection: pc?.connectionState ?? 'none',
      roundTrip: null,
      pairRoundTrip: null,
      localUfrag: null,
      candidateType: null,
    };
    if (!pc) return out;
    out.trackEnabled = pc.getSenders().find((s) => s.track?.kind === 'audio')?.track?.enabled ?? null;
    out.localUfrag = /a=ice-ufrag:(\S+)/.exec(pc.localDescription?.sdp ?? '')?.[1] ?? null;
    const report = await pc.getStats();
    const byId = new Map<string, Record<string, unknown>>();
    report.forEach((s: Record<string, unknown>) => byId.set(s.id as string, s));
    report.forEach((s: Record<string, unknown>) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        out.bytesReceived = Number(s.bytesReceived ?? 0);
        out.inboundLevel = Number(s.audioLevel ?? 0);
      }
      if (s.type === 'media-source' && s.kind === 'audio') out.sourceLevel = Number(s.audioLevel ?? 0);
      if (s.type === 'remote-inbound-rtp' && s.kind === 'audio' && typeof s.roundTripTime === 'number') out.roundTrip = s.roundTripTime;
      if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
        if (typeof s.currentRoundTripTime === 'number') out.pairRoundTrip = s.currentRoundTripTime;
        out.candidateType = String(byId.get(s.localCandidateId as string)?.candidateType ?? '');
      }
    });
    return out;
  }) as Promise<AudioStats>;
}


export interface VoiceDevices {
  /** A device whose peer connections the test can read, with the microphone allowed. */
  device(viewport: Viewport): Promise<Page>;
  /** Sam opens a room, Alex comes in; Sam proposes "Turning the page" aloud and Alex begins it (Alex speaks first). */
  aloudSession(viewport: Viewport): Promise<{ sam: Page; alex: Page; talkS: Locator; talkA: Locator }>;
  /** A full-page picture in test-results/screenshots/voice, named for the width. */
  shot(page: Page, name: string): Promise<void>;
  readonly server: TestServer;
}

/**
 * One Chromium with a fake microphone playing a generated tone (and no permission prompt), and
 * one server, for the describe block; `serverEnv()` is read when the server starts.
 */
export function voiceDevices(options: { relayOnly?: boolean; serverEnv?: () => Record<string, string> } = {}): VoiceDevices {
  let browser: Browser | undefined;
  let server: TestServer | undefined;
  let wavDir: string | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    mkdirSync(VOICE_SHOTS, { recursive: true });
    wavDir = mkdtempSync(path.join(tmpdir(), 'cg-voice-'));
    const wav = path.join(wavDir, 'tone.wav');
    writeFileSync(wav, toneWav());
    browser = await launchChromium({
      extraArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`, '--autoplay-policy=no-user-gesture-required'],
    });
    server = await startTestServer({ env: options.serverEnv?.() ?? {} });
  });
  afterAll(async () => {
    for (const c of contexts.splice(0)) await c.close();
    await browser?.close();
    await server?.destroy();
    if (wavDir) rmSync(wavDir, { recursive: true, force: true });
  });
  const kit: VoiceDevices = {
    get server() {
      if (!server) throw new Error('the voice test server is not running yet');
      return server;
    },
    async device(viewport) {
      const context = await browser!.newContext({ viewport, reducedMotion: 'reduce', permissions: ['microphone'] });
      contexts.push(context);
      await context.addInitScript(keepConnections(options.relayOnly ?? false));
      return context.newPage();
    },
    async aloudSession(viewport) {
      // The room's first steps are the harness's own (browserDevices.ts), on devices of this kit.
      const steps = devicesOn(() => browser!, () => kit.server, contexts);
      const sam = await kit.device(viewport);
      const link = await steps.startRoom(sam);
      const alex = await kit.device(viewport);
      await steps.comeIn(alex, link, 'Alex');
      await alex.getByText('You are both here').waitFor();
      const talkS = sam.locator('section.talk');
      const talkA = alex.locator('section.talk');
      await talkS.getByRole('button', { name: /Turning the page/ }).click();
      await talkS.getByLabel(/Speak aloud/).check();
      await talkS.getByRole('button', { name: 'Ask Alex to join' }).click();
      await talkA.getByRole('button', { name: 'Yes, let’s begin' }).click();
      await talkA.locator('.floor-title').waitFor();
      return { sam, alex, talkS, talkA };
    },
    async shot(page, name) {
      await settled(page);
      await page.screenshot({ path: `${VOICE_SHOTS}/${name}-${page.viewportSize()!.width}.png`, fullPage: true });
    },
  };
  return kit;
}
