import { lazy, Suspense } from 'react';
import type { RoomSectionProps } from '../room/roomSectionProps';

// The session screens load only when the room is open, keeping the first screen light.
const SessionPanel = lazy(() => import('./SessionPanel'));

/** "Talk": guided sessions in the room. */
export function TalkSection(props: RoomSectionProps) {
  return (
    <section className="card talk" aria-labelledby="talk-title">
      <h2 id="talk-title">Talk</h2>
      <Suspense
        fallback={
          <p className="muted" role="status">
            {props.connected ? 'Opening guided sessions…' : 'Guided sessions need the network. They will be here as soon as you are connected again.'}
          </p>
        }
      >
        <SessionPanel {...props} />
      </Suspense>
    </section>
  );
}
