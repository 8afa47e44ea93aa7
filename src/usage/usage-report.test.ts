import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Db } from '../db/database.ts';
import { newId } from '../ids.ts';
import { createTestDb, dialectsUnderTest } from '../testing/test-db.ts';
import { getUsageReport, monthRange } from './usage-report.ts';

test('a month is the UTC range from its first day to the next month', () => {
  assert.deepEqual(monthRange('2026-12'), { from: '2026-12-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' });
});

interface Call {
  tenantId: string;
  userId: string | null;
  at: string;
  kind: string;
  model: string;
  input: number;
  output: number;
  cost: number;
  estimated?: boolean;
  type?: 'model_call' | 'tool_call';
}

async function record(db: Db, c: Call) {
  await db
    .insertInto('call_records')
    .values({
      id: newId(), tenant_id: c.tenantId, session_id: null, message_id: null, user_id: c.userId, type: c.type ?? 'model_call',
      flow: 'orchestrator', at: c.at, duration_ms: 100, outcome: 'success', provider_kind: c.kind, model: c.model,
      input_tokens: c.input, output_tokens: c.output, cost_micros: c.cost, estimated: c.estimated ? 1 : 0, tool: null,
      error_code: null, details: null,
    })
    .execute();
}

async function user(db: Db, tenantId: string, email: string) {
  const id = newId();
  await db.insertInto('tenants').values({ id: tenantId, name: `t-${tenantId}`, created_at: '2026-01-01T00:00:00.000Z' }).onConflict((oc) => oc.column('id').doNothing()).execute();
  await db.insertInto('users').values({
    id, tenant_id: tenantId, email, password_hash: 'x', roles: '["member"]', disabled: 0,
    created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z',
  }).execute();
  return id;
}

for (const kind of dialectsUnderTest()) {
  describe(`usage report on ${kind}`, () => {
    test('month-to-date spend by model and by user, from this tenant\'s calls of this month only', async () => {
      const testDb = await createTestDb(kind);
      const { db } = testDb;
      try {
        const tenantId = newId();
        const other = newId();
        const ann = await user(db, tenantId, 'ann@example.test');
        const bob = await user(db, tenantId, 'bob@example.test');
        const eve = await user(db, other, 'eve@example.test');
        const calls: Call[] = [
          { tenantId, userId: ann, at: '2026-03-01T00:00:00.000Z', kind: 'anthropic', model: 'claude-sonnet-4-5', input: 1000, output: 200, cost: 6_000 },
          { tenantId, userId: ann, at: '2026-03-10T12:00:00.000Z', kind: 'anthropic', model: 'claude-sonnet-4-5', input: 2000, output: 100, cost: 7_500 },
          { tenantId, userId: bob, at: '2026-03-15T08:00:00.000Z', kind: 'anthropic', model: 'claude-sonnet-4-5', input: 500, output: 50, cost: 2_250 },
          { tenantId, userId: bob, at: '2026-03-15T08:00:01.000Z', kind: 'anthropic', model: 'claude-haiku-4-5', input: 300, output: 30, cost: 450 },
          { tenantId, userId: bob, at: '2026-03-20T08:00:00.000Z', kind: 'openai', model: 'my-gateway-model', input: 100, output: 10, cost: 3_600, estimated: true },
          // A tool call has no price and is not a model call.
          { tenantId, userId: bob, at: '2026-03-20T08:00:02.000Z', kind: 'anthropic', model: null as unknown as string, input: 0, output: 0, cost: 0, type: 'tool_call' },
          // Other months and other tenants are not in the report.
          { tenantId, userId: ann, at: '2026-02-28T23:59:59.999Z', kind: 'anthropic', model: 'claude-sonnet-4-5', input: 9, output: 9, cost: 999_999 },
          { tenantId, userId: ann, at: '2026-04-01T00:00:00.000Z', kind: 'anthropic', model: 'claude-sonnet-4-5', input: 9, output: 9, cost: 999_999 },
          { tenantId: other, userId: eve, at: '2026-03-05T00:00:00.000Z', kind: 'openai', model: 'gpt-4o', input: 9, output: 9, cost: 999_999 },
        ];
        for (const c of calls) await record(db, c);
        await db.insertInto('tenant_settings').values({
          tenant_id: tenantId, active_provider_id: null, monthly_budget_micros: 50_000_000, alert_at_pct: 75,
          per_user_monthly_budget_micros: null, max_agent_steps: 8, alert_webhook_url: null, alert_webhook_secret_id: null, alert_webhook_origin: null, config_version: 0, updated_at: '2026-03-01T00:00:00.000Z',
        }).execute();
        await db.insertInto('budget_alerts').values({ tenant_id: tenantId, month: '2026-03', threshold_pct: 75, fired_at: '2026-03-20T08:00:00.000Z', spent_micros: 37_500_000 }).execute();
        await db.insertInto('budget_alerts').values({ tenant_id: tenantId, month: '2026-02', threshold_pct: 75, fired_at: '2026-02-20T08:00:00.000Z', spent_micros: 37_500_000 }).execute();

        const report = await getUsageReport(db, tenantId, new Date('2026-03-31T23:00:00.000Z'));
        const { byDay, ...rest } = report;
        assert.equal(byDay.length, 31, 'every day of March listed');
        assert.deepEqual(byDay.filter((d) => d.costUsd > 0), [
          { date: '2026-03-01', costUsd: 0.006 },
          { date: '2026-03-10', costUsd: 0.0075 },
          { date: '2026-03-15', costUsd: 0.0027 },
          { date: '2026-03-20', costUsd: 0.0036 },
        ]);
        assert.deepEqual(rest, {
          month: '2026-03',
          spentUsd: 0.0198,
          budgetUsd: 50,
          alertAtPct: 75,
          perUserBudgetUsd: null,
          estimated: true,
          byModel: [
            { providerKind: 'anthropic', model: 'claude-sonnet-4-5', calls: 3, inputTokens: 3500, outputTokens: 350, costUsd: 0.01575, estimated: false },
            { providerKind: 'openai', model: 'my-gateway-model', calls: 1, inputTokens: 100, outputTokens: 10, costUsd: 0.0036, estimated: true },
            { providerKind: 'anthropic', model: 'claude-haiku-4-5', calls: 1, inputTokens: 300, outputTokens: 30, costUsd: 0.00045, estimated: false },
          ],
          byUser: [
            { user: { id: ann, email: 'ann@example.test' }, calls: 2, inputTokens: 3000, outputTokens: 300, costUsd: 0.0135 },
            { user: { id: bob, email: 'bob@example.test' }, calls: 3, inputTokens: 900, outputTokens: 90, costUsd: 0.0063 },
          ],
          alerts: [{ thresholdPct: 75, firedAt: '2026-03-20T08:00:00.000Z', spentUsd: 37.5 }],
        });

        const empty = await getUsageReport(db, newId(), new Date('2026-03-02T23:00:00.000Z'));
        assert.deepEqual(empty, {
          month: '2026-03', spentUsd: 0, budgetUsd: null, alertAtPct: null, perUserBudgetUsd: null, estimated: false, byModel: [], byUser: [],
          byDay: [{ date: '2026-03-01', costUsd: 0 }, { date: '2026-03-02', costUsd: 0 }], alerts: [],
        });
      } finally {
        await testDb.cleanup();
      }
    });
  });
}
