import { lazy, Suspense, useEffect, useRef, useState } from 'react';

// The dialog loads when first opened: most visits never open it, so the room does not carry it.
// Offline before it was ever loaded, the menu item says so instead of taking the room down with it.
// (The import stands alone so that Vite's preloading of its CSS is inside what the catch covers.)
const loadDialog = () => import('./RemindersDialog');
const RemindersDialog = lazy(() =>
  loadDialog().then(
    (m) => ({ default: m.RemindersDialog }),
    () => ({ default: NotLoaded }),
  ),
);

function NotLoaded(_props: { onClose: () => void }) {
  const line = useRef<HTMLParagraphElement>(null);
  // said in the menu, under its item: the menu opens again to show it
  useEffect(() => {
    const menu = line.current?.closest('details');
    if (menu) menu.open = true;
  }, []);
  return (
    <p ref={line} className="small menu-item" role="status">
      Reminders can be set up once this device is online again.
    </p>
  );
}

/** The room menu's "Reminders on this device": its item, and its dialog once asked for. */
export function RemindersMenuItem() {
  const item = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);

  function show() {
    const menu = item.current?.closest('details');
    if (menu) menu.open = false;
    setOpen(true);
  }

  return (
    <>
      <button ref={item} type="button" className="menu-item" onClick={show}>
        Reminders on this device
        <span className="small muted">Gentle reminders between sessions, if you want them.</span>
      </button>
      {open ? (
        <Suspense fallback={null}>
          <RemindersDialog
            onClose={() => {
              setOpen(false);
              item.current?.closest('details')?.querySelector('summary')?.focus();
            }}
          />
        </Suspense>
      ) : null}
    </>
  );
}
