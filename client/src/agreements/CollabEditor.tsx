import { Extension } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor } from '@tiptap/react';
import { useEffect } from 'react';
import { Placeholder } from '@tiptap/extensions';
// ProseMirror's own stylesheets, in place of the <style> element Tiptap would inject (turned off
// below): the Content-Security-Policy allows no inline styles (server/security/securityHeaders.ts).
import 'prosemirror-view/style/prosemirror.css';
import 'prosemirror-gapcursor/style/gapcursor.css';
import type * as Y from 'yjs';
import { keepTextInEveryBlock } from '../../../shared/agreements';
import { renderCaret, wakeCaretLabelsOnMoves } from './caretLabel';
import { agreementTextExtensions } from './editorExtensions';
import type { SocketIOProvider } from './socketIOProvider';

export interface EditorUser {
  name: string;
  color: string;
}

/** A title is one line: Enter does nothing rather than start a paragraph nobody sees. */
const SingleLine = Extension.create({
  name: 'singleLine',
  addKeyboardShortcuts() {
    return { Enter: () => true, 'Shift-Enter': () => true };
  },
});

interface CollabEditorProps {
  fragment: Y.XmlFragment;
  provider: SocketIOProvider;
  user: EditorUser;
  /** the accessible name of the text box */
  label: string;
  placeholder?: string;
  singleLine?: boolean;
  className?: string;
  describedBy?: string;
}

/** A Tiptap editor bound to one Y.XmlFragment, showing the other person's caret with their name. */
export function CollabEditor({ fragment, provider, user, label, placeholder, singleLine = false, className, describedBy }: CollabEditorProps) {
  // A new line this device starts gets its text at once, so two people typing in it share one.
  useEffect(() => keepTextInEveryBlock(fragment), [fragment]);
  const editor = useEditor(
    {
      injectCSS: false,
      extensions: [
        ...agreementTextExtensions({ singleLine }),
        Collaboration.configure({ fragment }),
        CollaborationCaret.configure({ provider, user, render: renderCaret }),
        ...(singleLine ? [SingleLine] : []),
        ...(placeholder ? [Placeholder.configure({ placeholder })] : []),
      ],
      editorProps: {
        attributes: {
          'aria-label': label,
          role: 'textbox',
          'aria-multiline': singleLine ? 'false' : 'true',
          ...(describedBy ? { 'aria-describedby': describedBy } : {}),
          class: `cg-editor${singleLine ? ' cg-editor-line' : ''}${className ? ` ${className}` : ''}`,
          spellcheck: 'true',
        },
      },
    },
    [fragment, provider, user.name, user.color, placeholder],
  );
  useEffect(() => wakeCaretLabelsOnMoves(provider.awareness, () => (editor && !editor.isDestroyed ? editor.view.dom : null)), [provider, editor]);
  return <EditorContent editor={editor} />;
}
