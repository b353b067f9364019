import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/** A few screens need no routing library: the path picks the screen, the hash carries secrets. */
interface Location {
  path: string;
  hash: string;
}

interface Router {
  location: Location;
  /** how many route changes (links, Back and Forward) since the page loaded: 0 on the first screen */
  navigation: number;
  navigate: (to: string, options?: { replace?: boolean }) => void;
}

const RouterContext = createContext<Router>({
  location: { path: '/', hash: '' },
  navigation: 0,
  navigate: () => undefined,
});

function readLocation(): Location {
  return { path: window.location.pathname, hash: window.location.hash.replace(/^#/, '') };
}

export function RouterProvider({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(readLocation);
  const [navigation, setNavigation] = useState(0);
  useEffect(() => {
    const onPop = () => {
      setLocation(readLocation());
      setNavigation((n) => n + 1);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string, options?: { replace?: boolean }) => {
    if (options?.replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
    setLocation(readLocation());
    setNavigation((n) => n + 1);
    window.scrollTo(0, 0);
  }, []);
  const router = useMemo(() => ({ location, navigation, navigate }), [location, navigation, navigate]);
  return <RouterContext.Provider value={router}>{children}</RouterContext.Provider>;
}

export function useRouter() {
  return useContext(RouterContext);
}

export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  const { navigate } = useRouter();
  return (
    <a
      href={to}
      className={className}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
