import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { createTestDb, dialectsUnderTest, type TestDb } from '../testing/test-db.ts';
import { budgetMonth, readLedger, release, reserve, settle, sweepStaleReservations, TENANT_SCOPE } from './budget-ledger.ts';

const now = new Date('2026-03-31T23:59:00.000Z');
const month = budgetMonth(now);

for (const kind of dialectsUnderTest()) {
  describe(`budget ledger on ${kind}`, () => {
    const dbs: TestDb[] = [];
    const open = async () => {
      const testDb = await createTestDb(kind);
      dbs.push(testDb);
      return testDb;
    };
    after(async () => {
      for (const d of dbs) await d.cleanup();
    });

    test('months are YYYY-MM in UTC', () => {
      assert.equal(month, '2026-03');
      assert.equal(budgetMonth(new Date('2026-04-01T00:30:00+02:00')), '2026-03');
    });

    test('50 concurrent reserve→settle cycles from two instances never spend past the tenant budget', async () => {
      const testDb = await open();
      // A second Kysely on the same database plays a second Mosaic instance (PostgreSQL; SQLite is embedded).
      const second = kind === 'postgres' ? testDb.reopen() : null;
      try {
        const tenantId = newId();
        const budget = 10_000;
        const reserveAmount = 1_000;
        const outcomes = await Promise.all(
          Array.from({ length: 50 }, async (_, i) => {
            const db = second && i % 2 === 1 ? second.db : testDb.db;
            const r = await reserve(db, {
              tenantId, userId: `user-${i % 5}`, month, amountMicros: reserveAmount,
              tenantBudgetMicros: budget, userBudgetMicros: null, now,
            });
            if (!r.ok) return { refused: r.scope, spent: 0 };
            await sleep(i % 7); // overlap the calls
            const actual = i % 3 === 0 ? reserveAmount : 600; // some calls cost their whole worst case
            const s = await settle(db, r.reservationId, actual, now);
            assert.equal(s.settled, true);
            return { refused: null, spent: actual };
          }),
        );
        const accepted = outcomes.filter((o) => o.refused === null);
        const refused = outcomes.filter((o) => o.refused !== null);
        assert.equal(accepted.length + refused.length, 50);
        assert.ok(refused.length > 0, 'the budget must refuse some calls');
        assert.ok(refused.every((o) => o.refused === 'tenant'));
        // A call is refused only when less than one reservation is left, so at least budget/amount pass.
        assert.ok(accepted.length >= budget / reserveAmount, `accepted ${accepted.length}`);
        const expectedSpent = accepted.reduce((sum, o) => sum + o.spent, 0);
        const ledger = await readLedger(testDb.db, tenantId, TENANT_SCOPE, month);
        assert.deepEqual(ledger, { spentMicros: expectedSpent, reservedMicros: 0 });
        assert.ok(ledger.spentMicros <= budget, `spent ${ledger.spentMicros} > budget ${budget}`);
        // The per-user rows add up to the tenant's spend.
        let userTotal = 0;
        for (let u = 0; u < 5; u++) userTotal += (await readLedger(testDb.db, tenantId, `user-${u}`, month)).spentMicros;
        assert.equal(userTotal, expectedSpent);
        const open = await testDb.db.selectFrom('budget_reservations').select('id').where('settled_at', 'is', null).execute();
        assert.equal(open.length, 0);
        const rows = await testDb.db.selectFrom('budget_reservations').select('id').where('tenant_id', '=', tenantId).execute();
        assert.equal(rows.length, accepted.length, 'a refused call leaves no reservation behind');
      } finally {
        await second?.db.destroy();
      }
    });

    test('a per-user budget refuses that user only, under concurrency, and rolls back the tenant reservation', async () => {
      const testDb = await open();
      const second = kind === 'postgres' ? testDb.reopen() : null;
      try {
        const tenantId = newId();
        const userBudget = 5_000;
        const outcomes = await Promise.all(
          Array.from({ length: 50 }, async (_, i) => {
            const db = second && i % 2 === 1 ? second.db : testDb.db;
            const userId = i < 40 ? 'heavy' : 'light';
            const r = await reserve(db, {
              tenantId, userId, month, amountMicros: 500, tenantBudgetMicros: null, userBudgetMicros: userBudget, now,
            });
            if (!r.ok) return { userId, refused: r.scope };
            await sleep(i % 5);
            await settle(db, r.reservationId, 500, now);
            return { userId, refused: null };
          }),
        );
        const heavy = outcomes.filter((o) => o.userId === 'heavy');
        assert.equal(heavy.filter((o) => o.refused === null).length, 10);
        assert.ok(heavy.filter((o) => o.refused !== null).every((o) => o.refused === 'user'));
        assert.ok(outcomes.filter((o) => o.userId === 'light').every((o) => o.refused === null));
        assert.deepEqual(await readLedger(testDb.db, tenantId, 'heavy', month), { spentMicros: 5_000, reservedMicros: 0 });
        // Refused user reservations did not leak into the tenant's reserved total.
        assert.deepEqual(await readLedger(testDb.db, tenantId, TENANT_SCOPE, month), { spentMicros: 10_000, reservedMicros: 0 });
      } finally {
        await second?.db.destroy();
      }
    });

    test('without budgets nothing is refused and the spend is still recorded', async () => {
      const { db } = await open();
      const tenantId = newId();
      const r = await reserve(db, { tenantId, userId: 'u', month, amountMicros: 1e9, tenantBudgetMicros: null, userBudgetMicros: null, now });
      assert.ok(r.ok);
      await settle(db, r.reservationId, 1234, now);
      assert.deepEqual(await readLedger(db, tenantId, TENANT_SCOPE, month), { spentMicros: 1234, reservedMicros: 0 });
      assert.deepEqual(await readLedger(db, tenantId, 'u', month), { spentMicros: 1234, reservedMicros: 0 });
    });

    test('settling twice counts once; releasing returns the reservation; a settle after release is a no-op', async () => {
      const { db } = await open();
      const tenantId = newId();
      const base = { tenantId, userId: 'u', month, tenantBudgetMicros: 2_000, userBudgetMicros: null, now };
      const a = await reserve(db, { ...base, amountMicros: 1_500 });
      assert.ok(a.ok);
      assert.deepEqual(await reserve(db, { ...base, amountMicros: 600 }), { ok: false, scope: 'tenant' });
      const first = await settle(db, a.reservationId, 400, now);
      assert.deepEqual(first, { settled: true, tenantId, userId: 'u', month, tenantSpentMicros: 400 });
      const again = await Promise.all([settle(db, a.reservationId, 400, now), settle(db, a.reservationId, 400, now)]);
      assert.ok(again.every((s) => !s.settled));
      assert.deepEqual(await readLedger(db, tenantId, TENANT_SCOPE, month), { spentMicros: 400, reservedMicros: 0 });

      const b = await reserve(db, { ...base, amountMicros: 1_600 });
      assert.ok(b.ok);
      assert.equal(await release(db, b.reservationId, now), true);
      assert.equal(await release(db, b.reservationId, now), false);
      assert.equal((await settle(db, b.reservationId, 1_600, now)).settled, false);
      assert.deepEqual(await readLedger(db, tenantId, TENANT_SCOPE, month), { spentMicros: 400, reservedMicros: 0 });
      // The released room is usable again.
      assert.equal((await reserve(db, { ...base, amountMicros: 1_600 })).ok, true);
    });

    test('a cost above the reservation is recorded truthfully, and warned about', async () => {
      const { db } = await open();
      const tenantId = newId();
      const warnings: unknown[] = [];
      const logger = { warn: (obj: unknown) => warnings.push(obj) } as unknown as import('../logger.ts').Logger;
      const r = await reserve(db, { tenantId, userId: 'u', month, amountMicros: 100, tenantBudgetMicros: 1_000, userBudgetMicros: null, now });
      assert.ok(r.ok);
      await settle(db, r.reservationId, 250, now, { logger });
      assert.deepEqual(await readLedger(db, tenantId, TENANT_SCOPE, month), { spentMicros: 250, reservedMicros: 0 });
      assert.equal(warnings.length, 1);
    });

    test('the sweeper releases reservations of crashed processes and leaves recent ones alone', async () => {
      const { db } = await open();
      const tenantId = newId();
      const base = { tenantId, userId: 'u', month, tenantBudgetMicros: 1_000, userBudgetMicros: 1_000 };
      const old = await reserve(db, { ...base, amountMicros: 700, now: new Date('2026-03-31T20:00:00Z') });
      const recent = await reserve(db, { ...base, amountMicros: 200, now });
      assert.ok(old.ok && recent.ok);
      assert.equal((await reserve(db, { ...base, amountMicros: 500, now })).ok, false);
      assert.equal(await sweepStaleReservations(db, new Date('2026-03-31T23:00:00Z'), now), 1);
      assert.deepEqual(await readLedger(db, tenantId, TENANT_SCOPE, month), { spentMicros: 0, reservedMicros: 200 });
      assert.deepEqual(await readLedger(db, tenantId, 'u', month), { spentMicros: 0, reservedMicros: 200 });
      assert.equal((await reserve(db, { ...base, amountMicros: 500, now })).ok, true);
      // The crashed call's late settle (if its process comes back) no longer counts twice.
      assert.equal((await settle(db, old.reservationId, 700, now)).settled, false);
    });

    test('each month has its own ledger', async () => {
      const { db } = await open();
      const tenantId = newId();
      const base = { tenantId, userId: 'u', amountMicros: 900, tenantBudgetMicros: 1_000, userBudgetMicros: null, now };
      const march = await reserve(db as Kysely<Database>, { ...base, month: '2026-03' });
      assert.ok(march.ok);
      await settle(db, march.reservationId, 900, now);
      assert.equal((await reserve(db, { ...base, month: '2026-03' })).ok, false);
      assert.equal((await reserve(db, { ...base, month: '2026-04' })).ok, true);
    });
  });
}
