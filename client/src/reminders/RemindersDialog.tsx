import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import { RemindersPanel } from './RemindersPanel';

/**
 * The dialog of "Reminders on this device", on the page (a portal) rather than inside the room
 * menu, so folding the menu away does not hide it. Open from its first render.
 */
export function RemindersDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (!dialog.current?.open) dialog.current?.showModal();
  }, []);

  return createPortal(
    <dialog ref={dialog} className="dialog reminders-dialog" aria-labelledby="reminders-title" onClose={onClose}>
      <h2 id="reminders-title">Reminders on this device</h2>
      <RemindersPanel headingId="reminders-title" />
      <div className="actions">
        <button type="button" className="button secondary small" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </div>
    </dialog>,
    document.body,
  );
}
