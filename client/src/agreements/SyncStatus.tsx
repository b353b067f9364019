import type { SyncState } from './socketIOProvider';

const words: Record<SyncState['kind'], string> = {
  saved: 'Saved',
  syncing: 'Syncing…',
  offline: 'Offline: your changes are kept on this device',
  problem: '',
};

/** A quiet line, never an alarm: where what you wrote is right now. */
export function SyncStatus({ state }: { state: SyncState }) {
  return (
    <p className={`sync-status sync-${state.kind}`} role="status" aria-live="polite">
      <span className="sync-dot" aria-hidden="true" />
      {state.kind === 'problem' ? state.message : words[state.kind]}
    </p>
  );
}
