import { lazy, Suspense } from 'react';
import { HelpPage } from './screens/HelpPage';
import { LandingPage } from './screens/LandingPage';
import { RouterProvider, useRouter } from './router';
import { Page } from './ui/Layout';
import { LoadFailure } from './ui/LoadFailure';
import { usePageHeading } from './ui/usePageHeading';
import { Link } from './router';

// The first screen is the landing page (or Getting help, which must open at once). Every other
// screen, with the live connection and the schemas, loads when it is opened.
const RoomPage = lazy(() => import('./screens/RoomPage').then((m) => ({ default: m.RoomPage })));
const InvitePage = lazy(() => import('./screens/InvitePage').then((m) => ({ default: m.InvitePage })));
const JoinCodePage = lazy(() => import('./screens/JoinCodePage').then((m) => ({ default: m.JoinCodePage })));
const StartRoomPage = lazy(() => import('./screens/StartRoomPage').then((m) => ({ default: m.StartRoomPage })));
// Only counsellors open their workspace: it loads on demand, not with the first screen.
const CounsellorWorkspace = lazy(() => import('./counsellor/CounsellorWorkspace').then((m) => ({ default: m.CounsellorWorkspace })));

function Screen() {
  const { location } = useRouter();
  const path = location.path.replace(/\/+$/, '') || '/';
  const room = /^\/room\/([A-Za-z0-9_-]+)$/.exec(path);
  if (room) return <RoomPage key={room[1]} roomId={room[1]!} />;
  switch (path) {
    case '/':
      return <LandingPage />;
    case '/start':
      return <StartRoomPage />;
    case '/join':
      return <JoinCodePage />;
    case '/invite':
      return <InvitePage />;
    case '/help':
      return <HelpPage />;
    case '/counsellor':
      return (
        <Suspense fallback={null}>
          <CounsellorWorkspace />
        </Suspense>
      );
    default:
      return <NotFound />;
  }
}

function NotFound() {
  const heading = usePageHeading('Page not found');
  return (
    <Page>
      <h1 {...heading}>This page does not exist</h1>
      <p>
        <Link to="/">Go to the start page</Link>
      </p>
    </Page>
  );
}

export function App() {
  return (
    <RouterProvider>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <LoadFailure>
        <Suspense fallback={null}>
          <Screen />
        </Suspense>
      </LoadFailure>
    </RouterProvider>
  );
}
