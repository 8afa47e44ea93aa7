// The chat shows a tool's query result as a table: run_query answers compactly ({columns, rows: [[…]]}),
// and a regression once rendered that as raw JSON because only arrays of row objects were recognised.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asTable } from '../../web/src/pages/chat/chat-steps.ts';

test("run_query's compact result becomes columns and rows", () => {
  assert.deepEqual(asTable({ columns: ['region', 'n'], rows: [['North', 12], ['South', 7]], rowCount: 2, truncated: true }), {
    columns: ['region', 'n'],
    rows: [['North', 12], ['South', 7]],
    truncated: true,
  });
});

test('an array of row objects becomes a table too; non-tabular results do not', () => {
  assert.deepEqual(asTable([{ a: 1, b: 'x' }, { a: 2, b: 'y' }]), { columns: ['a', 'b'], rows: [[1, 'x'], [2, 'y']], truncated: false });
  assert.equal(asTable({ tables: [{ name: 'orders' }] }), null);
  assert.equal(asTable({ columns: ['n'], rows: [] }), null);
  assert.equal(asTable('text'), null);
});
