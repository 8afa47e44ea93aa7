import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { newId } from '../ids.ts';
import { createTestContext, type TestContext } from '../testing/test-context.ts';
import { dialectsUnderTest } from '../testing/test-db.ts';
import { raiseBudgetAlerts, type BudgetAlertPayload } from './budget-alerts.ts';
import { readLedger, TENANT_SCOPE } from './budget-ledger.ts';
import { reserveCall, settleCall } from './budget-guard.ts';
import { WEBHOOK_SECRET_PURPOSE } from './sealed-webhook.ts';
import { Secret } from '../vault/secret.ts';

async function setBudget(ctx: TestContext, tenantId: string, budgetMicros: number | null, alertAtPct: number | null, webhook: string | null = null) {
  // The webhook URL sealed in the vault, as putLimits stores it.
  const secretId = webhook === null ? null : await ctx.vault.storeSecret(ctx.db, tenantId, WEBHOOK_SECRET_PURPOSE, new Secret(webhook));
  await ctx.db
    .insertInto('tenant_settings')
    .values({
      tenant_id: tenantId, active_provider_id: null, monthly_budget_micros: budgetMicros, alert_at_pct: alertAtPct,
      per_user_monthly_budget_micros: null, max_agent_steps: 8, alert_webhook_url: null, alert_webhook_secret_id: secretId,
      alert_webhook_origin: webhook === null ? null : new URL(webhook).origin, config_version: 0, updated_at: ctx.clock.now().toISOString(),
    })
    .execute();
}

async function alertRows(ctx: TestContext, tenantId: string) {
  const alerts = await ctx.db.selectFrom('budget_alerts').selectAll().where('tenant_id', '=', tenantId).orderBy('threshold_pct').execute();
  const audits = await ctx.db.selectFrom('audit_events').selectAll().where('tenant_id', '=', tenantId).where('action', '=', 'budget.alert').execute();
  return { alerts, audits };
}

