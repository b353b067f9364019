import type { AnyExtension } from '@tiptap/core';
import { Blockquote } from '@tiptap/extension-blockquote';
import { Bold } from '@tiptap/extension-bold';
import { Document } from '@tiptap/extension-document';
import { HardBreak } from '@tiptap/extension-hard-break';
import { Heading } from '@tiptap/extension-heading';
import { Italic } from '@tiptap/extension-italic';
import { BulletList, ListItem, ListKeymap, OrderedList } from '@tiptap/extension-list';
import { Paragraph } from '@tiptap/extension-paragraph';
import { Text } from '@tiptap/extension-text';
import { Dropcursor, Gapcursor, TrailingNode } from '@tiptap/extensions';

/**
 * What an agreement's text can hold: paragraphs, bold and italic, and in a body also small
 * headings, lists and quotes. Named one by one rather than through StarterKit, which also
 * bundles links (with linkifyjs), code, strike and underline that an agreement never uses and
 * that would weigh on the agreements screen's budget (scripts/bundleBudget.mjs).
 */
export function agreementTextExtensions({ singleLine }: { singleLine: boolean }): AnyExtension[] {
  const inline = [Document, Paragraph, Text, Bold, Italic, HardBreak, Dropcursor, Gapcursor];
  if (singleLine) return inline;
  return [
    ...inline,
    Heading.configure({ levels: [3] }),
    Blockquote,
    BulletList,
    OrderedList,
    ListItem,
    ListKeymap,
    TrailingNode,
  ];
}
