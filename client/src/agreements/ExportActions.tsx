import { useState } from 'react';
import type { AgreementView } from '../../../shared/agreements';
import type { RoomView } from '../../../shared/protocol/rooms';
import { downloadMarkdown } from './downloadAgreements';

/** Take the agreements out of the room: a Markdown file, or the printer (print CSS shows only them). */
export function ExportActions({ agreements, room }: { agreements: readonly AgreementView[]; room: RoomView }) {
  const [saved, setSaved] = useState<string | null>(null);
  const download = () => setSaved(downloadMarkdown(agreements, room));
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
      {/* there from the start, so a screen reader hears the line when it is filled */}
      <p className="small muted download-status" role="status">
        {saved && (
          <>
            Downloaded: <span className="file-name">{saved}</span>
          </>
        )}
      </p>
    </section>
  );
}
