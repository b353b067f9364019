import { getSchema } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';
import { Transform } from '@tiptap/pm/transform';
import { initProseMirrorDoc, updateYFragment } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { agreementTextExtensions } from '../../client/src/agreements/editorExtensions';
import { addAgreement, agreementFragments } from './model';
import { keepTextInEveryBlock, plainText } from './text';

/**
 * The agreement body as two editors see it, through the same y-tiptap functions the editor's
 * binding runs: the document an editor opens with (initProseMirrorDoc) and the write of a
 * keystroke into the Y fragment (updateYFragment).
 */
const schema = getSchema(agreementTextExtensions({ singleLine: false }));

interface Device {
  doc: Y.Doc;
  fragment: Y.XmlFragment;
  pm: PmNode;
  meta: ReturnType<typeof initProseMirrorDoc>['meta'];
}

function open(doc: Y.Doc, fragment: Y.XmlFragment): Device {
  const { doc: pm, meta } = initProseMirrorDoc(fragment, schema);
  return { doc, fragment, pm, meta };
}

/** Types `text` at the start of the first paragraph, as a keystroke in the editor would. */
function type(device: Device, text: string): void {
  device.pm = new Transform(device.pm).insert(1, schema.text(text)).doc;
  updateYFragment(device.doc, device.fragment, device.pm, device.meta);
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

/** Two devices holding the same new draft with an empty body, not yet typed in. */
function twoDevicesWithEmptyBody(seed: (doc: Y.Doc) => Y.XmlFragment): [Device, Device] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const fragmentA = seed(a);
  sync(a, b);
  const fragmentB = b.getArray('agreements').get(0) as Y.Map<unknown>;
  return [open(a, fragmentA), open(b, fragmentB.get('body') as Y.XmlFragment)];
}

describe('an empty agreement body typed in by two people at once', () => {
  it('holds one paragraph with its Y.XmlText from the start', () => {
    const doc = new Y.Doc();
    const id = addAgreement(doc, { title: 'Pauses', category: 'communication' });
    const body = agreementFragments(doc, id)!.body;
    expect(body.length).toBe(1);
    const paragraph = body.get(0) as Y.XmlElement;
    expect(paragraph.nodeName).toBe('paragraph');
    expect(paragraph.toArray()).toHaveLength(1);
    expect(paragraph.get(0)).toBeInstanceOf(Y.XmlText);
    expect(plainText(body)).toBe('');
  });

  it('is kept as it is when an editor opens it: the binding writes nothing', () => {
    const doc = new Y.Doc();
    const id = addAgreement(doc, { title: 'Pauses', category: 'communication' });
    const body = agreementFragments(doc, id)!.body;
    const text = (body.get(0) as Y.XmlElement).get(0);
    const device = open(doc, body);
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    updateYFragment(doc, body, device.pm, device.meta);
    expect(updates).toEqual([]);
    // The first keystroke goes into the Y.XmlText that was there.
    type(device, 'A');
    expect((body.get(0) as Y.XmlElement).get(0)).toBe(text);
    expect(plainText(body)).toBe('A');
  });

  it('gets both first keystrokes in one Y.XmlText, so each person’s words stay together', () => {
    const [sam, alex] = twoDevicesWithEmptyBody((doc) => {
      const id = addAgreement(doc, { title: 'Pauses', category: 'communication' });
      return agreementFragments(doc, id)!.body;
    });
    type(sam, 'Sam');
    type(alex, 'Alex');
    sync(sam.doc, alex.doc);
    for (const device of [sam, alex]) {
      const paragraph = device.fragment.get(0) as Y.XmlElement;
      expect(paragraph.toArray()).toHaveLength(1);
      expect(['SamAlex', 'AlexSam']).toContain(plainText(device.fragment));
    }
  });

  it('[cause] a paragraph without its Y.XmlText gets one from each person, two side by side', () => {
    // The shape drafts had: an empty paragraph element and nothing in it.
    const [sam, alex] = twoDevicesWithEmptyBody((doc) => {
      const map = new Y.Map<unknown>();
      const body = new Y.XmlFragment();
      body.insert(0, [new Y.XmlElement('paragraph')]);
      map.set('id', 'a1');
      map.set('body', body);
      doc.getArray('agreements').push([map]);
      return body;
    });
    type(sam, 'Sam');
    type(alex, 'Alex');
    sync(sam.doc, alex.doc);
    // Two Y.XmlTexts in one paragraph: the binding merges them into one when it next renders,
    // moving one person's letters while both go on typing, which is what scrambled them.
    expect((sam.fragment.get(0) as Y.XmlElement).toArray()).toHaveLength(2);
  });
});

