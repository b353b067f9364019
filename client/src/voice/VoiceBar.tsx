import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { PartnerSeat, SeatId } from '../../../shared/protocol/identity';
import type { SessionState } from '../../../shared/session/types';
import { micFor, playbackMuted } from '../../../shared/voice/micRule';
import { VoiceCall } from './voiceCall';
import { FALLBACK, invitationLine, NOTHING_RECORDED, remoteLine, WHY_MICROPHONE, yourMicLine, type SeatNames } from './voiceWords';
import './voice.css';

export interface VoiceBarProps {
  you: SeatId;
  /** the session as this seat sees it: the floor sets the microphone (shared/voice/micRule.ts) */
  state: SessionState;
  names: Record<PartnerSeat, string>;
  counsellor: string | null;
}

/**
 * Voice for partners apart, in a speak-aloud session: start or join with one tap (the browser
 * asks for the microphone only then), the floor opening and muting one's microphone, one's own
 * mute and "hold to speak", a level meter of one's own microphone, who can be heard, and a
 * line saying nothing is recorded. Loaded on demand: the first screens never carry WebRTC code.
 */
export default function VoiceBar(props: VoiceBarProps) {
  // Made in an effect, so each mount owns the call it disposes (StrictMode mounts twice in development).
  const [call, setCall] = useState<VoiceCall | null>(null);
  useEffect(() => {
    const made = new VoiceCall(props.you);
    setCall(made);
    return () => made.dispose();
  }, [props.you]);
  return call ? <VoiceBarOf call={call} {...props} /> : null;
}

function VoiceBarOf({ call, you, state, names, counsellor }: VoiceBarProps & { call: VoiceCall }) {
  const voice = useSyncExternalStore(
    (onChange) => call.subscribe(onChange),
    () => call.snapshot(),
  );
  const [selfMuted, setSelfMuted] = useState(false);
  const outputs = useAudioOutputs(voice.status === 'in');
  const [sink, setSink] = useState('');
  const [holding, setHolding] = useState(false);
  const decision = micFor({ session: state, seat: you, selfMuted, holding });
  useEffect(() => call.setMic(decision.mic), [call, decision.mic, voice.status]);

  const seatNames: SeatNames = { ...names, counsellor: counsellor ?? 'Your counsellor' };
  const floorHolder = state.phase === 'active' && state.step.kind === 'speaker-listener' ? names[state.step.speaker] : null;
  const inCall = voice.status === 'in';
  const mutedByFloor = decision.mic === 'muted' && (decision.reason === 'listening' || decision.reason === 'breakStep');
  // A lost link's own line carries the fallback; a link being restored gets it beside it.
  const restoring = voice.remotes.some((r) => r.link === 'reconnecting') && !voice.remotes.some((r) => r.link === 'lost');

  const hold = (on: boolean) => () => setHolding(on);
  // Letting go anywhere ends it: a finger that slid off the button, a window that lost the focus.
  useEffect(() => {
    if (!holding) return;
    const release = () => setHolding(false);
    window.addEventListener('pointerup', release);
    window.addEventListener('pointercancel', release);
    window.addEventListener('blur', release);
    return () => {
      window.removeEventListener('pointerup', release);
      window.removeEventListener('pointercancel', release);
      window.removeEventListener('blur', release);
    };
  }, [holding]);
  return (
    <section className={`voice-bar${inCall ? ' in-call' : ''}`} aria-labelledby="voice-title">
      <h3 id="voice-title" className="voice-title">
        Voice
      </h3>
      {voice.status === 'idle' && (
        <div className="voice-start">
          {voice.invitations.length > 0 && <p className="voice-invite">{invitationLine(voice.invitations.map((i) => i.seat), seatNames)}</p>}
          <button type="button" className="button" onClick={() => void call.join(decision.mic)}>
            {voice.invitations.length > 0 ? 'Join voice' : 'Start voice'}
          </button>
          <p className="small muted">{WHY_MICROPHONE}</p>
        </div>
      )}
      {voice.status === 'asking' && (
        <p role="status" className="voice-asking">
          Waiting for your browser to let Common Ground use your microphone…
        </p>
      )}
      {inCall && (
        <div className="voice-live">
          <p role="status" className={`voice-mine mic-${decision.mic}`}>
            <span className="mic-dot" aria-hidden="true" />
            {yourMicLine(decision, floorHolder)}
          </p>
          <MicLevel stream={call.localStream()} open={decision.mic === 'open'} />
          <ul className="voice-others" aria-label="Who is in the call">
            {voice.remotes.length === 0 && <li className="muted">Waiting for the others to join…</li>}
            {voice.remotes.map((remote) => (
              <li key={remote.seat} className={`voice-other link-${remote.link} mic-${remote.mic}`}>
                <span className="mic-dot" aria-hidden="true" />
                {remoteLine(remote, seatNames)}
                <RemoteAudio stream={remote.stream} sink={sink} muted={playbackMuted(state, remote.seat)} />
              </li>
            ))}
          </ul>
          {outputs.length > 1 && (
            <label className="voice-output small">
              Play through
              <select value={sink} onChange={(e) => setSink(e.target.value)}>
                {outputs.map((o) => (
                  <option key={o.deviceId} value={o.deviceId === 'default' ? '' : o.deviceId}>
                    {o.label || 'This device’s speaker'}
                  </option>
                ))}
              </select>
            </label>
          )}
          <div className="actions voice-actions">
            {mutedByFloor && !selfMuted && (
              <button
                type="button"
                className="button secondary hold-to-speak"
                aria-pressed={holding}
                onPointerDown={hold(true)}
                onPointerUp={hold(false)}
                onPointerCancel={hold(false)}
                onKeyDown={(e) => {
                  if ((e.key === ' ' || e.key === 'Enter') && !e.repeat) {
                    e.preventDefault();
                    setHolding(true);
                  }
                }}
                onKeyUp={(e) => {
                  if (e.key === ' ' || e.key === 'Enter') setHolding(false);
                }}
                onBlur={hold(false)}
              >
                {holding ? 'Speaking: let go when done' : 'Hold to speak'}
              </button>
            )}
            <button type="button" className="button secondary" aria-pressed={selfMuted} onClick={() => setSelfMuted((m) => !m)}>
              {selfMuted ? 'Unmute' : 'Mute'}
            </button>
            <button type="button" className="button secondary" onClick={() => call.leave()}>
              Leave voice
            </button>
          </div>
        </div>
      )}
      {voice.problem && (
        <p className="voice-problem" role="alert">
          {voice.problem}
        </p>
      )}
      <p className="small voice-private">{NOTHING_RECORDED}</p>
      {inCall && restoring && <p className="small muted">{FALLBACK}</p>}
    </section>
  );
}

