import { lazy, Suspense, useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import {
  categoryLabels,
  diffVersions,
  snapshotOfVersionAgreement,
  snapshotOfView,
  statusLabels,
  type AgreementView,
  type DiffField,
  type VersionAgreement,
} from '../../../shared/agreements';
import type { VersionRecord, VersionSummary } from '../../../shared/protocol/agreements';
import { messageOf, request } from '../realtime/connection';
import { formatDay, formatShortDay } from './people';
import { TextLines } from './TextLines';
import { useAction } from '../realtime/useAction';
import { FormError } from '../ui/FormError';

// Loaded with the first comparison opened, not with the agreements.
const WordDiff = lazy(() => import('./WordChanges').then((m) => ({ default: m.WordDiff })));

const fieldNames: Record<DiffField, string> = {
  title: 'Title',
  body: 'Words',
  category: 'Category',
  status: 'Status',
  reviewOn: 'Review date',
};

function shown(field: DiffField, value: string | null): string {
  if (value === null || value === '') return '(none)';
  if (field === 'category') return categoryLabels[value as keyof typeof categoryLabels] ?? value;
  if (field === 'status') return statusLabels[value as keyof typeof statusLabels] ?? value;
  return value;
}

type Loaded = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ready'; version: VersionRecord };

/**
 * The snapshot of the version opened, asked of the server (`version:get`) when it is opened:
 * the records list summaries only. Snapshots already fetched are kept while the panel is shown
 * (a saved version never changes).
 */
function useOpenedVersion(versionId: string | null): Loaded | null {
  const fetched = useRef(new Map<string, VersionRecord>());
  const [loaded, setLoaded] = useState<{ id: string; loaded: Loaded } | null>(null);
  useEffect(() => {
    if (versionId === null || fetched.current.has(versionId)) return;
    let live = true;
    setLoaded({ id: versionId, loaded: { state: 'loading' } });
    request('version:get', { versionId }).then(
      ({ version }) => {
        fetched.current.set(versionId, version);
        if (live) setLoaded({ id: versionId, loaded: { state: 'ready', version } });
      },
      (err: unknown) => {
        if (live) setLoaded({ id: versionId, loaded: { state: 'failed', message: messageOf(err) } });
      },
    );
    return () => {
      live = false;
    };
  }, [versionId]);
  if (versionId === null) return null;
  const kept = fetched.current.get(versionId);
  if (kept) return { state: 'ready', version: kept };
  return loaded?.id === versionId ? loaded.loaded : { state: 'loading' };
}

/** Agreements named by title under a heading; nothing when there are none. */
function TitleList({ heading, agreements }: { heading: string; agreements: ReadonlyArray<{ id: string; title: string }> }) {
  if (agreements.length === 0) return null;
  return (
    <>
      <p className="diff-heading">{heading}</p>
      <ul>
        {agreements.map((a) => (
          <li key={a.id}>{a.title || 'Untitled agreement'}</li>
        ))}
      </ul>
    </>
  );
}

/**
 * Named versions ("what we agreed on 12 March"): the server keeps each as a snapshot of its own
 * copy, with the commitments in force then. Save one, look back at it, see what changed since.
 */
export function VersionsPanel({ versions, agreements, canAct }: { versions: readonly VersionSummary[]; agreements: readonly AgreementView[]; canAct: boolean }) {
  const id = useId();
  const command = useAction();
  const newestFirst = useMemo(() => [...versions].reverse(), [versions]);
  const [name, setName] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const [open, setOpen] = useState<{ id: string; mode: 'view' | 'diff' } | null>(null);
  const opened = useOpenedVersion(open?.id ?? null);
  const suggested = `What we agreed on ${formatShortDay(Date.now())}`;

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    const res = await command.request('version:save', { name: name.trim() || suggested });
    if (!res) return;
    setName('');
    setSaved(`Saved “${res.version.name}”.`);
  }

  return (
    <section className="card versions" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Versions</h3>
      <p className="small muted">Keep a copy of where you are, to look back on later.</p>
      <form onSubmit={save} className="version-form">
        <label htmlFor={`${id}-name`} className="visually-hidden">
          Name of the version
        </label>
        <input id={`${id}-name`} value={name} maxLength={80} placeholder={suggested} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="button secondary small" disabled={!canAct || command.busy}>
          Save this version
        </button>
      </form>
      <FormError message={command.error?.message} />
      <p className="small muted version-saved" role="status">
        {saved}
      </p>
      {newestFirst.length === 0 ? (
        <p className="small muted">No saved versions yet.</p>
      ) : (
        <ol className="version-list">
          {newestFirst.map((v) => (
            <li key={v.id} className="version">
              <p className="version-name">{v.name}</p>
              <p className="small muted">
                {formatDay(v.at)} · saved by {v.by.name} · {v.count} agreement{v.count === 1 ? '' : 's'}
              </p>
              <div className="actions">
                <button
                  type="button"
                  className="button secondary small"
                  aria-label={`View ${v.name}`}
                  aria-expanded={open?.id === v.id && open.mode === 'view'}
                  onClick={() => setOpen(open?.id === v.id && open.mode === 'view' ? null : { id: v.id, mode: 'view' })}
                >
                  View
                </button>
                <button
                  type="button"
                  className="button secondary small"
                  aria-expanded={open?.id === v.id && open.mode === 'diff'}
                  onClick={() => setOpen(open?.id === v.id && open.mode === 'diff' ? null : { id: v.id, mode: 'diff' })}
                >
                  What changed since
                </button>
              </div>
              {open?.id === v.id && opened?.state === 'loading' && (
                <p className="small muted" role="status">
                  Opening “{v.name}”…
                </p>
              )}
              {open?.id === v.id && opened?.state === 'failed' && (
                <p className="form-error" role="alert">
                  {opened.message}
                </p>
              )}
              {open?.id === v.id && opened?.state === 'ready' && open.mode === 'view' && <VersionView version={opened.version} />}
              {open?.id === v.id && opened?.state === 'ready' && open.mode === 'diff' && <VersionDiffView version={opened.version} agreements={agreements} />}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function VersionView({ version }: { version: VersionRecord }) {
  return (
    <div className="version-view" aria-label={`${version.name}, read only`}>
      <p className="small muted">Read only: this is how it was on {formatDay(version.at)}.</p>
      {version.agreements.length === 0 && <p className="small">No agreements in this version.</p>}
      {version.agreements.map((a) => (
        <SnapshotItem key={a.id} agreement={a} />
      ))}
    </div>
  );
}

function SnapshotItem({ agreement }: { agreement: VersionAgreement }) {
  const { commitment } = agreement;
  const snapshot = snapshotOfVersionAgreement(agreement);
  return (
    <div className="snapshot">
      <p className="snapshot-title">{agreement.title || 'Untitled agreement'}</p>
      <TextLines className="small" text={agreement.body} />
      <p className="small muted">
        {categoryLabels[agreement.category]} · {statusLabels[snapshot.status]}
      </p>
      {commitment && snapshot.status === 'changed-since-agreed' && (
        <div className="snapshot-agreed">
          <p className="small muted">What you had both agreed then:</p>
          <p className="snapshot-title">{commitment.title || 'Untitled agreement'}</p>
          <TextLines className="small" text={commitment.body} />
        </div>
      )}
    </div>
  );
}

function VersionDiffView({ version, agreements }: { version: VersionRecord; agreements: readonly AgreementView[] }) {
  // a version holds drafts: an agreement whose draft was removed compares as removed
  const diff = useMemo(() => diffVersions(version, agreements.filter((a) => a.inDocument).map(snapshotOfView)), [version, agreements]);
  const nothing = diff.added.length + diff.removed.length + diff.changed.length === 0;
  return (
    <div className="version-view" aria-label={`What changed since ${version.name}`}>
      {nothing && <p className="small">Nothing has changed since then.</p>}
      <TitleList heading="Added since" agreements={diff.added} />
      <TitleList heading="Removed since" agreements={diff.removed} />
      {diff.changed.length > 0 && (
        <>
          <p className="diff-heading">Changed</p>
          <ul>
            {diff.changed.map((c) => (
              <li key={c.id}>
                <strong>{c.after.title || 'Untitled agreement'}</strong>
                <dl className="diff-fields">
                  {c.changes.map((f) => (
                    <div key={f.field}>
                      <dt>{fieldNames[f.field]}</dt>
                      {(f.field === 'title' || f.field === 'body') && f.before && f.after ? (
                        // words are compared as words: only what was added or removed is marked
                        <dd className="word-changes">
                          <Suspense fallback={null}>
                            <WordDiff before={f.before} after={f.after} />
                          </Suspense>
                        </dd>
                      ) : (
                        <dd>
                          <del>{shown(f.field, f.before)}</del> <span aria-hidden="true">→</span>
                          <span className="visually-hidden">now</span> <ins>{shown(f.field, f.after)}</ins>
                        </dd>
                      )}
                    </div>
                  ))}
                </dl>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
