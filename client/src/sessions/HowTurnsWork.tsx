import type { ReactElement } from 'react';
import './howTurnsWork.css';

/**
 * "How a turn works", in four small pictures and a fifth for the time-out: speak, they say
 * back, you confirm, the floor passes. Drawn inline with currentColor and the theme's colours,
 * so it follows dark mode and loads nothing; each picture says what it shows to a screen
 * reader, and its caption says the rest.
 */

/**
 * Two people side by side, each in a colour of their own (left in the primary colour, right in
 * the accent), so the reader follows them from picture to picture as the floor moves.
 */
function People() {
  const person = (x: number, who: 'left' | 'right') => (
    <g className={`ht-person ht-${who}`}>
      <circle cx={x} cy="52" r="11" />
      <path d={`M${x - 19} 88c0-13 8.5-20 19-20s19 7 19 20`} />
    </g>
  );
  return (
    <>
      {person(34, 'left')}
      {person(126, 'right')}
    </>
  );
}

/** A speech bubble with a tail towards the person it comes from. */
function Bubble({ x, tail, children }: { x: number; tail: 'left' | 'right'; children?: ReactElement | ReactElement[] }) {
  const tip = tail === 'left' ? `M${x + 8} 34l-8 10 16-4` : `M${x + 48} 34l8 10-16-4`;
  return (
    <g className="ht-bubble">
      <rect x={x} y="8" width="56" height="28" rx="10" />
      <path d={tip} />
      {children}
    </g>
  );
}

const lines = (x: number) => (
  <g className="ht-lines">
    <path d={`M${x + 10} 18h36M${x + 10} 26h24`} />
  </g>
);

/** `counsellorTitle`/`counsellorWords` are the picture told about the couple, for the counsellor watching. */
const pictures: { title: string; words: string; counsellorTitle?: string; counsellorWords?: string; alt: string; art: ReactElement }[] = [
  {
    title: 'Speak',
    alt: 'Two people: the one on the left talks, the one on the right listens.',
    words: 'One of you has the floor and says what matters to you. The other listens, without answering yet.',
    counsellorWords: 'One partner has the floor and says what matters to them. The other listens, without answering yet.',
    art: (
      <>
        <People />
        <Bubble x={44} tail="left">{lines(44)}</Bubble>
      </>
    ),
  },
  {
    title: 'They say back',
    alt: 'The listener on the right answers with the same words back.',
    words: 'The listener says back what they heard, in their own words.',
    art: (
      <>
        <People />
        <Bubble x={60} tail="right">{lines(60)}</Bubble>
      </>
    ),
  },
  {
    title: 'You confirm',
    counsellorTitle: 'The speaker confirms',
    alt: 'The speaker on the left answers with a tick.',
    words: '“That’s it” when it feels right; “Not quite” and they try again.',
    art: (
      <>
        <People />
        <Bubble x={44} tail="left">
          <path className="ht-check" d="M62 22l6 6 12-12" />
        </Bubble>
      </>
    ),
  },
  {
    title: 'The floor passes',
    alt: 'An arrow goes from the person on the left to the one on the right, who speaks next.',
    words: 'Then you swap: the listener becomes the speaker.',
    counsellorWords: 'Then they swap: the listener becomes the speaker.',
    art: (
      <>
        <People />
        <path className="ht-arrow" d="M46 30c14-18 54-18 68 0" />
        <path className="ht-arrow" d="M112.8 21.1L114 30l-8.3-3.4" />
      </>
    ),
  },
  {
    title: 'A time-out, any time',
    alt: 'A pause sign.',
    words: 'Either of you can take a break. The session waits, just as it was, and the clocks stop.',
    counsellorWords: 'Either partner can take a break. The session waits, just as it was, and the clocks stop.',
    art: (
      <g className="ht-pause">
        <circle cx="80" cy="50" r="30" />
        <path d="M71 36v28M89 36v28" />
      </g>
    ),
  },
];

/** Open before a couple's first session; a disclosure to come back to any time after. */
export function HowTurnsWork({ open = false, counsellor = false }: { open?: boolean; counsellor?: boolean }) {
  return (
    <details className="how-turns" open={open || undefined}>
      <summary>How a turn works</summary>
      <ol className="how-turns-steps">
        {pictures.map((p, i) => (
          <li key={p.title} className={i === pictures.length - 1 ? 'how-turns-timeout' : undefined}>
            <svg viewBox="0 0 160 96" role="img" aria-label={p.alt} focusable="false">
              {p.art}
            </svg>
            <p>
              <strong>{(counsellor && p.counsellorTitle) || p.title}.</strong> {(counsellor && p.counsellorWords) || p.words}
            </p>
          </li>
        ))}
      </ol>
    </details>
  );
}
