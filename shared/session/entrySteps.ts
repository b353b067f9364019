import { ErrorCode } from '../protocol/errors';
import type { PartnerSeat } from '../protocol/identity';
import { done, isRefusal, refuse, requireActive, withStep, type Outcome } from './outcomes';
import { otherSeat, type By, type SessionEvent, type SessionState, type StepState } from './types';

/** Open, appreciation and agreement steps: entries in turn, proposals, readiness (TM-18 to TM-21). */

export function addEntry(state: SessionState, seat: PartnerSeat, id: string, text: string): Outcome {
  const active = requireActive(state);
  if (isRefusal(active)) return active;
  const step = active.step;
  if (step.kind !== 'open' && step.kind !== 'appreciation') return refuse(ErrorCode.WRONG_PHASE, 'TM-18');
  if (step.turn !== seat) return refuse(ErrorCode.NOT_YOUR_TURN, 'TM-19');
  if (step.entries.some((e) => e.id === id)) return refuse(ErrorCode.ALREADY_ADDED, 'TM-21');
  const entry = { id, text, by: seat };
  return done(
    withStep(active, { ...step, entries: [...step.entries, entry], turn: otherSeat(seat), ready: { A: false, B: false } }),
    { type: 'entryAdded', entry, stepId: active.stepId },
  );
}

export function ready(state: SessionState, seat: PartnerSeat): Outcome {
  const active = requireActive(state);
  if (isRefusal(active)) return active;
  const step = active.step;
  if (step.kind !== 'open' && step.kind !== 'appreciation' && step.kind !== 'agreement') {
    return refuse(ErrorCode.WRONG_PHASE, 'TM-18');
  }
  if (step.ready[seat]) return refuse(ErrorCode.WRONG_PHASE, step.kind === 'agreement' ? 'TM-20' : 'TM-19');
  const readyFlags = { ...step.ready, [seat]: true };
  const nextStep: StepState =
    step.kind === 'agreement'
      ? { ...step, ready: readyFlags }
      : { ...step, ready: readyFlags, turn: step.turn === seat ? otherSeat(seat) : step.turn };
  const events: SessionEvent[] = [{ type: 'partnerReady', seat }];
  if (readyFlags.A && readyFlags.B) events.push({ type: 'stepCompleted', stepIndex: active.stepIndex });
  return done(withStep(active, nextStep), ...events);
}

export function proposeAgreement(state: SessionState, by: By, id: string, text: string): Outcome {
  const active = requireActive(state);
  if (isRefusal(active)) return active;
  const step = active.step;
  if (step.kind !== 'agreement') return refuse(ErrorCode.WRONG_PHASE, 'TM-18');
  if (active.record.proposals.some((p) => p.id === id)) return refuse(ErrorCode.ALREADY_ADDED, 'TM-21');
  const proposal = { id, text, by, stepId: active.stepId };
  return done(
    withStep(
      active,
      { ...step, ready: { A: false, B: false } },
      { record: { ...active.record, proposals: [...active.record.proposals, proposal] } },
    ),
    { type: 'agreementProposed', proposal },
  );
}
