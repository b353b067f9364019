import { lazy, Suspense, useEffect, useState } from 'react';
import type { Pack } from '../../../shared/content/packSchema';
import { describeFloor } from '../../../shared/session/floorView';
import type { Command, SessionState } from '../../../shared/session/types';
import { useAction } from '../realtime/useAction';
import type { RoomSectionProps } from '../room/roomSectionProps';
import { FormError } from '../ui/FormError';
import { BreakScreen } from './BreakScreen';
import { HowTurnsWork } from './HowTurnsWork';
import { LiveSession } from './LiveSession';
import { PackLibrary } from './PackLibrary';
import { ProposalCard } from './ProposalCard';
import { RepairBar, RepairCards } from './RepairBar';
import { SessionSummary } from './SessionSummary';
import { TimeOutButton } from './TimeOutButton';
import { useSession } from './useSession';
import { namesOf } from './words';
import './sessions.css';

// Voice (issue 22) loads only in a speak-aloud session: no WebRTC code on the first screens.
const VoiceBar = lazy(() => import('../voice/VoiceBar'));

/** The mode of a running or paused session: voice is offered only when it is spoken aloud. */
function aloud(state: SessionState): boolean {
  if (state.phase === 'active') return state.mode === 'aloud';
  return state.phase === 'paused' && state.resumeTo.phase === 'active' && state.resumeTo.mode === 'aloud';
}

function packIdOf(state: SessionState): string | null {
  switch (state.phase) {
    case 'proposed':
    case 'active':
      return state.packId;
    case 'paused':
      return state.resumeTo.packId;
    case 'ended':
      return state.summary.packId;
    case 'idle':
      return null;
  }
}

/** The guided-session screens, one per phase; the time-out button stays on every one of them. */
export default function SessionPanel({ room, you, connected, onSessionLive, onBreak, timeOutSlot, onOpenAgreements }: RoomSectionProps) {
  const session = useSession(connected);
  const command = useAction();
  const [browsing, setBrowsing] = useState(false);
  const names = namesOf(room, you);
  const counsellor = room.mode === 'moderated' ? (room.seats.find((s) => s.seat === 'counsellor')?.displayName ?? 'Your counsellor') : null;
  const { state, packs } = session;
  const phase = state?.phase;
  // The room's tabs show when something is waiting here (a proposal, a running session).
  useEffect(() => {
    onSessionLive?.(phase === 'proposed' || phase === 'active' || phase === 'paused');
  }, [phase, onSessionLive]);
  useEffect(() => {
    onBreak?.(phase === 'paused');
  }, [phase, onBreak]);

  if (!state || !packs) {
    return (
      <p className="muted" role="status">
        {connected
          ? 'Getting your guided sessions ready…'
          : 'Guided sessions need the network. They will be here as soon as you are connected again.'}
      </p>
    );
  }

  const packId = packIdOf(state);
  const pack: Pack | undefined = packId ? packs.find((p) => p.id === packId) : undefined;
  const floor = describeFloor(state, you, pack);
  const act = async (turn: Command) => (await command.request('session:command', turn)) !== null;
  const common = { state, you, names, floor, act, busy: command.busy, offset: session.offset };
  // Repair words belong to a conversation under way: not to a time-out, nor to a proposal waiting.
  const conversing = state.phase === 'active';

  return (
    <div className="sessions">
      {conversing && <RepairCards cards={session.cards} names={names} you={you} onDismiss={session.dismissCard} />}
      {/* Mounted above both the live session and its break screen, so a time-out mutes the call rather than ending it. */}
      {aloud(state) && (
        <Suspense fallback={null}>
          <VoiceBar you={you} state={state} names={names} counsellor={counsellor} />
        </Suspense>
      )}
      {state.phase === 'idle' && <PackLibrary packs={packs} {...common} />}
      {state.phase === 'proposed' && <ProposalCard proposal={state} pack={pack} {...common} />}
      {state.phase === 'active' && pack && <LiveSession active={state} pack={pack} transcript={session.transcript} counsellor={counsellor} {...common} />}
      {state.phase === 'paused' && <BreakScreen paused={state} counsellor={counsellor} {...common} />}
      {state.phase === 'ended' &&
        (browsing ? (
          <PackLibrary packs={packs} {...common} onBack={() => setBrowsing(false)} />
        ) : (
          <SessionSummary
            summary={state.summary}
            pack={pack}
            transcript={session.transcript}
            added={session.addedProposals}
            onAdded={session.markAdded}
            onAnother={() => setBrowsing(true)}
            counsellor={counsellor}
            {...(onOpenAgreements ? { onOpenAgreements } : {})}
            {...common}
          />
        ))}
      <FormError className="session-error" message={command.error?.message} />
      {/* The library shows its own; a break screen keeps to the break. */}
      {(state.phase === 'proposed' || state.phase === 'active' || (state.phase === 'ended' && !browsing)) && <HowTurnsWork counsellor={you === 'counsellor'} />}
      {conversing && floor.allowed.includes('repair') && <RepairBar act={act} busy={command.busy} />}
      {/* During a break its own screen offers the way back and a longer break, to the caller only. */}
      {floor.allowed.includes('pause') && state.phase !== 'paused' && <TimeOutButton act={act} busy={command.busy} slot={timeOutSlot ?? null} />}
    </div>
  );
}
