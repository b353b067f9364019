import { useId, useMemo, useState, type FormEvent } from 'react';
import type * as Y from 'yjs';
import {
  categoryLabels,
  dayOf,
  diffVersions,
  listVersions,
  saveVersion,
  snapshotAgreements,
  statusLabels,
  type AgreementSnapshot,
  type Author,
  type DiffField,
  type SavedVersion,
} from '../../../shared/agreements';
import { formatDay, formatShortDay } from './people';

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

/** Named versions ("what we agreed on 12 March"): save one, look back at it, see what changed since. */
export function VersionsPanel({ doc, author, revision }: { doc: Y.Doc; author: Author; revision: number }) {
  const id = useId();
  const versions = useMemo(() => listVersions(doc).reverse(), [doc, revision]);
  const [name, setName] = useState('');
  const [open, setOpen] = useState<{ id: string; mode: 'view' | 'diff' } | null>(null);
  const suggested = `What we agreed on ${formatShortDay(Date.now())}`;

  function save(event: FormEvent) {
    event.preventDefault();
    saveVersion(doc, name.trim() || suggested, author, Date.now());
    setName('');
  }

  const selected = open ? versions.find((v) => v.id === open.id) ?? null : null;
  return (
    <section className="card versions" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Versions</h3>
      <p className="small muted">Keep a copy of where you are, to look back on later.</p>
      <form onSubmit={save} className="version-form">
        <label htmlFor={`${id}-name`} className="visually-hidden">
          Name of the version
        </label>
        <input id={`${id}-name`} value={name} maxLength={120} placeholder={suggested} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="button secondary small">
          Save this version
        </button>
      </form>
      {versions.length === 0 ? (
        <p className="small muted">No saved versions yet.</p>
      ) : (
        <ol className="version-list">
          {versions.map((v) => (
            <li key={v.id} className="version">
              <p className="version-name">{v.name}</p>
              <p className="small muted">
                {formatDay(v.at)} · saved by {v.by.name} · {v.agreements.length} agreement{v.agreements.length === 1 ? '' : 's'}
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
              {selected?.id === v.id && open?.mode === 'view' && <VersionView version={selected} />}
              {selected?.id === v.id && open?.mode === 'diff' && <VersionDiffView version={selected} doc={doc} revision={revision} />}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function VersionView({ version }: { version: SavedVersion }) {
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

function SnapshotItem({ agreement }: { agreement: AgreementSnapshot }) {
  return (
    <div className="snapshot">
      <p className="snapshot-title">{agreement.title || 'Untitled agreement'}</p>
      {agreement.body
        .split('\n')
        .filter((line) => line.trim())
        .map((line, i) => (
          <p key={i} className="small">
            {line}
          </p>
        ))}
      <p className="small muted">
        {categoryLabels[agreement.category]} · {statusLabels[agreement.status]}
      </p>
    </div>
  );
}

function VersionDiffView({ version, doc, revision }: { version: SavedVersion; doc: Y.Doc; revision: number }) {
  const diff = useMemo(() => diffVersions(version, snapshotAgreements(doc, dayOf(Date.now()))), [version, doc, revision]);
  const nothing = diff.added.length + diff.removed.length + diff.changed.length === 0;
  return (
    <div className="version-view" aria-label={`What changed since ${version.name}`}>
      {nothing && <p className="small">Nothing has changed since then.</p>}
      {diff.added.length > 0 && (
        <>
          <p className="diff-heading">Added since</p>
          <ul>
            {diff.added.map((a) => (
              <li key={a.id}>{a.title || 'Untitled agreement'}</li>
            ))}
          </ul>
        </>
      )}
      {diff.removed.length > 0 && (
        <>
          <p className="diff-heading">Removed since</p>
          <ul>
            {diff.removed.map((a) => (
              <li key={a.id}>{a.title || 'Untitled agreement'}</li>
            ))}
          </ul>
        </>
      )}
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
                      <dd>
                        <del>{shown(f.field, f.before)}</del> <span aria-hidden="true">→</span>
                        <span className="visually-hidden">now</span> <ins>{shown(f.field, f.after)}</ins>
                      </dd>
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
