import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import type { AgreementRecordsView, Commitment } from '../protocol/agreements';
import { contentHash } from './hash';
import { inline, safeHref, toMarkdown } from './markdown';
import type { Draft } from './model';
import { agreementViews, emptyRecords } from './records';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 28, 12);
const names = { A: 'Sam', B: 'Alex' };
const options = { now: T0 + 3 * DAY, timeZone: 'UTC', names };
const TODAY = '2026-12-01';

function draft(id: string, title: string, body: string, extra: Partial<Draft> = {}): Draft {
  return { id, title, body, category: 'communication', reviewOn: null, ...extra };
}

function commitmentOf(d: Draft, agreedAt: number): Commitment {
  return {
    id: `c-${d.id}`,
    agreementId: d.id,
    title: d.title,
    body: d.body,
    category: d.category,
    hash: contentHash(d),
    acceptedAt: { A: agreedAt - DAY, B: agreedAt },
    agreedAt,
  };
}

/**
 * Markdown as the renderers a copy may be opened in would show it: CommonMark with raw HTML and
 * every link scheme let through (so only our escaping stands in the way), and GFM, which adds
 * links for bare addresses, tables and strike-through (its tag filter hides a few elements, which
 * the CommonMark rendering does not).
 */
function rendered(markdown: string): [string, string] {
  const dangerous = { allowDangerousHtml: true, allowDangerousProtocol: true };
  return [micromark(markdown, dangerous), micromark(markdown, { ...dangerous, extensions: [gfm()], htmlExtensions: [gfmHtml()] })];
}

/** Every element and attribute in rendered HTML, and every link's address. */
function tagsAndLinks(html: string): { tags: string[]; attributes: string[]; hrefs: string[] } {
  const tags = [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase());
  const attributes = [...html.matchAll(/<[a-zA-Z][^>]*?\s([a-zA-Z-]+)=/g)].map((m) => m[1]!.toLowerCase());
  const hrefs = [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
  return { tags, attributes, hrefs };
}

const SAFE_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'p', 'ul', 'li', 'a', 'strong', 'em']);

const ATTACKS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg/onload=alert(1)>',
  '<a href="javascript:alert(1)">hi</a>',
  '<!-- comment --><style>*{}</style>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click]( javascript:alert(1) "title")',
  '[click](<javascript:alert(1)>)',
  '[click](java&#115;cript:alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[click](java\tscript:alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](vbscript:msgbox(1))',
  '[click](file:///etc/passwd)',
  '![pixel](https://tracker.example/p.gif)',
  '![x](javascript:alert(1))',
  '<javascript:alert(1)>',
  '<data:text/html,<script>alert(1)</script>>',
  '<vbscript:msgbox(1)>',
  '[ref]\n\n[ref]: javascript:alert(1)',
  '[ref][x] [x]: javascript:alert(1)',
  'javascript:alert(1)',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '`code` **bold** _em_ ~~strike~~ | a | b |',
  '\\<script>alert(1)\\</script>',
];

