import { useState } from 'react';
import type { CodeOffer, InviteOffer } from '../../../shared/protocol/rooms';
import { THIS_DEVICE_ONLY_NOTE, useCopyLink, useInviteLink, useQrSvg } from '../ui/inviteLink';

/**
 * "Move to a new phone", from the seat's own device: a link, its QR code and a code for the
 * same seat. This device stays in until the new one uses one of them; then it is signed out.
 */
export function MoveSeatPanel({ offer, name }: { offer: { invite: InviteOffer; code: CodeOffer }; name: string }) {
  const [error, setError] = useState<string | null>(null);
  const { link, host, thisDeviceOnly } = useInviteLink(offer.invite.token);
  const { copied, copy } = useCopyLink(link, setError);
  const qr = useQrSvg(link);
  return (
    <div className="stack move-seat">
      <p>
        Open this link or scan the code on your new phone, or type the six digits at {host}/join. You will be in as{' '}
        <strong>{name}</strong>, and this device will be signed out.
      </p>
      {qr ? (
        <div className="qr" role="img" aria-label="QR code of the link for your new phone" dangerouslySetInnerHTML={{ __html: qr }} />
      ) : (
        <p className="muted small">Drawing the QR code…</p>
      )}
      {/* the link's address is asked of the server first (ui/inviteLink.ts): no empty box to copy meanwhile */}
      {link && <input className="link-box" readOnly value={link} aria-label="Link for your new phone" onFocus={(e) => e.currentTarget.select()} />}
      {thisDeviceOnly && <p className="muted small">{THIS_DEVICE_ONLY_NOTE}</p>}
      <button type="button" className="button secondary" onClick={() => void copy()}>
        {copied ? 'Copied' : 'Copy link'}
      </button>
      <p className="pairing-code" aria-label={`Code for your new phone ${offer.code.code.split('').join(' ')}`}>
        {offer.code.code.slice(0, 3)}
        <span aria-hidden="true"> </span>
        {offer.code.code.slice(3)}
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
