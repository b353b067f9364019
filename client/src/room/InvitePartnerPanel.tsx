import { useEffect, useRef, useState } from 'react';
import type { CodeOffer, InviteOffer, PartnerSeat, RoomView } from '../../../shared/protocol/rooms';
import { seatStore } from '../device/seatStore';
import { useAction } from '../realtime/useAction';
import { FormError } from '../ui/FormError';
import { THIS_DEVICE_ONLY_NOTE, useCopyLink, useInviteLink, useQrSvg } from '../ui/inviteLink';

function minutesLeft(expiresAt: number, now: number): number {
  return Math.max(0, Math.ceil((expiresAt - now) / 60_000));
}

/** Three ways to bring the partner in: a link to send, a QR code to scan, six digits to type. */
export function InvitePartnerPanel({ room, roomId, seat }: { room: RoomView; roomId: string; seat: PartnerSeat }) {
  const stored = () => {
    const offer = seatStore.get(roomId)?.invite;
    return offer && offer.seat === seat && offer.expiresAt > Date.now() ? offer : null;
  };
  const [invite, setInvite] = useState<InviteOffer | null>(stored);
  // "Move Alex’s seat to a new phone" (RoomMenu) stores the new invite once the server answers, and the
  // room's state that opens this panel can come first: the panel then shows the used link
  // until the new one is stored, and takes it then.
  useEffect(() => {
    const take = () => setInvite((shown) => stored() ?? shown);
    take(); // it may have been stored between this panel's first drawing and now
    return seatStore.subscribe(take);
  }, [roomId, seat]);
  const [now, setNow] = useState(Date.now());
  const [copyError, setCopyError] = useState<string | null>(null);
  const action = useAction();
  const code: CodeOffer | undefined = room.codes.find((c) => c.seat === seat);
  const { link, host, thisDeviceOnly } = useInviteLink(invite?.token ?? null);
  const { copied, copy } = useCopyLink(link, setCopyError);
  const qr = useQrSvg(link);
  // "Make an invite link" goes away once the link is there: the focus comes to "Copy link".
  const copyButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (link && (!document.activeElement || document.activeElement === document.body)) copyButton.current?.focus();
  }, [link]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  async function newInvite() {
    const res = await action.request('room:reinvite', { seat });
    if (!res) return;
    seatStore.update(roomId, { invite: res.invite });
    setInvite(res.invite);
  }

  const canShare = typeof navigator.share === 'function';
  return (
    <section className="card invite-panel" aria-labelledby="invite-title">
      <h2 id="invite-title">Bring your partner in</h2>
      <p className="muted">Any one of these works once. When your partner arrives, this panel goes away.</p>
      <div className="invite-ways">
        <div className="invite-way">
          <h3>Send a link</h3>
          {link ? (
            <>
              <input className="link-box" readOnly value={link} aria-label="Invite link" onFocus={(e) => e.currentTarget.select()} />
              <div className="actions">
                <button ref={copyButton} type="button" className="button" onClick={copy}>
                  {copied ? 'Copied' : 'Copy link'}
                </button>
                {canShare && (
                  <button type="button" className="button secondary" onClick={() => void navigator.share({ title: 'Our room on Common Ground', url: link })}>
                    Share…
                  </button>
                )}
              </div>
              {thisDeviceOnly && <p className="muted small">{THIS_DEVICE_ONLY_NOTE}</p>}
            </>
          ) : invite ? null : (
            <button type="button" className="button secondary" onClick={newInvite}>
              Make an invite link
            </button>
          )}
        </div>
        <div className="invite-way">
          <h3>Scan with the phone next to you</h3>
          {qr ? (
            <div className="qr" role="img" aria-label="QR code of the invite link" dangerouslySetInnerHTML={{ __html: qr }} />
          ) : (
            <p className="muted small">{link ? 'Drawing the QR code…' : 'Make an invite link to get a QR code.'}</p>
          )}
        </div>
        <div className="invite-way">
          <h3>Or type this code</h3>
          {code && code.expiresAt > now ? (
            <>
              <p className="pairing-code" aria-label={`Pairing code ${code.code.split('').join(' ')}`}>
                {code.code.slice(0, 3)}
                <span aria-hidden="true"> </span>
                {code.code.slice(3)}
              </p>
              <p className="muted small">
                At {host}/join · valid for {minutesLeft(code.expiresAt, now)} more minute
                {minutesLeft(code.expiresAt, now) === 1 ? '' : 's'}
              </p>
            </>
          ) : (
            <p className="muted small">The code has run out.</p>
          )}
          <button type="button" className="button secondary" onClick={() => void action.request('room:newCode', { seat })}>
            New code
          </button>
        </div>
      </div>
      <FormError message={action.error?.message ?? copyError} />
    </section>
  );
}
