import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  accept,
  addAgreement,
  categoryLabels,
  diffVersions,
  listVersions,
  removeAgreement,
  saveVersion,
  setAgreementText,
  setCategory,
  setReviewOn,
  snapshotAgreements,
  starterAgreements,
  toMarkdown,
  AGREEMENT_CATEGORIES,
  type AgreementSnapshot,
} from './index';

const T0 = Date.UTC(2025, 2, 1, 12);
const DAY = 86_400_000;
const alex = { seat: 'A', name: 'Alexandra' } as const;
const utc = { timeZone: 'UTC' };

function seeded(): Y.Doc {
  const doc = new Y.Doc();
  addAgreement(doc, { id: 'timeout', title: 'Time-outs are allowed', body: 'We say when we will be back.', category: 'communication', proposedBy: alex, now: T0 });
  addAgreement(doc, { id: 'truth', title: 'We tell the truth', body: 'Even when it is awkward.', category: 'honesty', proposedBy: alex, now: T0 });
  addAgreement(doc, { id: 'chores', title: 'Chores', body: 'A list on the fridge.', category: 'household', proposedBy: alex, now: T0 });
  for (const id of ['timeout', 'truth']) {
    accept(doc, id, 'A', T0 + DAY);
    accept(doc, id, 'B', T0 + 2 * DAY);
  }
  return doc;
}

describe('named versions', () => {
  it('are stored as plain JSON and listed oldest first', () => {
    const doc = seeded();
    saveVersion(doc, 'What we agreed on 3 March', alex, T0 + 2 * DAY, { id: 'v1', ...utc });
    setAgreementText(doc, 'truth', 'body', 'Even when it is awkward, and soon.');
    saveVersion(doc, 'Later', { seat: 'counsellor', name: 'Sam' }, T0 + 5 * DAY, { id: 'v2', ...utc });
    const versions = listVersions(doc);
    expect(versions.map((v) => v.name)).toEqual(['What we agreed on 3 March', 'Later']);
    expect(versions[0]?.agreements.find((a) => a.id === 'truth')).toMatchObject({ status: 'agreed', body: 'Even when it is awkward.' });
    expect(versions[1]?.agreements.find((a) => a.id === 'truth')).toMatchObject({ status: 'changed-since-agreed' });
    expect(JSON.parse(JSON.stringify(versions))).toEqual(versions);
  });

  it('survive a round trip through another device', () => {
    const doc = seeded();
    saveVersion(doc, 'v', alex, T0, { id: 'v1', ...utc });
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    expect(listVersions(other)).toEqual(listVersions(doc));
  });

  it('skip entries that are not versions', () => {
    const doc = seeded();
    doc.getArray('versions').push([{ name: 'broken' }, 'junk']);
    saveVersion(doc, 'ok', alex, T0, { id: 'ok', ...utc });
    expect(listVersions(doc).map((v) => v.id)).toEqual(['ok']);
  });
});

describe('diffVersions', () => {
  type Edit = (doc: Y.Doc) => void;
  const table: Array<{ name: string; edit: Edit; added: string[]; removed: string[]; changed: Record<string, string[]> }> = [
    { name: 'nothing changed', edit: () => {}, added: [], removed: [], changed: {} },
    {
      name: 'an agreement added',
      edit: (doc) => addAgreement(doc, { id: 'new', title: 'New', category: 'other', proposedBy: alex, now: T0 }),
      added: ['new'],
      removed: [],
      changed: {},
    },
    { name: 'an agreement removed', edit: (doc) => removeAgreement(doc, 'chores'), added: [], removed: ['chores'], changed: {} },
    {
      name: 'a body edited after agreeing',
      edit: (doc) => setAgreementText(doc, 'truth', 'body', 'Always.'),
      added: [],
      removed: [],
      changed: { truth: ['body', 'status'] },
    },
    {
      name: 'a draft recategorised and dated',
      edit: (doc) => {
        setCategory(doc, 'chores', 'time-together');
        setReviewOn(doc, 'chores', '2025-06-01');
      },
      added: [],
      removed: [],
      changed: { chores: ['category', 'reviewOn'] },
    },
    {
      name: 'a title edit',
      edit: (doc) => setAgreementText(doc, 'chores', 'title', 'Sharing chores'),
      added: [],
      removed: [],
      changed: { chores: ['title'] },
    },
  ];
  it.each(table)('$name', ({ edit, added, removed, changed }) => {
    const doc = seeded();
    const older = saveVersion(doc, 'before', alex, T0 + 3 * DAY, utc);
    edit(doc);
    const diff = diffVersions(older, snapshotAgreements(doc, '2025-03-05'));
    expect(diff.added.map((a) => a.id)).toEqual(added);
    expect(diff.removed.map((a) => a.id)).toEqual(removed);
    expect(Object.fromEntries(diff.changed.map((c) => [c.id, c.changes.map((f) => f.field)]))).toEqual(changed);
  });

  it('gives before and after of each changed field', () => {
    const doc = seeded();
    const older = saveVersion(doc, 'before', alex, T0 + 3 * DAY, utc);
    setAgreementText(doc, 'truth', 'body', 'Always.');
    const newer = saveVersion(doc, 'after', alex, T0 + 4 * DAY, utc);
    expect(diffVersions(older, newer).changed[0]?.changes).toEqual([
      { field: 'body', before: 'Even when it is awkward.', after: 'Always.' },
      { field: 'status', before: 'agreed', after: 'changed-since-agreed' },
    ]);
  });
});

