import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newId } from '../ids.ts';
import { decodeCursor, encodeCursor, toPage } from './cursor.ts';

describe('keyset cursors', () => {
  it('round-trips and is opaque url-safe text', () => {
    const cursor = { key: '2026-03-01T10:00:00.000Z', id: newId() };
    const text = encodeCursor(cursor);
    assert.match(text, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeCursor(text), cursor);
  });

  it('refuses anything that is not one of ours', () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const text of [
      '', 'not base64!', b64({ key: '2026-03-01T10:00:00.000Z', id: newId() }), b64(['2026-03-01', newId()]),
      b64(['2026-03-01T10:00:00.000Z', 'x']), b64(['2026-03-01T10:00:00.000Z', newId(), 3]), b64('x'), 'e30', 'A'.repeat(401),
      b64(["2026-03-01T10:00:00.000Z' OR 1=1 --", newId()]),
    ]) {
      assert.equal(decodeCursor(text), null, text);
    }
  });

  it('a page of limit + 1 rows has a cursor at its last served row; a short one has none', () => {
    const rows = [1, 2, 3].map((n) => ({ at: `2026-03-0${n}T00:00:00.000Z`, id: newId() }));
    const page = toPage(rows, 2, (r) => ({ key: r.at, id: r.id }));
    assert.deepEqual(page.items, rows.slice(0, 2));
    assert.deepEqual(decodeCursor(page.nextCursor!), { key: rows[1]!.at, id: rows[1]!.id });
    assert.deepEqual(toPage(rows, 3, (r) => ({ key: r.at, id: r.id })), { items: rows, nextCursor: null });
  });
});
