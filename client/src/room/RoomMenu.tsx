import { useEffect, useRef, useState } from 'react';
import type { CodeOffer, InviteOffer, RoomView, SeatId } from '../../../shared/protocol/rooms';
import { forgetRoomOnDevice } from '../device/forgetRoom';
import { seatStore } from '../device/seatStore';
import { useAction } from '../realtime/useAction';
import { Link, useRouter } from '../router';
import { FormError } from '../ui/FormError';
import { RemindersMenuItem } from '../reminders/RemindersMenuItem';
import { MoveSeatPanel } from './MoveSeatPanel';

/**
 * Quiet, always-there actions: leave, move your own seat to a new phone, move the partner's
 * (in a couple's own room only: with a counsellor, the counsellor moves seats), delete everything.
 */
export function RoomMenu({ room, you }: { room: RoomView; you: SeatId }) {
  const { navigate } = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const menu = useRef<HTMLDetailsElement>(null);
  const [confirming, setConfirming] = useState<null | 'delete' | SeatId>(null);
  const [moveOffer, setMoveOffer] = useState<{ invite: InviteOffer; code: CodeOffer } | null>(null);
  const action = useAction();
  // "Make a link and a code" goes once the link is made: the focus moves to the dialog's title, not to the page
  const moveTitle = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (moveOffer) moveTitle.current?.focus();
  }, [moveOffer]);
  // Deleting cannot be undone: the dialog opens on the harmless choice, so Enter does not delete
  const cancelButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming === 'delete') cancelButton.current?.focus();
  }, [confirming]);
  const others = room.mode === 'couple' ? room.seats.filter((s) => s.seat !== you && s.seat !== 'counsellor' && s.claimed) : [];
  const yourName = room.seats.find((s) => s.seat === you)?.displayName ?? 'you';

  function open(what: 'delete' | SeatId) {
    setMoveOffer(null);
    setSaved(null);
    action.reset();
    setConfirming(what);
    // The menu folds away, so it does not cover the room (and a new invite) once the dialog closes.
    if (menu.current) menu.current.open = false;
    dialog.current?.showModal();
  }

  async function leave() {
    // leaving is only polite: the room page goes whatever the server answers
    await action.request('room:leave', {});
    navigate('/');
  }

  // The agreements as this device has them, with the server's record if it answers: deleting stays one step away.
  const saving = useAction();
  const [saved, setSaved] = useState<string | null>(null);
  async function downloadFirst() {
    const records = await saving.request('agreements:records', {});
    // without an answer (offline), the copy of the records kept on this device is used
    saving.reset();
    setSaved(
      await saving.run(async () => {
        const { downloadRoomAgreements } = await import('../agreements/downloadAgreements');
        return downloadRoomAgreements(room, records?.records ?? null);
      }),
    );
  }

  async function confirm() {
    if (confirming === 'delete') {
      if (!(await action.request('room:delete', { confirmRoomId: room.roomId }))) return;
      // The room page then says, calmly, that you deleted it (useRoomConnection hears the room forgotten).
      await forgetRoomOnDevice(room.roomId, 'deleted', { you: true });
      dialog.current?.close();
    } else if (confirming === you) {
      // Your own seat: this device stays in and shows the way in for the new phone.
      setMoveOffer(await action.request('room:reinvite', { seat: you }));
    } else if (confirming) {
      const res = await action.request('room:reinvite', { seat: confirming });
      if (!res) return;
      seatStore.update(room.roomId, { invite: res.invite });
      dialog.current?.close();
      setConfirming(null);
    }
  }

  const otherName = (seat: SeatId) => room.seats.find((s) => s.seat === seat)?.displayName ?? 'your partner';
  return (
    <>
      <details ref={menu} className="room-menu">
        <summary className="button secondary small">Room</summary>
        <div className="room-menu-items">
          <button type="button" className="menu-item" onClick={leave}>
            Leave for now
            <span className="small muted">You can come back on this device at any time.</span>
          </button>
          {you !== 'counsellor' && (
            <button type="button" className="menu-item" onClick={() => open(you)}>
              Move to a new phone
              <span className="small muted">Get a link and a code for your seat; this device is signed out once the new one is in.</span>
            </button>
          )}
          {others.map((s) => (
            <button key={s.seat} type="button" className="menu-item" onClick={() => open(s.seat)}>
              {s.displayName ? `Move ${s.displayName}’s seat to a new phone` : 'Move your partner’s seat to a new phone'}
              <span className="small muted">Make a new invite; the old device is signed out.</span>
            </button>
          ))}
          {you !== 'counsellor' && <RemindersMenuItem />}
          <Link to={`/help?from=${room.roomId}`} className="menu-item">
            Getting help
          </Link>
          <button type="button" className="menu-item danger" onClick={() => open('delete')}>
            Delete this room
            <span className="small muted">Removes everything in it, for both of you.</span>
          </button>
        </div>
      </details>
      <dialog
        ref={dialog}
        className="dialog"
        aria-labelledby="confirm-title"
        onClose={() => {
          setConfirming(null);
          // the item that opened the dialog is folded away with the menu: the focus goes back to the menu's button
          menu.current?.querySelector('summary')?.focus();
        }}
      >
        {confirming === 'delete' ? (
          <>
            <h2 id="confirm-title">Delete this room for good?</h2>
            <p>
              This removes everything in it for both of you — your agreements, notes and sessions — at once, and it cannot be
              brought back.
              {others.length > 0 ? ` ${others.map((s) => s.displayName ?? 'Your partner').join(' and ')} will be told you deleted it.` : ''}
            </p>
            <p className="small">Want to keep what you agreed? Download a copy before you delete.</p>
            <div className="actions">
              <button type="button" className="button secondary small" disabled={saving.busy} onClick={() => void downloadFirst()}>
                Download our agreements first
              </button>
            </div>
            <p className="small muted download-status" role="status">
              {saved && (
                <>
                  Downloaded: <span className="file-name">{saved}</span>
                </>
              )}
            </p>
            <FormError message={saving.error?.message} />
          </>
        ) : confirming === you ? (
          <>
            <h2 id="confirm-title" ref={moveTitle} tabIndex={-1}>
              Move your seat to a new phone
            </h2>
            {moveOffer ? (
              <MoveSeatPanel offer={moveOffer} name={yourName} />
            ) : (
              <p>
                You get a link and a code for your own seat. Your name stays {yourName}. This device stays in until your new
                phone uses one of them{room.seats.some((s) => s.seat !== you && s.claimed) ? ', and everyone in the room is told' : ''}.
              </p>
            )}
          </>
        ) : confirming ? (
          <>
            <h2 id="confirm-title">Move {otherName(confirming)}’s seat to a new phone?</h2>
            <p>
              The device {otherName(confirming)} uses now will be signed out at once. You will get a new link and code to
              send.
            </p>
          </>
        ) : null}
        <FormError message={action.error?.message} />
        <div className="actions">
          {!moveOffer && (
            <button type="button" className={confirming === 'delete' ? 'button danger' : 'button'} onClick={confirm}>
              {confirming === 'delete' ? 'Delete everything' : confirming === you ? 'Make a link and a code' : 'Make a new invite'}
            </button>
          )}
          <button type="button" ref={cancelButton} className="button secondary" onClick={() => dialog.current?.close()}>
            {moveOffer ? 'Close' : 'Cancel'}
          </button>
        </div>
      </dialog>
    </>
  );
}
