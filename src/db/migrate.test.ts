import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestDb, dialectsUnderTest } from '../testing/test-db.ts';
import { migrateToLatest } from './migrate.ts';

for (const kind of dialectsUnderTest()) {
  test(`${kind}: migrations apply, are idempotent, and bigints read back as numbers`, async () => {
    const t = await createTestDb(kind);
    try {
      assert.deepEqual(await migrateToLatest(t.db), []);
      await t.db.insertInto('budget_ledger').values({ tenant_id: 't', scope: 'tenant', month: '2026-01', spent_micros: 2 ** 40, reserved_micros: 0 }).execute();
      const row = await t.db.selectFrom('budget_ledger').selectAll().executeTakeFirstOrThrow();
      assert.equal(row.spent_micros, 2 ** 40);
      const r = await sql<{ one: number }>`select 1 as one`.execute(t.db);
      assert.equal(Number(r.rows[0]?.one), 1);
    } finally {
      await t.cleanup();
    }
  });
}