/**
 * Plays one other device's audio through the chosen output (`''`: the device's default); never
 * shown. `muted` silences it here whatever the sender does (a time-out, MR9).
 */
function RemoteAudio({ stream, sink, muted }: { stream: MediaStream | null; sink: string; muted: boolean }) {
  const audio = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    if (!audio.current) return;
    audio.current.srcObject = stream;
    if (stream) void audio.current.play().catch(() => undefined);
  }, [stream]);
  useEffect(() => {
    const element = audio.current as (HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> }) | null;
    void element?.setSinkId?.(sink).catch(() => undefined);
  }, [sink]);
  // Also set on the element itself, so a change while it lives always reaches it.
  useEffect(() => {
    if (audio.current) audio.current.muted = muted;
  }, [muted]);
  return <audio ref={audio} autoPlay playsInline muted={muted} className="voice-audio" />;
}

/**
 * The speakers and earpieces the browser lets a page choose (setSinkId), once the microphone is
 * allowed (before that their names are hidden); none where the browser does not allow it.
 */
function useAudioOutputs(inCall: boolean): MediaDeviceInfo[] {
  const [outputs, setOutputs] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    if (!inCall || !('setSinkId' in HTMLMediaElement.prototype) || !navigator.mediaDevices?.enumerateDevices) return;
    let live = true;
    const read = () =>
      void navigator.mediaDevices.enumerateDevices().then((devices) => {
        if (live) setOutputs(devices.filter((d) => d.kind === 'audiooutput' && d.deviceId !== 'communications'));
      });
    read();
    navigator.mediaDevices.addEventListener('devicechange', read);
    return () => {
      live = false;
      navigator.mediaDevices.removeEventListener('devicechange', read);
    };
  }, [inCall]);
  return outputs;
}

/** How loud one's own microphone is, about ten times a second, from an analyser of the local stream. */
function MicLevel({ stream, open }: { stream: MediaStream | null; open: boolean }) {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    if (!stream || typeof AudioContext === 'undefined') return;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      // RMS of speech sits around 0.01–0.2; the square root spreads it over the meter.
      setLevel(Math.min(1, Math.sqrt(Math.sqrt(sum / samples.length)) * 1.5));
    }, 100);
    return () => {
      clearInterval(timer);
      void context.close();
    };
  }, [stream]);
  const shown = open ? level : 0;
  return (
    <div className="mic-level">
      <span className="small muted" id="mic-level-label">
        Your microphone
      </span>
      <meter aria-labelledby="mic-level-label" min={0} max={1} low={0.15} high={0.85} optimum={0.5} value={shown} />
    </div>
  );
}
