import { useEffect, useId, useState } from 'react';
import type { Pack } from '../../../shared/content/packSchema';
import type { SessionView } from '../../../shared/protocol/sessions';
import type { RoomView } from '../../../shared/protocol/rooms';
import type { ActiveState, Command, Seat, SessionState } from '../../../shared/session/types';
import { getSocket, messageOf, request } from '../realtime/connection';

const subWords: Record<string, (speaker: string, listener: string) => string> = {
  speak: (s) => `${s} has the floor and is speaking`,
  reflect: (s, l) => `${l} is saying back what they heard from ${s}`,
  check: (s) => `${s} is checking the reflection`,
  validate: (_s, l) => `${l} may say what makes sense to them`,
  empathise: (_s, l) => `${l} may guess how it felt`,
  pass: (s) => `${s} can pass the floor`,
  complete: () => 'This step is complete',
};

function describe(state: SessionState, packs: Pack[], names: Record<Seat, string>): { title: string; detail: string } {
  const packTitle = (id: string) => packs.find((p) => p.id === id)?.title ?? 'A session';
  const inner = state.phase === 'paused' ? state.resumeTo : state;
  switch (inner.phase) {
    case 'idle':
      return { title: 'No session running', detail: 'Choose a pack to propose one to the couple.' };
    case 'ended':
      return { title: `${packTitle(inner.summary.packId)}: finished`, detail: `${inner.summary.stepsDone} of ${inner.summary.stepCount} steps done together.` };
    case 'proposed': {
      const waiting = (['A', 'B'] as const).filter((s) => !inner.accepted[s]).map((s) => names[s]);
      return { title: `${packTitle(inner.packId)}: proposed`, detail: waiting.length ? `Waiting for ${waiting.join(' and ')} to accept.` : 'Starting…' };
    }
    case 'active': {
      const pack = packs.find((p) => p.id === inner.packId);
      const step = pack?.steps[inner.stepIndex];
      const title = `${packTitle(inner.packId)} · step ${inner.stepIndex + 1} of ${inner.stepCount}${step ? `: ${step.title}` : ''}`;
      return { title, detail: stepDetail(inner, names) };
    }
  }
}

function stepDetail(state: ActiveState, names: Record<Seat, string>): string {
  const step = state.step;
  switch (step.kind) {
    case 'speaker-listener': {
      const listener = step.speaker === 'A' ? 'B' : 'A';
      return `${subWords[step.sub]?.(names[step.speaker], names[listener]) ?? ''} (round ${step.round} of ${step.rounds}).`;
    }
    case 'open':
    case 'appreciation':
      return `${names[step.turn]}'s turn to add something. Ready: ${(['A', 'B'] as const).filter((s) => step.ready[s]).map((s) => names[s]).join(', ') || 'nobody yet'}.`;
    case 'agreement':
      return 'Proposals for the agreements, from anyone.';
    case 'break':
      return 'A break.';
  }
}

