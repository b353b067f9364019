import type { Awareness } from 'y-protocols/awareness';

/** How long the other person's name stays by their caret after it appears or moves. */
export const CARET_LABEL_MS = 2500;

const timers = new WeakMap<HTMLElement, ReturnType<typeof setTimeout>>();

/** Shows a caret's name, and lets it go quiet again after a moment. */
function wake(label: HTMLElement): void {
  label.classList.remove('is-quiet');
  clearTimeout(timers.get(label));
  timers.set(label, setTimeout(() => label.classList.add('is-quiet'), CARET_LABEL_MS));
}

/**
 * The other person's caret, in their colour, with their name above it only for a moment: the
 * name sits over the line above, so left there it would hide words someone may be reading.
 * (The classes are Tiptap's own, kept so tests and print styles find the caret.)
 */
export function renderCaret(user: { name?: string | null; color?: string | null }): HTMLElement {
  const caret = document.createElement('span');
  caret.classList.add('collaboration-carets__caret');
  if (user.color) caret.style.borderColor = user.color;
  const label = document.createElement('div');
  label.classList.add('collaboration-carets__label');
  if (user.color) label.style.backgroundColor = user.color;
  label.append(document.createTextNode(user.name ?? ''));
  caret.append(label);
  wake(label);
  return caret;
}

/**
 * The name shows again whenever its person moves or types: ProseMirror keeps a caret's element
 * while it moves, so the moment comes from the awareness (someone else's change only, by name;
 * one's own typing never brings the other's name back over one's words).
 */
export function wakeCaretLabelsOnMoves(awareness: Awareness, within: () => HTMLElement | null): () => void {
  const onChange = ({ added, updated }: { added: number[]; updated: number[] }) => {
    const names = new Set<string>();
    for (const id of [...added, ...updated]) {
      if (id === awareness.clientID) continue;
      const name = (awareness.getStates().get(id)?.user as { name?: unknown } | undefined)?.name;
      if (typeof name === 'string') names.add(name);
    }
    if (names.size === 0) return;
    for (const label of within()?.querySelectorAll<HTMLElement>('.collaboration-carets__label') ?? []) {
      if (names.has(label.textContent ?? '')) wake(label);
    }
  };
  awareness.on('change', onChange);
  return () => awareness.off('change', onChange);
}
