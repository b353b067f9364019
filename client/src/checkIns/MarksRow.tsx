import type { Mark, RhythmKind } from '../../../shared/checkIns/model';
import type { PeriodView, SeenAnswer } from '../../../shared/checkIns/view';
import { dayLabel, markWords, periodLabel } from '../../../shared/checkIns/wording';
import type { PartnerSeat } from '../../../shared/protocol/identity';

/** How many periods the row shows: eight fit a 320 px phone at full size. */
export const PERIODS_IN_ROW = 8;
const CELL = 46;
const HEIGHT = 60;

type Dot = Mark | 'waiting' | 'none';

function dotOf(answer: SeenAnswer | undefined): Dot {
  if (!answer) return 'none';
  return answer.seen ? answer.mark : 'waiting';
}

function dotWords(dot: Dot, kind: RhythmKind): string {
  if (dot === 'none') return 'no check-in';
  if (dot === 'waiting') return 'checked in, shown once you both have';
  return markWords(dot, kind);
}

interface Props {
  title: string;
  kind: RhythmKind;
  periods: ReadonlyArray<Pick<PeriodView, 'key' | 'lastDay' | 'answers'>>;
  /** the reader's seat first, then the partner's */
  seats: readonly [PartnerSeat, PartnerSeat];
  names: Record<PartnerSeat, string>;
}

/**
 * A gentle row of the latest periods, both partners' marks side by side: an inline SVG for the
 * eye (role=img, with a label that says it in words) and the same as a table for a screen
 * reader. A harder week is a soft warm colour, never red.
 */
export function MarksRow({ title, kind, periods, seats, names }: Props) {
  const shown = periods.slice(-PERIODS_IN_ROW);
  const width = shown.length * CELL;
  const summary = `${title}: ${shown
    .map((p) => `${periodLabel(kind, p.lastDay)}, ${seats.map((s) => `${names[s]} ${dotWords(dotOf(p.answers[s]), kind)}`).join(', ')}`)
    .join('; ')}`;
  return (
    <div className="marks-row">
      <p className="marks-key" aria-hidden="true">
        Each {kind === 'daily' ? 'day' : 'week'}: {names[seats[0]]} on the left, {names[seats[1]]} on the right
      </p>
      <svg role="img" aria-label={summary} viewBox={`0 0 ${width} ${HEIGHT}`} width={width} height={HEIGHT} className="marks-svg">
        {shown.map((p, i) => {
          const x = i * CELL + CELL / 2;
          return (
            <g key={p.key}>
              {seats.map((seat, j) => {
                const dot = dotOf(p.answers[seat]);
                return <circle key={seat} cx={x + (j === 0 ? -10 : 10)} cy={20} r={8.5} className={`mark-dot mark-${dot}`} />;
              })}
              <text x={x} y={HEIGHT - 6} textAnchor="middle" className="marks-day">
                {dayLabel(p.lastDay).replace(/^\w+ /, '')}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="visually-hidden">
        <caption>{title}: how each {kind === 'daily' ? 'day' : 'week'} went</caption>
        <thead>
          <tr>
            <th scope="col">{kind === 'daily' ? 'Day' : 'Week'}</th>
            {seats.map((s) => (
              <th key={s} scope="col">
                {names[s]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((p) => (
            <tr key={p.key}>
              <th scope="row">{periodLabel(kind, p.lastDay)}</th>
              {seats.map((s) => (
                <td key={s}>{dotWords(dotOf(p.answers[s]), kind)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What the dots mean, in words beside small swatches (the colours are never the only cue: the table and label say it too). */
export function MarksLegend({ kind }: { kind: RhythmKind }) {
  const items: Array<[Dot, string]> = [
    ['kept', 'kept it'],
    ['mostly', 'mostly'],
    ['struggled', `a harder ${kind === 'daily' ? 'day' : 'week'}`],
    ['none', 'no check-in'],
  ];
  return (
    <ul className="marks-legend" aria-hidden="true">
      {items.map(([dot, words]) => (
        <li key={dot}>
          <svg viewBox="0 0 16 16" width="16" height="16">
            <circle cx="8" cy="8" r="6.5" className={`mark-dot mark-${dot}`} />
          </svg>
          {words}
        </li>
      ))}
    </ul>
  );
}
