import type { PartnerSeat } from '../../../shared/protocol/identity';
import { useId, useState } from 'react';
import type { Pack } from '../../../shared/content/packSchema';
import type { RoomView } from '../../../shared/protocol/rooms';
import { EndReason, type ActiveState, type SessionState } from '../../../shared/session/types';
import { useRequest } from '../realtime/useRequest';
import { useSocketEvent } from '../realtime/useSocketEvent';
import { currentMoveLine } from '../sessions/moveWords';

function packIdOf(state: SessionState): string | null {
  const inner = state.phase === 'paused' ? state.resumeTo : state;
  if (inner.phase === 'proposed' || inner.phase === 'active') return inner.packId;
  return inner.phase === 'ended' ? inner.summary.packId : null;
}

const subWords: Record<string, (speaker: string, listener: string) => string> = {
  speak: (s) => `${s} has the floor and is speaking`,
  reflect: (s, l) => `${l} is saying back what they heard from ${s}`,
  check: (s) => `${s} is checking the reflection`,
  validate: (_s, l) => `${l} may say what makes sense to them`,
  empathise: (_s, l) => `${l} may guess how it felt`,
  pass: (s) => `${s} can pass the floor`,
  complete: () => 'This step is complete',
};

function describe(state: SessionState, packs: Pack[], names: Record<PartnerSeat, string>): { title: string; detail: string } {
  const packTitle = (id: string) => packs.find((p) => p.id === id)?.title ?? 'A session';
  const inner = state.phase === 'paused' ? state.resumeTo : state;
  switch (inner.phase) {
    case 'idle':
      return { title: 'No session running', detail: 'Choose a pack to propose one to the couple.' };
    case 'ended':
      return {
        title: `${packTitle(inner.summary.packId)}: finished`,
        detail: `${inner.summary.endedEarly ? `Ended early by ${inner.summary.endedBy === 'counsellor' ? 'you' : inner.summary.endedBy === 'finished' ? 'nobody' : names[inner.summary.endedBy]}${inner.summary.endReason ? `: ${EndReason[inner.summary.endReason].toLowerCase()}` : ''}. ` : ''}${inner.summary.stepsDone} of ${inner.summary.stepCount} steps done together.`,
      };
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

function stepDetail(state: ActiveState, names: Record<PartnerSeat, string>): string {
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

/**
 * The room's guided session at a glance, for the counsellor: which pack and step, who holds the
 * floor, a time-out. The moderation itself (grant the floor, move on, skip, repeat, choose a
 * pack, resume, end) happens in the live session screen below, which shows the counsellor's
 * controls in context and sends them as counsellor commands; nothing is offered twice.
 */
export function ModerationPanel({ room, connected }: { room: RoomView; connected: boolean }) {
  const [state, setState] = useState<SessionState | null>(null);
  const id = useId();
  const names: Record<PartnerSeat, string> = {
    A: room.seats.find((s) => s.seat === 'A')?.displayName ?? 'First partner',
    B: room.seats.find((s) => s.seat === 'B')?.displayName ?? 'Second partner',
  };

  useSocketEvent('session:state', (view) => setState((current) => (current && current.version > view.state.version ? current : view.state)));
  useRequest('session:sync', {}, { enabled: connected, onResult: (res) => setState(res.session.state) });
  const packs = useRequest('session:packs', {}, { enabled: connected })?.packs ?? [];

  const described = state ? describe(state, packs, names) : null;
  // What the counsellor's own last move did, in the words the partners' line mirrors (TM-42).
  const pack = state ? packs.find((p) => p.id === packIdOf(state)) : undefined;
  const moveLine = state ? currentMoveLine(state, 'counsellor', { ...names, counsellor: 'You' }, pack) : null;
  return (
    <section className="card cn-moderation" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>The session at a glance</h2>
      <div className="cn-status" role="status" aria-live="polite">
        {described ? (
          <>
            <p className="cn-status-title">{described.title}</p>
            <p className="muted">{described.detail}</p>
            {moveLine && <p className="cn-last-move">{moveLine}</p>}
            {state?.phase === 'paused' && (
              <p className="cn-paused">
                Paused for a time-out until {new Date(state.pause.until).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}.
                You can resume it for both.
              </p>
            )}
          </>
        ) : (
          <p className="muted">Loading the session…</p>
        )}
      </div>
      <p className="muted small">
        <a href="#talk-title">Guide it from the live session</a>: give the floor, move on, skip or repeat a step, choose a pack,
        resume or end. The partners keep their own time-out and repair phrases.
      </p>
    </section>
  );
}
