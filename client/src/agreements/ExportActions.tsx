import { toMarkdown, type AgreementView } from '../../../shared/agreements';
import type { RoomView } from '../../../shared/protocol/rooms';
import { nameOf } from './people';

/** Take the agreements out of the room: a Markdown file, or the printer (print CSS shows only them). */
export function ExportActions({ agreements, room }: { agreements: readonly AgreementView[]; room: RoomView }) {
  function download() {
    const now = Date.now();
    const markdown = toMarkdown(agreements, { now, names: { A: nameOf(room, 'A'), B: nameOf(room, 'B'), counsellor: nameOf(room, 'counsellor') } });
    const blob = new Blob([markdown], { type: 'text/markdown;charset=utf-8' });
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
      <p className="small muted">What you both agreed, with your names and the dates, and the drafts marked as drafts. Notes stay in the room.</p>
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
