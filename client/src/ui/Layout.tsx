import type { ReactNode } from 'react';
import { Link } from '../router';

export function Brand() {
  return (
    <Link to="/" className="brand">
      <svg aria-hidden="true" viewBox="0 0 64 64" width="28" height="28">
        <circle cx="25" cy="32" r="13" fill="none" stroke="currentColor" strokeWidth="5" />
        <circle cx="39" cy="32" r="13" fill="none" stroke="var(--accent)" strokeWidth="5" />
      </svg>
      <span>Common Ground</span>
    </Link>
  );
}

/** The frame of every screen that is not the room itself. */
export function Page({ children, narrow = true }: { children: ReactNode; narrow?: boolean }) {
  return (
    <div className="page">
      <header className="page-header">
        <Brand />
        <Link to="/help" className="quiet-link">
          Getting help
        </Link>
      </header>
      <main id="main" className={narrow ? 'page-main narrow' : 'page-main'}>
        {children}
      </main>
    </div>
  );
}