describe('a new line started in a draft', () => {
  /** Starts a new, empty line after the last one, as Enter at the end does. */
  function newLine(device: Device): void {
    device.pm = new Transform(device.pm).insert(device.pm.content.size, schema.nodes.paragraph!.create()).doc;
    updateYFragment(device.doc, device.fragment, device.pm, device.meta);
  }

  /** Types `text` at the start of the last paragraph. */
  function typeInLast(device: Device, text: string): void {
    const start = device.pm.content.size - device.pm.lastChild!.nodeSize + 1;
    device.pm = new Transform(device.pm).insert(start, schema.text(text)).doc;
    updateYFragment(device.doc, device.fragment, device.pm, device.meta);
  }

  function twoDevices(keep: boolean): [Device, Device] {
    const [sam, alex] = twoDevicesWithEmptyBody((doc) => {
      const id = addAgreement(doc, { title: 'Pauses', body: 'We agree:', category: 'communication' });
      return agreementFragments(doc, id)!.body;
    });
    if (keep) keepTextInEveryBlock(sam.fragment);
    newLine(sam);
    sync(sam.doc, alex.doc);
    // Alex's editor shows the new line as it arrives.
    ({ pm: alex.pm, meta: alex.meta } = open(alex.doc, alex.fragment));
    return [sam, alex];
  }

  it('gets its Y.XmlText from the device that started it, so both type into one', () => {
    const [sam, alex] = twoDevices(true);
    const line = sam.fragment.get(1) as Y.XmlElement;
    expect(line.toArray()).toHaveLength(1);
    expect(line.get(0)).toBeInstanceOf(Y.XmlText);
    typeInLast(sam, 'Sam');
    typeInLast(alex, 'Alex');
    sync(sam.doc, alex.doc);
    for (const device of [sam, alex]) {
      expect((device.fragment.get(1) as Y.XmlElement).toArray()).toHaveLength(1);
      expect(['We agree:\nSamAlex', 'We agree:\nAlexSam']).toContain(plainText(device.fragment));
    }
  });

  it('[cause] without it, each device gives the new line its own Y.XmlText', () => {
    const [sam, alex] = twoDevices(false);
    typeInLast(sam, 'Sam');
    typeInLast(alex, 'Alex');
    sync(sam.doc, alex.doc);
    expect((sam.fragment.get(1) as Y.XmlElement).toArray()).toHaveLength(2);
  });

  it('leaves inline nodes and blocks that hold text as they are, and stops when asked', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('notes');
    const stop = keepTextInEveryBlock(fragment);
    const list = new Y.XmlElement('bulletList');
    const item = new Y.XmlElement('listItem');
    const inList = new Y.XmlElement('paragraph');
    item.insert(0, [inList]);
    list.insert(0, [item]);
    const withBreak = new Y.XmlElement('paragraph');
    withBreak.insert(0, [new Y.XmlElement('hardBreak')]);
    fragment.insert(0, [list, withBreak]);
    expect(inList.toArray().map((c) => c.constructor)).toEqual([Y.XmlText]);
    expect(item.length).toBe(1);
    expect((withBreak.get(0) as Y.XmlElement).length).toBe(0);
    expect(withBreak.length).toBe(1);
    stop();
    const after = new Y.XmlElement('paragraph');
    fragment.insert(2, [after]);
    expect(after.length).toBe(0);
  });
});

describe('a draft written before every block had its text', () => {
  it('gets the Y.XmlText when an editor opens it, and two devices opening it at once end with one', () => {
    const sam = new Y.Doc();
    const alex = new Y.Doc();
    const body = new Y.XmlFragment();
    body.insert(0, [new Y.XmlElement('paragraph')]);
    const map = new Y.Map<unknown>();
    map.set('id', 'a1');
    map.set('body', body);
    sam.getArray('agreements').push([map]);
    sync(sam, alex);
    const alexBody = (alex.getArray('agreements').get(0) as Y.Map<unknown>).get('body') as Y.XmlFragment;
    keepTextInEveryBlock(body);
    keepTextInEveryBlock(alexBody);
    expect((body.get(0) as Y.XmlElement).toArray()).toHaveLength(1);
    sync(sam, alex);
    // Two empty texts side by side: rendering the paragraph (as each editor does) merges them.
    for (const [doc, fragment] of [[sam, body], [alex, alexBody]] as const) open(doc, fragment);
    sync(sam, alex);
    for (const fragment of [body, alexBody]) {
      const texts = (fragment.get(0) as Y.XmlElement).toArray();
      expect(texts).toHaveLength(1);
      expect(texts[0]).toBeInstanceOf(Y.XmlText);
    }
  });
});
