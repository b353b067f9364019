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
    fragment.insert(0, paragraphsOf(text));
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
  fragment.insert(0, paragraphsOf(text));
  return fragment;
}

/**
 * One paragraph per line, each holding its Y.XmlText, an empty one included (see
 * keepTextInEveryBlock for why).
 */
function paragraphsOf(text: string): Y.XmlElement[] {
  return text.split('\n').map((line) => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(line)]);
    return paragraph;
  });
}

/** The text blocks of the editors' schema (StarterKit without code blocks): they hold inline text. */
const TEXT_BLOCKS: ReadonlySet<string> = new Set(['paragraph', 'heading']);

/**
 * Gives every empty text block of the fragment, and every one this device adds to it later, its
 * own empty Y.XmlText at once, so that a block never stays without one; returns the function
 * that stops it. Blocks written before every block had its text (an empty draft's body) are
 * given theirs when an editor opens them: if two devices do so at once, the binding merges the
 * two empty texts when it renders, and with no letters in them nothing moves.
 *
 * y-prosemirror (through @tiptap/y-tiptap) writes a keystroke into the block's Y.XmlText and
 * creates one only when there is none, and it creates none for an empty block (a new line, an
 * empty draft). Two people typing in such a block at once then each create their own, and the
 * binding merges the two when it next renders (its fix for yjs/y-prosemirror#160) by moving one
 * person's letters into the other's text while both go on typing: the letters interleave, some
 * twice, and the two devices can even end with different words. With the Y.XmlText made by
 * whoever made the block, both type into the same one and each person's run stays together.
 */
export function keepTextInEveryBlock(fragment: Y.XmlFragment): () => void {
  const observer = (events: Array<Y.YEvent<Y.XmlElement | Y.XmlFragment>>, transaction: Y.Transaction) => {
    if (!transaction.local) return;
    const empty: Y.XmlElement[] = [];
    for (const event of events) {
      for (const item of event.changes.added) {
        const content = item.content;
        if (content instanceof Y.ContentType && content.type instanceof Y.XmlElement) collectEmptyBlocks(content.type, empty);
      }
    }
    // A change made inside an observer is its own transaction, applied right after this one.
    giveText(fragment, empty);
  };
  const missing: Y.XmlElement[] = [];
  for (const child of fragment.toArray()) if (child instanceof Y.XmlElement) collectEmptyBlocks(child, missing);
  giveText(fragment, missing);
  fragment.observeDeep(observer);
  return () => fragment.unobserveDeep(observer);
}

function giveText(fragment: Y.XmlFragment, blocks: Y.XmlElement[]): void {
  if (blocks.length === 0) return;
  const fill = () => {
    for (const block of blocks) if (block.length === 0 && !block._item?.deleted) block.insert(0, [new Y.XmlText()]);
  };
  if (fragment.doc) fragment.doc.transact(fill, keepTextInEveryBlock);
  else fill();
}

function collectEmptyBlocks(element: Y.XmlElement, into: Y.XmlElement[]): void {
  if (TEXT_BLOCKS.has(element.nodeName)) {
    if (element.length === 0) into.push(element);
    return;
  }
  for (const child of element.toArray()) if (child instanceof Y.XmlElement) collectEmptyBlocks(child, into);
}
