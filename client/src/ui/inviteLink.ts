import { useEffect, useState } from 'react';

/** The invite link a partner opens; the token rides in the fragment, out of server logs. */
export function inviteUrl(token: string): string {
  return `${window.location.origin}/invite#${token}`;
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
