import { useEffect, useState } from 'react';
import type { AgreementRecordsView } from '../../../shared/protocol/agreements';
import { useRequest } from '../realtime/useRequest';
import { useSocketEvent } from '../realtime/useSocketEvent';

/** Where the device keeps the last records it was sent (y-indexeddb's key-value store). */
export interface RecordsKeep {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<unknown>;
}

const KEEP_KEY = 'records';

/**
 * The room's agreements on the record (acceptances, commitments, who proposed what, review
 * requests, the saved versions' summaries), as the server last sent them; null until it (or, offline, this device's
 * copy) has. The server pushes `agreements:records` after every change; on every (re)join this
 * asks for them too, since a push made before this component mounted, or while the network was
 * down, is not sent again.
 * The last view is kept beside the device's copy of the document (IndexedDB, deleted with it),
 * so a room opened without a network still shows what the two of them agreed.
 */
export function useAgreementRecords(roomId: string, joined: boolean, keep: RecordsKeep | null): AgreementRecordsView | null {
  const [state, setState] = useState<{ roomId: string; records: AgreementRecordsView; fromServer: boolean } | null>(null);

  useEffect(() => {
    if (!keep) return;
    let live = true;
    keep.get(KEEP_KEY).then(
      (stored) => {
        if (!live || !isRecordsView(stored)) return;
        // what the server sent since wins over the device's copy
        setState((s) => (s?.roomId === roomId && s.fromServer ? s : { roomId, records: stored, fromServer: false }));
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [roomId, keep]);

  const apply = (records: AgreementRecordsView) => {
    if (!isRecordsView(records)) return;
    setState({ roomId, records, fromServer: true });
    void keep?.set(KEEP_KEY, records).catch(() => undefined);
  };
  useSocketEvent('agreements:records', apply);
  useRequest('agreements:records', {}, { enabled: joined, onResult: (res) => apply(res.records) });

  return state?.roomId === roomId ? state.records : null;
}

/**
 * The shape the rest of the app relies on; anything else (an old copy, a bug) is ignored. A copy
 * kept before versions came as summaries (`count`) is one such old copy.
 */
export function isRecordsView(value: unknown): value is AgreementRecordsView {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const lists = (['acceptances', 'commitments', 'history', 'provenance', 'reviews', 'withdrawals', 'versions'] as const).every((key) =>
    Array.isArray(v[key]),
  );
  return lists && (v.versions as unknown[]).every((s) => typeof (s as { count?: unknown } | null)?.count === 'number');
}
