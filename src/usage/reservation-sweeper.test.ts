import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { newId } from '../ids.ts';
import { createTestContext } from '../testing/test-context.ts';
import { readLedger, reserve, TENANT_SCOPE } from './budget-ledger.ts';
import { startReservationSweeper } from './reservation-sweeper.ts';

test('the sweeper returns the budget held by a call that died more than an hour ago', async () => {
  const ctx = await createTestContext('sqlite', { clockStart: '2026-05-01T10:00:00.000Z' });
  try {
    const tenantId = newId();
    const base = { tenantId, userId: 'u', month: '2026-05', tenantBudgetMicros: 1_000, userBudgetMicros: null };
    const dead = await reserve(ctx.db, { ...base, amountMicros: 900, now: ctx.clock.now() });
    assert.ok(dead.ok);
    ctx.clock.advance(61 * 60 * 1000);
    const live = await reserve(ctx.db, { ...base, amountMicros: 50, now: ctx.clock.now() });
    assert.ok(live.ok);
    const sweeper = startReservationSweeper(ctx, { intervalMs: 10 });
    for (let i = 0; i < 50 && (await readLedger(ctx.db, tenantId, TENANT_SCOPE, '2026-05')).reservedMicros !== 50; i++) await sleep(10);
    sweeper.stop();
    assert.deepEqual(await readLedger(ctx.db, tenantId, TENANT_SCOPE, '2026-05'), { spentMicros: 0, reservedMicros: 50 });
    assert.ok(ctx.logs.some((l) => l.includes('"released":1')));
  } finally {
    await ctx.cleanup();
  }
});
