import { digest } from 'lib0/hash/sha256';
import type { AgreementCategory } from './categories';

export interface HashedContent {
  title: string;
  body: string;
  category: AgreementCategory;
}

/**
 * The fingerprint an acceptance records. SHA-256 from lib0: synchronous in the browser (a pure
 * implementation) and in Node (node:crypto), and the same bytes in both.
 * Whitespace is normalised first, so an empty trailing paragraph or a double space does not
 * ask a couple to agree again; any change of words or category does. Marks (bold, italics)
 * are not part of the text and never count.
 */
export function contentHash(content: HashedContent): string {
  const canonical = JSON.stringify(['agreement/v1', normalise(content.title), normalise(content.body), content.category]);
  return toHex(digest(new TextEncoder().encode(canonical)));
}

function normalise(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line.length > 0)
    .join('\n');
}

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}
