import { lazy, Suspense } from 'react';
import type { RoomView, SeatId } from '../../../shared/protocol/rooms';

// The editor, Yjs and the agreements model load only when a room is open, so the first
// screen stays small.
const AgreementsPanel = lazy(() => import('./AgreementsPanel'));

export function AgreementsSection(props: { room: RoomView; you: SeatId; connected: boolean }) {
  return (
    <Suspense
      fallback={
        <section className="card" aria-labelledby="agreements-loading-title">
          <h2 id="agreements-loading-title">Our agreements</h2>
          <p className="muted" role="status">
            Opening your agreements…
          </p>
        </section>
      }
    >
      <AgreementsPanel {...props} />
    </Suspense>
  );
}
