import { useCallback, useEffect } from 'react';
import { useRouter } from '../router';

/** The navigation whose screen heading has taken the focus; 0 is the page as first loaded. */
let focusedNavigation = 0;

/**
 * Names the screen: the tab's title ("Our room · Common Ground") and its one h1. After a route
 * change the focus moves to that h1, so a screen reader says where the person is now and Tab
 * starts from the top of the new screen; on the first load the focus stays where the browser
 * puts it. The h1 may appear only once a lazy screen has loaded or its data has come: the focus
 * moves when it is mounted, once per navigation.
 *
 * Spread the result on the screen's h1: `<h1 {...usePageHeading('Our room')}>`. A null title
 * leaves the tab's title as it is (a screen still loading).
 */
export function usePageHeading(title: string | null): { ref: (el: HTMLHeadingElement | null) => void; tabIndex: -1 } {
  const { navigation } = useRouter();
  useEffect(() => {
    if (title) document.title = `${title} · Common Ground`;
  }, [title]);
  const ref = useCallback(
    (el: HTMLHeadingElement | null) => {
      if (!el || navigation === 0 || focusedNavigation >= navigation) return;
      focusedNavigation = navigation;
      el.focus({ preventScroll: true });
    },
    [navigation],
  );
  return { ref, tabIndex: -1 };
}
