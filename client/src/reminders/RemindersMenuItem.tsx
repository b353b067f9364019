import { useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { RemindersPanel } from './RemindersPanel';

/**
 * The room menu's "Reminders on this device": its item and its dialog, which lives on the page
 * (a portal) rather than inside the menu, so folding the menu away does not hide it.
 */
export function RemindersMenuItem() {
  const dialog = useRef<HTMLDialogElement>(null);
  const item = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);

  function show() {
    const menu = item.current?.closest('details');
    if (menu) menu.open = false;
    setOpen(true);
    // the dialog is in the page once React has rendered it
    requestAnimationFrame(() => dialog.current?.showModal());
  }

  return (
    <>
      <button ref={item} type="button" className="menu-item" onClick={show}>
        Reminders on this device
        <span className="small muted">Gentle reminders between sessions, if you want them.</span>
      </button>
      {createPortal(
        <dialog
          ref={dialog}
          className="dialog reminders-dialog"
          aria-labelledby="reminders-title"
          onClose={() => {
            setOpen(false);
            item.current?.closest('details')?.querySelector('summary')?.focus();
          }}
        >
          <h2 id="reminders-title">Reminders on this device</h2>
          {open ? <RemindersPanel headingId="reminders-title" /> : null}
          <div className="actions">
            <button type="button" className="button secondary small" onClick={() => dialog.current?.close()}>
              Close
            </button>
          </div>
        </dialog>,
        document.body,
      )}
    </>
  );
}
