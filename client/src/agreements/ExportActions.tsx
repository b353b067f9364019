import type { AgreementView } from '../../../shared/agreements';
import type { RoomView } from '../../../shared/protocol/rooms';
import { downloadMarkdown } from './downloadAgreements';

/** Take the agreements out of the room: a Markdown file, or the printer (print CSS shows only them). */
export function ExportActions({ agreements, room }: { agreements: readonly AgreementView[]; room: RoomView }) {
  const download = () => downloadMarkdown(agreements, room);
  return (
    <section className="card export" aria-labelledby="export-title">
      <h3 id="export-title">Keep a copy</h3>
      <p className="small muted">What you both agreed, with your names and the dates, each agreement's earlier words, and the proposals marked as proposals. Notes stay in the room.</p>
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
