/** True when nothing has the focus: the control just tapped went away, or was disabled. */
export function focusIsLost(): boolean {
  return !document.activeElement || document.activeElement === document.body;
}

/**
 * Puts the focus on `target()` when nothing has it, now and again on the next frames: a screen
 * that replaces the tapped control can still be hidden in the commit that draws it (a time-out
 * taken from the agreements tab shows the talk panel a render later). Someone typing elsewhere
 * keeps their focus. Returns the function that cancels the frames still to come.
 */
export function focusWhenLost(target: () => HTMLElement | null | undefined, onFocused?: (el: HTMLElement) => void, frames = 3): () => void {
  let left = frames;
  let id = 0;
  const attempt = () => {
    const el = target();
    if (el && focusIsLost()) {
      el.focus({ preventScroll: true });
      if (document.activeElement === el) onFocused?.(el);
    }
    if (el && document.activeElement === el) return;
    if (left-- > 0) id = requestAnimationFrame(attempt);
  };
  attempt();
  return () => cancelAnimationFrame(id);
}
