import { expect, test } from 'vitest';
import { parsePullPage } from './pull-page.ts';

test('keeps the documents’ own text, which parses to the very documents returned', () => {
  // A document may hold an array followed by a field named like the page's own.
  const documents = [{ id: 'a', steps: [1, 2], checkpoint: 'x', note: 'not the end: "],"checkpoint":' }, { id: 'b', _deleted: true }];
  const text = `{"documents":${JSON.stringify(documents)},"checkpoint":{"org":42},"remaining":7}`;
  const page = parsePullPage(text);
  expect(page).toEqual({ documents, checkpoint: { org: 42 }, remaining: 7, documentsJson: JSON.stringify(documents) });
  expect(JSON.parse(page.documentsJson ?? '')).toEqual(page.documents);
});

test('an empty page and a page of another shape parse whole', () => {
  expect(parsePullPage('{"documents":[],"checkpoint":{},"remaining":0}')).toEqual({ documents: [], checkpoint: {}, remaining: 0, documentsJson: '[]' });
  const reordered = '{"checkpoint":{"org":1},"documents":[{"id":"a"}],"remaining":0}';
  expect(parsePullPage(reordered)).toEqual({ checkpoint: { org: 1 }, documents: [{ id: 'a' }], remaining: 0 });
});

test('a truncated page is an error, not a shorter page', () => {
  expect(() => parsePullPage('{"documents":[{"id":"a"},{"id":"b"],"checkpoint":{},"remaining":0}')).toThrow(SyntaxError);
  expect(() => parsePullPage('{"documents":[{"id":"a"},')).toThrow(SyntaxError);
});
