import type * as Y from 'yjs';
import { toMarkdown } from '../../../shared/agreements';

/** Take the agreements out of the room: a Markdown file, or the printer (print CSS shows only them). */
export function ExportActions({ doc }: { doc: Y.Doc }) {
  function download() {
    const now = Date.now();
    const blob = new Blob([toMarkdown(doc, { now })], { type: 'text/markdown;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `our-agreements-${new Date(now).toISOString().slice(0, 10)}.md`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  return (
    <section className="card export" aria-labelledby="export-title">
      <h3 id="export-title">Keep a copy</h3>
      <p className="small muted">With each agreement&apos;s status and dates. Notes and names stay in the room.</p>
      <div className="actions">
        <button type="button" className="button secondary small" onClick={download}>
          Download (Markdown)
        </button>
        <button type="button" className="button secondary small" onClick={() => window.print()}>
          Print
        </button>
      </div>
    </section>
  );
}
