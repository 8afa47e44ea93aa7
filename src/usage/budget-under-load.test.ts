// Issue 6's promise, end to end: 50 chat turns fired at once over real sockets against a budget that
// allows only some of them. The recorded spend never exceeds the budget, the rest are refused with
// budget_exhausted, and each alert fires exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dialectsUnderTest } from '../testing/test-db.ts';
import { addProvider, api, createChatSession, postMessageStream, providerCase, readSse, startChatKit } from '../chat/testing/chat-test-kit.ts';

const TURNS = 50;
// A turn reserves about $0.067 (4,096 output tokens at $15/MTok plus its input) and really costs about
// $0.002, so this budget lets four reservations in at a time: of 50 arriving together, a few run and the
// rest are refused.
const BUDGET_USD = 0.3;

for (const kind of dialectsUnderTest()) {
  test(`${kind}: ${TURNS} concurrent chat turns never overspend the budget, the rest get budget_exhausted, alerts fire once`, async () => {
    // Cheap flows off: each turn is then exactly one model call, so the counts below are exact.
    const kit = await startChatKit(kind, { env: { MOSAIC_CHEAP_FLOWS: '0' } });
    try {
      await addProvider(kit, providerCase('anthropic'));
      const limits = await api(kit, 'PUT', '/api/admin/ai/limits', { monthlyBudgetUsd: BUDGET_USD, alertAtPct: 1, perUserMonthlyBudgetUsd: null, maxAgentSteps: 8 });
      assert.equal(limits.status, 200, JSON.stringify(limits.json));

      const sessions = await Promise.all(Array.from({ length: TURNS }, () => createChatSession(kit)));
      const outcomes = await Promise.all(
        sessions.map(async (sessionId, i) => {
          const res = await postMessageStream(kit, sessionId, `[[sim:no-tools]] How did sales go in month ${i + 1}?`);
          if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
            const body = (await res.json()) as { error: { code: string } };
            return { status: res.status, code: body.error.code };
          }
          const names: string[] = [];
          let code: string | null = null;
          for await (const event of readSse(res.body!)) {
            names.push(event.event);
            if (event.event === 'error') code = event.data.error.code;
          }
          return { status: res.status, code: code ?? (names.includes('message-end') ? 'complete' : 'unfinished') };
        }),
      );

      const completed = outcomes.filter((o) => o.code === 'complete').length;
      const refused = outcomes.filter((o) => o.status === 402 && o.code === 'budget_exhausted').length;
      assert.ok(completed >= 1, `some turns fit the budget: ${JSON.stringify(outcomes)}`);
      assert.ok(refused >= 1, `some turns were refused: ${JSON.stringify(outcomes)}`);
      assert.equal(completed + refused, TURNS, `every turn either completed or was refused with 402 budget_exhausted: ${JSON.stringify(outcomes)}`);

      const usage = await api(kit, 'GET', '/api/admin/ai/usage');
      console.log(`${kind}: ${completed} completed, ${refused} refused, spent $${usage.json.spentUsd} of $${BUDGET_USD}`);
      assert.equal(usage.status, 200);
      assert.ok(usage.json.spentUsd > 0);
      assert.ok(usage.json.spentUsd <= BUDGET_USD, `spent ${usage.json.spentUsd} must not exceed the budget ${BUDGET_USD}`);
      const ledger = await kit.t.ctx.db.selectFrom('budget_ledger').selectAll().where('tenant_id', '=', kit.seeded.tenant.id).where('scope', '=', 'tenant').executeTakeFirstOrThrow();
      assert.ok(ledger.spent_micros <= BUDGET_USD * 1e6, `ledger spend ${ledger.spent_micros} µ$ within the budget`);
      assert.equal(ledger.reserved_micros, 0, 'every reservation was settled or released');
      const calls = await kit.t.ctx.db.selectFrom('call_records').select('id').where('tenant_id', '=', kit.seeded.tenant.id).where('type', '=', 'model_call').execute();
      assert.equal(calls.length, completed, 'one recorded model call per completed turn, none for refused ones');

      // Alerts are raised after settlement, in the background: give them a moment to land.
      const deadline = Date.now() + 3_000;
      let alerts: Array<{ threshold_pct: number }> = [];
      while (Date.now() < deadline) {
        alerts = await kit.t.ctx.db.selectFrom('budget_alerts').select('threshold_pct').where('tenant_id', '=', kit.seeded.tenant.id).execute();
        if (alerts.length >= 2) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.deepEqual(alerts.map((a) => Number(a.threshold_pct)).sort((a, b) => a - b), [1, 100], "the 1 % alert and the 100 % alert, once each");
      const audited = await kit.t.ctx.db.selectFrom('audit_events').select('details').where('tenant_id', '=', kit.seeded.tenant.id).where('action', '=', 'budget.alert').execute();
      assert.equal(audited.length, 2, 'one audit event per alert');
    } finally {
      await kit.close();
    }
  });
}
