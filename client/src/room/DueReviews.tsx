import { useState } from 'react';
import type { DueReview } from '../../../shared/agreements/reviews';
import { useRequest } from '../realtime/useRequest';

/**
 * "Time to look again at: Phones and passwords": on the room's first screen, the agreements
 * whose review day has come by the server's clock (asked for on every join, with the records).
 * A check-in's step that looks at them again (a pack's `showsDueReviews`) lists them too.
 * Nothing shows while none is due.
 */
export function DueReviews({ connected, onOpen }: { connected: boolean; onOpen?: () => void }) {
  const [due, setDue] = useState<DueReview[]>([]);
  useRequest('agreements:records', {}, { enabled: connected, onResult: (res) => setDue(res.due) });
  if (due.length === 0) return null;
  return (
    <div className="due-reviews" role="note">
      <p>
        <strong>Time to look again at:</strong> {due.map((d) => d.title).join(', ')}
      </p>
      {onOpen && (
        <button
          type="button"
          className="button secondary small"
          onClick={() => {
            onOpen();
            // on a wide screen both parts already show: the agreements come into view instead
            requestAnimationFrame(() => document.getElementById('agreements-title')?.scrollIntoView({ block: 'start' }));
          }}
        >
          Open our agreements
        </button>
      )}
    </div>
  );
}
