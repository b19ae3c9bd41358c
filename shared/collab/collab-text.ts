import type * as Y from 'yjs';

/** Every collaborative text (runbook body, incident review) is the one Y.Text of its Y.Doc, under this name. */
export const TEXT_NAME = 'markdown';

export function textOf(doc: Y.Doc): Y.Text {
  return doc.getText(TEXT_NAME);
}