describe('toMarkdown: commitments and drafts', () => {
  it('shows a commitment with its agreed words, both names and the dates, and a draft as a proposal', () => {
    const agreed = draft('walk', 'We walk on Sundays', 'After lunch.\nEven in the rain.', { reviewOn: '2026-11-30' });
    const open = draft('phones', 'No phones at dinner', '', { category: 'time-together' });
    const records: AgreementRecordsView = {
      ...emptyRecords(),
      commitments: [commitmentOf(agreed, T0 + DAY)],
      acceptances: [{ agreementId: 'phones', seat: 'B', hash: contentHash(open), at: T0 + 2 * DAY }],
      provenance: [
        { agreementId: 'walk', seat: 'A', name: 'Sam', at: T0 },
        { agreementId: 'phones', seat: 'counsellor', name: 'Dana', at: T0 + DAY },
      ],
      reviews: [{ agreementId: 'phones', seat: 'A', at: T0 + 2 * DAY }],
    };
    const markdown = toMarkdown(agreementViews([agreed, open], records, TODAY), { ...options, roomTitle: 'Sam & Alex' });
    expect(markdown).toBe(
      [
        '# Our agreements: Sam &amp; Alex',
        '',
        'Exported on 2026-12-01.',
        '',
        '## Communication',
        '',
        '### We walk on Sundays',
        '',
        'After lunch.',
        '',
        'Even in the rain.',
        '',
        '- Status: Agreed by Sam and Alex on 2026-11-29 (Sam on 2026-11-28, Alex on 2026-11-29)',
        '- Proposed by Sam on 2026-11-28',
        '- Look at it again on 2026-11-30 (due)',
        '',
        '## Time together',
        '',
        '### No phones at dinner',
        '',
        '- Status: Proposal, not agreed yet (Alex agreed; waiting for Sam)',
        '- Proposed by Dana on 2026-11-29',
        '- Sam asked to talk about it again on 2026-11-30',
        '',
      ].join('\n'),
    );
  });

  it('keeps the agreed words of a changed commitment and shows the new words beside them as a proposal', () => {
    const agreed = draft('walk', 'We walk on Sundays', 'After lunch.');
    const changed = { ...agreed, title: 'We walk on Saturdays', body: 'After lunch. Or before.' };
    const records: AgreementRecordsView = {
      ...emptyRecords(),
      commitments: [commitmentOf(agreed, T0 + DAY)],
      acceptances: [{ agreementId: 'walk', seat: 'A', hash: contentHash(changed), at: T0 + 2 * DAY }],
      withdrawals: [{ agreementId: 'walk', seat: 'B', at: T0 + 2 * DAY }],
    };
    const markdown = toMarkdown(agreementViews([changed], records, TODAY), options);
    expect(markdown).toContain(
      [
        '### We walk on Sundays',
        '',
        'After lunch.',
        '',
        '- Status: Agreed by Sam and Alex on 2026-11-29 (Sam on 2026-11-28, Alex on 2026-11-29)',
        '- Alex asked to end this agreement',
        '',
        '#### Proposed change (a proposal, not agreed yet)',
        '',
        'New title: We walk on Saturdays',
        '',
        'After lunch. Or before.',
        '',
        '- New words (Sam agreed; waiting for Alex)',
        '',
      ].join('\n'),
    );
  });

  it('keeps a commitment whose draft was deleted', () => {
    const agreed = draft('walk', 'We walk on Sundays', 'After lunch.');
    const records: AgreementRecordsView = { ...emptyRecords(), commitments: [commitmentOf(agreed, T0 + DAY)] };
    const markdown = toMarkdown(agreementViews([], records, TODAY), options);
    expect(markdown).toContain('### We walk on Sundays\n\nAfter lunch.\n\n- Status: Agreed by Sam and Alex on 2026-11-29');
  });

  it("lists each agreement's earlier commitments, oldest first, with both names, how and when each ended", () => {
    const first = draft('walk', 'We walk on Sundays', 'After lunch.');
    const second = { ...first, title: 'We walk on Saturdays', body: 'Before lunch.' };
    const now = { ...first, title: 'We walk at weekends', body: 'Either day.' };
    const records: AgreementRecordsView = {
      ...emptyRecords(),
      commitments: [commitmentOf(now, T0 + 3 * DAY)],
      history: [
        { ...commitmentOf(first, T0), endedAt: T0 + DAY, endedBy: 'replaced' },
        { ...commitmentOf(second, T0 + DAY), endedAt: T0 + 3 * DAY, endedBy: 'replaced' },
      ],
    };
    expect(toMarkdown(agreementViews([now], records, TODAY), options)).toContain(
      [
        '- Status: Agreed by Sam and Alex on 2026-12-01 (Sam on 2026-11-30, Alex on 2026-12-01)',
        '',
        '#### Earlier agreements on this',
        '',
        '- We walk on Sundays: After lunch. (agreed by Sam and Alex on 2026-11-28, replaced by new words on 2026-11-29)',
        '- We walk on Saturdays: Before lunch. (agreed by Sam and Alex on 2026-11-29, replaced by new words on 2026-12-01)',
        '',
      ].join('\n'),
    );
  });

  it('marks an agreement both ended as ended, not in force, and not as a new proposal', () => {
    const walk = draft('walk', 'We walk on Sundays', 'After lunch.');
    const records: AgreementRecordsView = { ...emptyRecords(), history: [{ ...commitmentOf(walk, T0), endedAt: T0 + DAY, endedBy: 'withdrawn' }] };
    const markdown = toMarkdown(agreementViews([walk], records, TODAY), options);
    expect(markdown).toContain('- Status: Ended by Sam and Alex on 2026-11-29, not in force\n');
    expect(markdown).toContain('- We walk on Sundays: After lunch. (agreed by Sam and Alex on 2026-11-28, ended by both on 2026-11-29)');
    expect(markdown).not.toContain('Proposal, not agreed yet');
  });

  it('says so when there is nothing yet', () => {
    expect(toMarkdown([], options)).toBe('# Our agreements\n\nExported on 2026-12-01.\n\nNo agreements yet.\n');
  });
});

