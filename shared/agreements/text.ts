import * as Y from 'yjs';

/**
 * Text of a Tiptap-bound fragment: one line per text block (paragraph, heading, list item…),
 * marks dropped, hard breaks as newlines. Inline text only, never the markup around it.
 */
export function plainText(fragment: Y.XmlFragment | Y.XmlElement): string {
  const lines: string[] = [];
  collectBlocks(fragment, lines);
  return lines.join('\n');
}

function collectBlocks(node: Y.XmlFragment | Y.XmlElement, lines: string[]): void {
  const children = node.toArray();
  const isTextBlock =
    node instanceof Y.XmlElement && (children.length === 0 || children.some((c) => c instanceof Y.XmlText));
  if (isTextBlock) {
    lines.push(inlineText(children));
    return;
  }
  for (const child of children) {
    if (child instanceof Y.XmlElement) collectBlocks(child, lines);
    else if (child instanceof Y.XmlText) lines.push(xmlTextString(child));
  }
}

function inlineText(children: ReadonlyArray<Y.XmlElement | Y.XmlText | Y.XmlHook>): string {
  let out = '';
  for (const child of children) {
    if (child instanceof Y.XmlText) out += xmlTextString(child);
    else if (child instanceof Y.XmlElement && child.nodeName === 'hardBreak') out += '\n';
    else if (child instanceof Y.XmlElement) out += inlineText(child.toArray());
  }
  return out;
}

function xmlTextString(text: Y.XmlText): string {
  let out = '';
  for (const op of text.toDelta() as Array<{ insert?: unknown }>) {
    if (typeof op.insert === 'string') out += op.insert;
  }
  return out;
}

/**
 * Replaces the fragment's content by one paragraph per line, the shape Tiptap's StarterKit
 * schema expects, so an editor bound to the fragment shows it as typed.
 * Call inside a transaction when it is part of a larger change.
 */
export function setFragmentText(fragment: Y.XmlFragment, text: string): void {
  const apply = () => {
    if (fragment.length > 0) fragment.delete(0, fragment.length);
    const paragraphs = text.split('\n').map((line) => {
      const paragraph = new Y.XmlElement('paragraph');
      if (line.length > 0) paragraph.insert(0, [new Y.XmlText(line)]);
      return paragraph;
    });
    fragment.insert(0, paragraphs);
  };
  if (fragment.doc) fragment.doc.transact(apply);
  else apply();
}

/**
 * A new fragment holding `text`. Y types can only be filled once they are part of a document,
 * so the paragraphs are built before the fragment is attached.
 */
export function fragmentFromText(text: string): Y.XmlFragment {
  const fragment = new Y.XmlFragment();
  const paragraphs = text.split('\n').map((line) => {
    const paragraph = new Y.XmlElement('paragraph');
    if (line.length > 0) paragraph.insert(0, [new Y.XmlText(line)]);
    return paragraph;
  });
  fragment.insert(0, paragraphs);
  return fragment;
}