describe('toMarkdown', () => {
  it('shows words, status, dates and categories, and nothing else', () => {
    const doc = seeded();
    setReviewOn(doc, 'timeout', '2025-03-04');
    setReviewOn(doc, 'truth', '2025-09-01');
    doc.getXmlFragment('notes').insert(0, [new Y.XmlText('private notes never exported')]);
    const markdown = toMarkdown(doc, { roomTitle: 'Alex & Bo', now: T0 + 4 * DAY, ...utc });
    expect(markdown).not.toContain('Alexandra');
    expect(markdown).not.toContain('private notes');
    expect(markdown).toMatchInlineSnapshot(`
      "# Our agreements: Alex & Bo

      Exported on 2025-03-05.

      ## Honesty

      ### We tell the truth

      Even when it is awkward.

      - Status: Agreed by both (2025-03-03)
      - Proposed: 2025-03-01
      - Review on: 2025-09-01

      ## Communication

      ### Time-outs are allowed

      We say when we will be back.

      - Status: Agreed by both (2025-03-03)
      - Proposed: 2025-03-01
      - Review on: 2025-03-04 (due)

      ## Household

      ### Chores

      A list on the fridge.

      - Status: Proposed, not agreed yet
      - Proposed: 2025-03-01
      "
    `);
  });

  it('escapes text that would turn into Markdown structure', () => {
    const list: AgreementSnapshot[] = [
      {
        id: 'x',
        title: '# not a heading\nsecond line',
        body: '- not a list\n> not a quote\nplain',
        category: 'other',
        status: 'draft',
        reviewOn: null,
        createdAt: T0,
        agreedAt: null,
        revisitRequested: true,
      },
    ];
    const markdown = toMarkdown(list, { now: T0, ...utc });
    expect(markdown).toContain('### # not a heading second line');
    expect(markdown).toContain('\\- not a list\n\n\\> not a quote\n\nplain');
    expect(markdown).toContain('- Someone asked to talk about this one again');
  });

  it('says so when there is nothing yet', () => {
    expect(toMarkdown(new Y.Doc(), { now: T0, ...utc })).toBe('# Our agreements\n\nExported on 2025-03-01.\n\nNo agreements yet.\n');
  });
});

describe('starters and labels', () => {
  it('offers five or six starters, each in a known category, that can be added as they are', () => {
    expect(starterAgreements.length).toBeGreaterThanOrEqual(5);
    expect(starterAgreements.length).toBeLessThanOrEqual(6);
    const doc = new Y.Doc();
    for (const starter of starterAgreements) {
      expect(AGREEMENT_CATEGORIES).toContain(starter.category);
      addAgreement(doc, { ...starter, proposedBy: alex, now: T0 });
    }
    expect(snapshotAgreements(doc, '2025-03-01').every((a) => a.status === 'draft')).toBe(true);
  });

  it('labels every category', () => {
    expect(Object.keys(categoryLabels).sort()).toEqual([...AGREEMENT_CATEGORIES].sort());
  });
});