describe('toMarkdown: what people wrote stays text', () => {
  it.each(ATTACKS)('%s in a title, a body and a name comes out as text, with no element or link it did not ask for safely', (attack) => {
    const d = draft('x', attack, attack.replace(/\n/g, ' '));
    const records: AgreementRecordsView = {
      ...emptyRecords(),
      provenance: [{ agreementId: 'x', seat: 'B', name: attack, at: T0 }],
    };
    const markdown = toMarkdown(agreementViews([d], records, TODAY), { ...options, names: { A: attack, B: 'Alex' }, roomTitle: attack });
    for (const html of rendered(markdown)) {
      const { tags, attributes, hrefs } = tagsAndLinks(html);
      expect(tags.filter((t) => !SAFE_TAGS.has(t))).toEqual([]);
      expect(attributes.filter((a) => a !== 'href')).toEqual([]);
      for (const href of hrefs) expect(href).toMatch(/^(https?:\/\/|mailto:)/);
    }
  });

  it('shows the attack as the words that were typed', () => {
    const [html] = rendered(inline('<img src=x onerror=alert(1)> & <script>'));
    expect(html.trim()).toBe('<p>&lt;img src=x onerror=alert(1)&gt; &amp; &lt;script&gt;</p>');
    expect(inline('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('drops link schemes other than http(s) and mailto, keeping the words of the link', () => {
    expect(inline('[click](javascript:alert(1))')).toBe('click');
    expect(inline('see [this](data:text/html,hi) now')).toBe('see this now');
    expect(inline('<vbscript:msgbox(1)>')).toBe('vbscript:msgbox(1)');
    for (const html of rendered(inline('[click](javascript:alert(1)) <javascript:alert(1)>'))) {
      expect(html).not.toContain('href');
    }
  });

  it('keeps http(s) and mailto links as links, their addresses as a browser reads them', () => {
    expect(inline('[our plan](https://example.org/a_b?x=1&y=2)')).toBe('[our plan](<https://example.org/a_b?x=1\\&y=2>)');
    expect(inline('write to mailto:sam@example.org.')).toBe('write to [mailto:sam@example.org](<mailto:sam@example.org>).');
    expect(inline('<HTTPS://Example.org/x>')).toBe('[HTTPS://Example.org/x](<https://example.org/x>)');
    const [html] = rendered(inline('[our plan](https://example.org/a_b?x=1&y=2) and https://example.org/(1)'));
    expect(tagsAndLinks(html).hrefs).toEqual(['https://example.org/a_b?x=1&y=2', 'https://example.org/(1']);
  });

  it('never makes an image, even of a safe address', () => {
    for (const html of rendered(inline('![pixel](https://tracker.example/p.gif)!'))) expect(html).not.toContain('<img');
  });

  it('escapes Markdown signs so the words read as they were written', () => {
    const d = draft('x', '# not a heading', '- not a list\n> not a quote\n1. not a number\n=== \n```\n**not bold** _nor this_ `nor code`');
    const markdown = toMarkdown(agreementViews([d], emptyRecords(), TODAY), options);
    expect(markdown).toContain('### \\# not a heading\n');
    expect(markdown).toContain('\\- not a list\n\n&gt; not a quote\n\n1\\. not a number\n\n\\===\n\n\\`\\`\\`\n\n\\*\\*not bold\\*\\* \\_nor this\\_ \\`nor code\\`\n');
    const [html] = rendered(markdown);
    expect(html).toContain('<h3># not a heading</h3>');
    expect(html).toContain('<p>- not a list</p>\n<p>&gt; not a quote</p>\n<p>1. not a number</p>\n<p>===</p>\n<p>```</p>\n<p>**not bold** _nor this_ `nor code`</p>');
  });

  it('reads a URL as a browser would before deciding', () => {
    expect(safeHref('java\tscript:alert(1)')).toBeNull();
    expect(safeHref(' JAVASCRIPT:alert(1)')).toBeNull();
    expect(safeHref('//evil.example/')).toBeNull();
    expect(safeHref('https://example.org')).toBe('https://example.org/');
  });
});
