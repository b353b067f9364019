import { useState } from 'react';
import type { CodeOffer, InviteOffer, PartnerSeat } from '../../../shared/protocol/rooms';
import { useAction } from '../realtime/useAction';
import { FormError } from '../ui/FormError';
import { THIS_DEVICE_ONLY_NOTE, useCopyLink, useInviteLink, useQrSvg } from '../ui/inviteLink';
import { counsellorStore } from './counsellorStore';


function SeatInvite({
  roomId,
  seat,
  invite,
  code,
  canRenew,
}: {
  roomId: string;
  seat: PartnerSeat;
  invite: InviteOffer | null;
  code: CodeOffer | null;
  canRenew: boolean;
}) {
  const [own, setOwn] = useState<{ invite: InviteOffer; code: CodeOffer } | null>(null);
  const renewing = useAction();
  const [copyError, setCopyError] = useState<string | null>(null);
  const shownInvite = own?.invite ?? (invite && invite.expiresAt > Date.now() ? invite : null);
  const shownCode = own?.code ?? (code && code.expiresAt > Date.now() ? code : null);
  const { link, thisDeviceOnly } = useInviteLink(shownInvite?.token ?? null);
  const { copied, copy } = useCopyLink(link, setCopyError);
  const qr = useQrSvg(link);
  const label = seat === 'A' ? 'First partner' : 'Second partner';

  async function renew() {
    const res = await renewing.request('room:reinvite', { seat });
    if (!res) return;
    setOwn(res);
    const stored = counsellorStore.get()?.invites[roomId];
    const others = (stored?.invites ?? []).filter((i) => i.seat !== seat);
    const otherCodes = (stored?.codes ?? []).filter((c) => c.seat !== seat);
    counsellorStore.rememberInvites(roomId, [...others, res.invite], [...otherCodes, res.code]);
  }

  return (
    <div className="invite-way cn-seat-invite">
      <h3>{label}</h3>
      {link ? (
        <>
          <input className="link-box" readOnly value={link} aria-label={`Invite link for the ${label.toLowerCase()}`} onFocus={(e) => e.currentTarget.select()} />
          <div className="cn-invite-row">
            {qr && <div className="qr cn-qr" role="img" aria-label={`QR code for the ${label.toLowerCase()}`} dangerouslySetInnerHTML={{ __html: qr }} />}
            <div>
              {shownCode && (
                <p className="cn-code">
                  <span className="muted small">Code </span>
                  <strong aria-label={`Pairing code ${shownCode.code.split('').join(' ')}`}>
                    {shownCode.code.slice(0, 3)} {shownCode.code.slice(3)}
                  </strong>
                </p>
              )}
              <button type="button" className="button small" onClick={copy}>
                {copied ? 'Copied' : 'Copy link'}
              </button>
            </div>
          </div>
          {thisDeviceOnly && <p className="muted small">{THIS_DEVICE_ONLY_NOTE}</p>}
        </>
      ) : (
        <p className="muted small">The link made for this seat is not on this device, or has run out.</p>
      )}
      {canRenew && (
        <button type="button" className="button secondary small" onClick={renew}>
          Make a new link and code
        </button>
      )}
      <FormError message={copyError ?? renewing.error?.message} />
    </div>
  );
}

/**
 * Invites for the partners of a moderated room: a link, a QR code and a six-digit code each.
 * `canRenew` only where the counsellor's socket holds the room's counsellor seat.
 */
export function CoupleInvites({
  roomId,
  seats,
  invites,
  codes,
  canRenew,
}: {
  roomId: string;
  seats: PartnerSeat[];
  invites: InviteOffer[];
  codes: CodeOffer[];
  canRenew: boolean;
}) {
  if (seats.length === 0) return null;
  return (
    <div className="cn-invites">
      <p className="muted small">
        Send each partner their own link (or show the QR code, or read out the code). Before they come in, each is told that you
        are in the room and what you can see.
      </p>
      <div className="cn-invite-grid">
        {seats.map((seat) => (
          <SeatInvite
            key={seat}
            roomId={roomId}
            seat={seat}
            invite={invites.find((i) => i.seat === seat) ?? null}
            code={codes.find((c) => c.seat === seat) ?? null}
            canRenew={canRenew}
          />
        ))}
      </div>
    </div>
  );
}
