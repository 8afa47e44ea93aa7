import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isId, newId } from './ids.ts';

test('ids are UUIDv7 and strictly increasing, also within one millisecond and past the counter', () => {
  const ids = Array.from({ length: 10_000 }, () => newId(1_800_000_000_000));
  for (const id of ids) {
    assert.ok(isId(id), id);
    assert.equal(id[14], '7', 'version 7');
    assert.ok('89ab'.includes(id[19]!), 'RFC 9562 variant');
  }
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1]! < ids[i]!, `${ids[i - 1]} < ${ids[i]}`);
  assert.equal(new Set(ids).size, ids.length);
  // A clock that steps back never makes an id sort before an earlier one.
  const later = newId(1_700_000_000_000);
  assert.ok(later > ids.at(-1)!);
  // The time prefix is the millisecond (for ids made in their own millisecond).
  const fresh = newId(1_900_000_000_000);
  assert.equal(parseInt(fresh.replace(/-/g, '').slice(0, 12), 16), 1_900_000_000_000);
});

test('isId accepts UUIDs and refuses the rest', () => {
  assert.ok(isId(crypto.randomUUID()));
  for (const bad of ['', 'x', '123', `${newId()}x`, newId().toUpperCase(), null, 42]) assert.equal(isId(bad), false, String(bad));
});
