import { Component, type ReactNode } from 'react';
import { Page } from './Layout';

interface State {
  failed: boolean;
}

/**
 * Catches a screen that could not be loaded or drawn (most often a part of the app that a newer
 * version has replaced while this page was open) and offers a reload, which fetches the new
 * version, instead of leaving a blank page.
 */
export class LoadFailure extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <Page>
        <h1>This page did not open</h1>
        <p>Part of the app could not be loaded, perhaps because a newer version is out or the connection dropped. Nothing you wrote is lost: it is kept on this device.</p>
        <p>
          <button type="button" className="primary" onClick={() => window.location.reload()}>
            Reload the app
          </button>
        </p>
      </Page>
    );
  }
}
