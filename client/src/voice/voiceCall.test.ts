import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VoiceState } from '../../../shared/protocol/voice';

/**
 * VoiceCall's signalling without a browser: the socket is a stand-in (listen, request) and the
 * microphone a stream of fake tracks. Seat B is polite to A, so meeting A makes no connection.
 */
const sent: Array<{ event: string; payload: Record<string, unknown> }> = [];
let handlers: Record<string, (message: never) => void> = {};
let refuseNext: string | null = null;

vi.mock('../realtime/connection', () => ({
  listen: (listeners: Record<string, (message: never) => void>) => {
    handlers = listeners;
    return () => undefined;
  },
  request: async (event: string, payload: Record<string, unknown>) => {
    sent.push({ event, payload });
    if (refuseNext) {
      const code = refuseNext;
      refuseNext = null;
      throw Object.assign(new Error(code), { code });
    }
    if (event === 'voice:iceServers') return { ok: true, iceServers: [], expiresAt: null };
    return { ok: true };
  },
  codeOf: (err: unknown) => (err as { code?: string }).code ?? null,
}));

const { VoiceCall } = await import('./voiceCall');

function fakeStream() {
  const track = {
    enabled: true,
    stopped: false,
    stop() {
      this.stopped = true;
    },
  };
  return { track, stream: { getTracks: () => [track], getAudioTracks: () => [track] } };
}

let getUserMedia: ReturnType<typeof vi.fn>;
beforeEach(() => {
  vi.useFakeTimers();
  sent.length = 0;
  refuseNext = null;
  getUserMedia = vi.fn();
  vi.stubGlobal('navigator', { mediaDevices: { getUserMedia } });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const states = () => sent.filter((s) => s.event === 'voice:state').map((s) => s.payload);
const hear = (message: VoiceState) => handlers['voice:state']!(message as never);

async function inCall() {
  const { stream } = fakeStream();
  getUserMedia.mockResolvedValue(stream);
  const call = new VoiceCall('B');
  await call.join('open');
  expect(call.snapshot().status).toBe('in');
  sent.length = 0;
  return call;
}

describe('VoiceCall', () => {
  it('a leave while the browser asks for the microphone stops the microphone it then gives, and nothing is started', async () => {
    const { track, stream } = fakeStream();
    let give!: (s: unknown) => void;
    getUserMedia.mockReturnValue(new Promise((resolve) => (give = resolve)));
    const call = new VoiceCall('B');
    const joining = call.join('open');
    expect(call.snapshot().status).toBe('asking');
    call.leave();
    give(stream);
    await joining;
    expect(track.stopped).toBe(true);
    expect(call.snapshot().status).toBe('idle');
    expect(states().some((s) => s.call === 'start' || s.call === 'accept')).toBe(false);
  });

  it('the track opens as setMic last said, not as the floor said at the tap', async () => {
    const { track, stream } = fakeStream();
    let give!: (s: unknown) => void;
    getUserMedia.mockReturnValue(new Promise((resolve) => (give = resolve)));
    const call = new VoiceCall('B');
    const joining = call.join('open');
    call.setMic('muted');
    give(stream);
    await joining;
    expect(track.enabled).toBe(false);
    expect(states().at(-1)).toMatchObject({ call: 'start', mic: 'muted' });
  });

  it('answers a query from one (seat, peer) at most once every 5 s', async () => {
    await inCall();
    for (let i = 0; i < 20; i += 1) hear({ from: 'A', peer: 'peer-aaaa1', call: 'query', mic: 'muted' });
    await vi.advanceTimersByTimeAsync(0);
    expect(states().filter((s) => s.call === 'accept')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5_000);
    hear({ from: 'A', peer: 'peer-aaaa1', call: 'query', mic: 'muted' });
    await vi.advanceTimersByTimeAsync(0);
    expect(states().filter((s) => s.call === 'accept')).toHaveLength(2);
  });

  it('takes one new peer id per seat every 5 s; the latest newer one is met at the window’s end', async () => {
    const call = await inCall();
    for (let i = 0; i < 30; i += 1) hear({ from: 'A', peer: `peer-new-${i}`, call: 'start', mic: 'open' });
    await vi.advanceTimersByTimeAsync(0);
    expect(states().filter((s) => s.call === 'accept')).toHaveLength(1);
    expect(call.snapshot().remotes.map((r) => r.peer)).toEqual(['peer-new-0']);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(states().filter((s) => s.call === 'accept')).toHaveLength(2);
    expect(call.snapshot().remotes.map((r) => r.peer)).toEqual(['peer-new-29']);
    call.dispose();
  });

  it('the later seat says again it is in the call when the awaited offer does not come within 10 s', async () => {
    const call = await inCall();
    hear({ from: 'A', peer: 'peer-aaaa1', call: 'start', mic: 'open' });
    await vi.advanceTimersByTimeAsync(0);
    expect(states().filter((s) => s.call === 'accept' && s.to === 'A')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(states().filter((s) => s.call === 'accept' && s.to === 'A')).toHaveLength(2);
    call.dispose();
  });

  it('a message refused as RATE_LIMITED is sent once more after 1 s', async () => {
    const call = await inCall();
    refuseNext = 'RATE_LIMITED';
    call.setMic('muted');
    await vi.advanceTimersByTimeAsync(0);
    expect(states()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(states()).toHaveLength(2);
    expect(states()[1]).toMatchObject({ call: 'accept', mic: 'muted' });
    call.dispose();
  });
});