/** The counsellor's controls for the room's guided session, sent as counsellor commands. */
export function ModerationPanel({ room, connected }: { room: RoomView; connected: boolean }) {
  const [state, setState] = useState<SessionState | null>(null);
  const [packs, setPacks] = useState<Pack[]>([]);
  const [packId, setPackId] = useState('');
  const [mode, setMode] = useState<'aloud' | 'write'>('aloud');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const names: Record<Seat, string> = {
    A: room.seats.find((s) => s.seat === 'A')?.displayName ?? 'First partner',
    B: room.seats.find((s) => s.seat === 'B')?.displayName ?? 'Second partner',
  };

  useEffect(() => {
    const socket = getSocket();
    const onState = (view: SessionView) => setState((current) => (current && current.version > view.state.version ? current : view.state));
    socket.on('session:state', onState);
    return () => {
      socket.off('session:state', onState);
    };
  }, []);

  useEffect(() => {
    if (!connected) return;
    void request<{ session: SessionView }>('session:sync', {}).then((res) => setState(res.session.state)).catch(() => undefined);
    void request<{ packs: Pack[] }>('session:packs', {})
      .then((res) => {
        setPacks(res.packs);
        setPackId((p) => p || res.packs[0]?.id || '');
      })
      .catch(() => undefined);
  }, [connected]);

  async function send(command: Command) {
    setBusy(true);
    setError(null);
    try {
      await request('session:command', command);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  const inner = state?.phase === 'paused' ? state.resumeTo : state;
  const running = inner?.phase === 'active';
  const speakerListener = inner?.phase === 'active' && inner.step.kind === 'speaker-listener';
  const paused = state?.phase === 'paused';
  const described = state ? describe(state, packs, names) : null;
  const canChoose = !state || state.phase === 'idle' || state.phase === 'ended';

  return (
    <section className="card cn-moderation" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Guide the session</h2>
      <div className="cn-status" role="status" aria-live="polite">
        {described ? (
          <>
            <p className="cn-status-title">{described.title}</p>
            <p className="muted">{described.detail}</p>
            {paused && state?.phase === 'paused' && (
              <p className="cn-paused">
                Paused for a time-out until {new Date(state.pause.until).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}.
              </p>
            )}
          </>
        ) : (
          <p className="muted">Loading the session…</p>
        )}
      </div>

      {canChoose && (
        <div className="cn-choose">
          <div className="field">
            <label htmlFor={`${id}-pack`}>Pack</label>
            <select id={`${id}-pack`} value={packId} onChange={(e) => setPackId(e.target.value)}>
              {packs.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.title}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="cn-mode">
            <legend>How they take turns</legend>
            <label className="check">
              <input type="radio" name={`${id}-mode`} checked={mode === 'aloud'} onChange={() => setMode('aloud')} />
              <span>Speaking aloud</span>
            </label>
            <label className="check">
              <input type="radio" name={`${id}-mode`} checked={mode === 'write'} onChange={() => setMode('write')} />
              <span>In writing</span>
            </label>
          </fieldset>
          <button type="button" className="button" disabled={busy || !packId || !connected} onClick={() => void send({ type: 'choosePack', packId, mode })}>
            Propose this pack
          </button>
        </div>
      )}

      {inner?.phase === 'proposed' && !paused && (
        <div className="actions">
          <button type="button" className="button secondary" disabled={busy} onClick={() => void send({ type: 'cancelProposal' })}>
            Withdraw the proposal
          </button>
        </div>
      )}

      {running && (
        <div className="cn-controls">
          {speakerListener && !paused && (
            <div className="cn-control-group" role="group" aria-label="Give the floor">
              <span className="cn-group-label">Give the floor to</span>
              {(['A', 'B'] as const).map((seat) => (
                <button key={seat} type="button" className="button small" disabled={busy} onClick={() => void send({ type: 'grantFloor', seat })}>
                  {names[seat]}
                </button>
              ))}
            </div>
          )}
          {!paused && (
            <div className="cn-control-group" role="group" aria-label="Steps">
              <button type="button" className="button small" disabled={busy} onClick={() => void send({ type: 'advance' })}>
                Move on one notch
              </button>
              <button type="button" className="button secondary small" disabled={busy} onClick={() => void send({ type: 'repeatStep' })}>
                Repeat this step
              </button>
              <button type="button" className="button secondary small" disabled={busy} onClick={() => void send({ type: 'skipStep' })}>
                Skip this step
              </button>
            </div>
          )}
        </div>
      )}

      {(running || inner?.phase === 'proposed') && (
        <div className="cn-control-group" role="group" aria-label="Pause or end">
          {paused ? (
            <button type="button" className="button small" disabled={busy} onClick={() => void send({ type: 'resume' })}>
              Resume the session
            </button>
          ) : (
            <button type="button" className="button secondary small" disabled={busy} onClick={() => void send({ type: 'pause' })}>
              Pause for 20 minutes
            </button>
          )}
          <button type="button" className="button secondary small cn-end" disabled={busy} onClick={() => void send({ type: 'endSession' })}>
            End the session
          </button>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