async function webhookServer(status = 204) {
  const received: BudgetAlertPayload[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body) as BudgetAlertPayload);
      res.writeHead(status, { connection: 'close' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T123/secret-path-token`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

for (const kind of dialectsUnderTest()) {
  describe(`budget alerts on ${kind}`, () => {
    test('each threshold fires exactly once per month, whoever races for it (two instances)', async () => {
      const ctx = await createTestContext(kind, { clockStart: '2026-05-20T10:00:00.000Z' });
      const second = kind === 'postgres' ? ctx.testDb.reopen() : null;
      const hook = await webhookServer();
      try {
        const tenantId = newId();
        await setBudget(ctx, tenantId, 10_000_000, 80, hook.url);
        // Below the threshold: nothing.
        assert.deepEqual((await raiseBudgetAlerts(ctx, { tenantId, month: '2026-05', spentMicros: 7_999_999 })).fired, []);

        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            raiseBudgetAlerts(second && i % 2 ? { ...ctx, db: second.db } : ctx, { tenantId, month: '2026-05', spentMicros: 8_000_000 + i }),
          ),
        );
        assert.deepEqual(results.flatMap((r) => r.fired), [80]);
        await Promise.all(results.map((r) => r.delivery));

        const at100 = await Promise.all(
          Array.from({ length: 10 }, () => raiseBudgetAlerts(ctx, { tenantId, month: '2026-05', spentMicros: 10_000_000 })),
        );
        assert.deepEqual(at100.flatMap((r) => r.fired), [100]);
        await Promise.all(at100.map((r) => r.delivery));

        const { alerts, audits } = await alertRows(ctx, tenantId);
        assert.deepEqual(alerts.map((a) => [a.month, a.threshold_pct]), [['2026-05', 80], ['2026-05', 100]]);
        assert.equal(audits.length, 2);
        const details = JSON.parse(audits.find((a) => a.details.includes('"thresholdPct":80'))!.details) as Record<string, unknown>;
        assert.equal(details.month, '2026-05');
        assert.equal(details.budgetUsd, 10);
        assert.equal(audits[0]!.actor_id, null);

        // The webhook got one POST per alert, with the figures.
        assert.deepEqual(hook.received.map((p) => [p.type, p.thresholdPct, p.budgetUsd]).sort(), [['budget.alert', 100, 10], ['budget.alert', 80, 10]]);
        // The server log has one warning per alert, and never the webhook's secret path.
        const warnings = ctx.logs.filter((l) => l.includes('AI budget alert'));
        assert.equal(warnings.length, 2);
        assert.ok(!ctx.logs.join('').includes('secret-path-token'));

        // Next month starts afresh.
        assert.deepEqual((await raiseBudgetAlerts(ctx, { tenantId, month: '2026-06', spentMicros: 9_000_000 })).fired, [80]);
      } finally {
        await hook.close();
        await second?.db.destroy();
        await ctx.cleanup();
      }
    });

    test('50 concurrent calls through the budget guard: spend within budget, refusals, each alert once', async () => {
      const ctx = await createTestContext(kind, { clockStart: '2026-05-20T10:00:00.000Z' });
      try {
        const tenantId = newId();
        // gpt-4o-mini: a worst case of (1000 bytes + hidden 1024) × 0.15 + 2000 × 0.6 = 1,504 µ$.
        await setBudget(ctx, tenantId, 30_000, 50);
        const outcomes = await Promise.all(
          Array.from({ length: 50 }, async (_, i) => {
            const r = await reserveCall(ctx, {
              tenantId, userId: `u${i % 3}`, kind: 'openai', model: 'gpt-4o-mini', inputUtf8Bytes: 1000, maxOutputTokens: 2000,
            });
            if (!r.ok) return { ok: false as const, code: r.error.code, status: r.error.status };
            await sleep(i % 4);
            const settled = await settleCall(ctx, r.reservation, { inputTokens: 400, outputTokens: 1500 });
            return { ok: true as const, cost: settled.costMicros };
          }),
        );
        const accepted = outcomes.filter((o) => o.ok);
        const refused = outcomes.filter((o) => !o.ok);
        assert.ok(accepted.length >= 19 && refused.length > 0, `${accepted.length} accepted`);
        assert.ok(refused.every((o) => o.code === 'budget_exhausted' && o.status === 402));
        const ledger = await readLedger(ctx.db, tenantId, TENANT_SCOPE, '2026-05');
        assert.equal(ledger.spentMicros, accepted.reduce((s, o) => s + (o.ok ? o.cost : 0), 0));
        assert.ok(ledger.spentMicros <= 30_000);
        // Alerts run in the background; wait for them to land, then make sure nothing more comes.
        for (let i = 0; i < 100 && (await alertRows(ctx, tenantId)).audits.length < 2; i++) await sleep(20);
        await sleep(100);
        const { alerts, audits } = await alertRows(ctx, tenantId);
        assert.deepEqual(alerts.map((a) => a.threshold_pct), [50, 100]);
        assert.equal(audits.length, 2);
      } finally {
        await ctx.cleanup();
      }
    });
  });
}

test('a webhook to a private address is refused (upstream_not_allowed) and logged when private upstreams are off', async () => {
  const ctx = await createTestContext('sqlite', { env: { MOSAIC_ALLOW_PRIVATE_UPSTREAMS: '0' } });
  const hook = await webhookServer();
  try {
    const tenantId = newId();
    // Saved while the operator allowed private upstreams; the guard applies again at sending time.
    await setBudget(ctx, tenantId, 1_000_000, 50, hook.url);
    const raised = await raiseBudgetAlerts(ctx, { tenantId, month: '2026-01', spentMicros: 600_000 });
    assert.deepEqual(raised.fired, [50]);
    await raised.delivery;
    assert.equal(hook.received.length, 0);
    const line = ctx.logs.find((l) => l.includes('budget alert webhook could not be delivered'));
    assert.ok(line, 'the refusal is logged');
    assert.equal((JSON.parse(line) as { code: string }).code, 'upstream_not_allowed');
    assert.ok(!line.includes('secret-path-token'));
    // The alert itself still stands: audit and Overview do not depend on the webhook.
    assert.equal((await alertRows(ctx, tenantId)).audits.length, 1);
  } finally {
    await hook.close();
    await ctx.cleanup();
  }
});

test('a webhook that answers with an error status is logged, and the alert stands', async () => {
  const ctx = await createTestContext('sqlite');
  const hook = await webhookServer(500);
  try {
    const tenantId = newId();
    await setBudget(ctx, tenantId, 1_000_000, 50, hook.url);
    const raised = await raiseBudgetAlerts(ctx, { tenantId, month: '2026-01', spentMicros: 600_000 });
    await raised.delivery;
    assert.equal(hook.received.length, 1);
    assert.ok(ctx.logs.some((l) => l.includes('budget alert webhook answered with an error status')));
    assert.equal((await alertRows(ctx, tenantId)).alerts.length, 1);
  } finally {
    await hook.close();
    await ctx.cleanup();
  }
});
