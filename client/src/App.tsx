import { lazy, Suspense } from 'react';
import { HelpPage } from './screens/HelpPage';
import { InvitePage } from './screens/InvitePage';
import { JoinCodePage } from './screens/JoinCodePage';
import { LandingPage } from './screens/LandingPage';
import { RoomPage } from './screens/RoomPage';
import { StartRoomPage } from './screens/StartRoomPage';
import { RouterProvider, useRouter } from './router';
import { Page } from './ui/Layout';
import { Link } from './router';

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
      return (
        <Page>
          <h1>This page does not exist</h1>
          <p>
            <Link to="/">Go to the start page</Link>
          </p>
        </Page>
      );
  }
}

export function App() {
  return (
    <RouterProvider>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <Screen />
    </RouterProvider>
  );
}
