import { useEffect, useState } from 'react';
import { networkAddressSchema } from '../../../shared/protocol/address';

/** The invite link a partner opens; the token rides in the fragment, out of server logs. */
export function inviteUrl(token: string, origin: string = window.location.origin): string {
  return `${origin}/invite#${token}`;
}

/** Where invite links point, and whether only this computer can open that address. */
export interface InviteOrigin {
  origin: string;
  thisDeviceOnly: boolean;
}

/** Shown beside a link that only this computer can open. */
export const THIS_DEVICE_ONLY_NOTE =
  'This link opens only on this computer: no network address of it is known. To bring in a phone, connect this computer to your home network and start Common Ground again, or set PUBLIC_URL (see the README).';

const isLoopback = (hostname: string) => hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d+){3}$/.test(hostname);

let settled: InviteOrigin | null = null;
let asking: Promise<InviteOrigin> | null = null;

/**
 * PUBLIC_URL when the server has one; else a page opened as localhost, which no other device
 * can open, links to the machine's LAN address; else the page's own address, the one this
 * device reached (a LAN address, or a proxy's name).
 */
function askInviteOrigin(): Promise<InviteOrigin> {
  const own = window.location.origin;
  asking ??= fetch('/api/address')
    .then((res) => res.json())
    .then((body: unknown) => {
      const address = networkAddressSchema.parse(body);
      const origin = address.publicUrl ?? (isLoopback(window.location.hostname) ? address.networkUrl : null) ?? own;
      settled = { origin, thisDeviceOnly: isLoopback(new URL(origin).hostname) };
      return settled;
    })
    .catch(() => {
      // Offline or an older server: the page's own address, and the next panel asks again.
      asking = null;
      return { origin: own, thisDeviceOnly: isLoopback(window.location.hostname) };
    });
  return asking;
}

/** The invite link of a token at an address the other device can open; null until that is known. */
export function useInviteLink(token: string | null): { link: string | null; host: string; thisDeviceOnly: boolean } {
  const [origin, setOrigin] = useState<InviteOrigin | null>(settled);
  useEffect(() => {
    if (origin) return;
    let cancelled = false;
    void askInviteOrigin().then((known) => {
      if (!cancelled) setOrigin(known);
    });
    return () => {
      cancelled = true;
    };
  }, [origin]);
  return {
    link: token && origin ? inviteUrl(token, origin.origin) : null,
    // where the six-digit code is typed: the same address as the link
    host: origin ? new URL(origin.origin).host : window.location.host,
    thisDeviceOnly: origin?.thisDeviceOnly ?? false,
  };
}

/** The QR code of a text as SVG markup; the QR library loads only when a code is shown. */
export function useQrSvg(text: string | null): string | null {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    if (!text) return;
    let cancelled = false;
    void import('qrcode').then((qr) =>
      qr.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M', color: { dark: '#1d2b29', light: '#ffffff' } }).then((s) => {
        if (!cancelled) setSvg(s);
      }),
    );
    return () => {
      cancelled = true;
    };
  }, [text]);
  return svg;
}

/** Copies a link to the clipboard; `copied` is true for a moment after, for the button's words. */
export function useCopyLink(link: string | null, onError: (message: string) => void): { copied: boolean; copy: () => Promise<void> } {
  const [copied, setCopied] = useState(false);
  async function copy() {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
      setTimeout(() => setCopied(false), 2500);
    } catch {
      onError('Copying did not work here. Select the link and copy it by hand.');
    }
  }
  return { copied, copy };
}
