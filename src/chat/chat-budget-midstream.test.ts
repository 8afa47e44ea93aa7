// Issue 6: a budget refusal after the stream has started is one `error` event with budget_exhausted —
// not a 402 — and the partial answer is stored as error. The budget is set so that the agent's first
// step fits and its second (a longer request: the tool result is in it) does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dialectsUnderTest } from '../testing/test-db.ts';
import { addProvider, api, createChatSession, getSession, providerCase, sendMessage, startChatKit } from './testing/chat-test-kit.ts';

const QUESTION = 'What tables are there?';

for (const kind of dialectsUnderTest()) {
  test(`${kind}: a later agent step refused by the budget ends the stream with an error event`, async () => {
    const kit = await startChatKit(kind, { env: { MOSAIC_CHEAP_FLOWS: '0' } });
    try {
      await addProvider(kit, providerCase('anthropic'));
      const db = kit.t.ctx.db;
      const tenantId = kit.seeded.tenant.id;

      // Calibrate with no budget: the same question's two steps (describe_dataset, then the answer).
      const calibration = await sendMessage(kit, await createChatSession(kit), QUESTION);
      assert.ok(calibration.events.some((e) => e.event === 'message-end'));
      const reservations = (await db.selectFrom('budget_reservations').select('amount_micros').where('tenant_id', '=', tenantId).execute())
        .map((r) => Number(r.amount_micros))
        .sort((a, b) => a - b);
      assert.equal(reservations.length, 2, 'two model calls, two reservations');
      const [firstStep, secondStep] = reservations as [number, number];
      assert.ok(secondStep > firstStep, 'the second request carries the tool result, so it reserves more');
      const spentBefore = Number((await db.selectFrom('budget_ledger').select('spent_micros').where('tenant_id', '=', tenantId).where('scope', '=', 'tenant').executeTakeFirstOrThrow()).spent_micros);

      // Room for exactly the first step's reservation: after it settles, the second cannot fit.
      const budgetMicros = spentBefore + firstStep;
      const limits = await api(kit, 'PUT', '/api/admin/ai/limits', { monthlyBudgetUsd: budgetMicros / 1e6, alertAtPct: null, perUserMonthlyBudgetUsd: null, maxAgentSteps: 8 });
      assert.equal(limits.status, 200, JSON.stringify(limits.json));

      const sessionId = await createChatSession(kit);
      const refused = await sendMessage(kit, sessionId, QUESTION);
      assert.equal(refused.status, 200, 'the stream had started');
      const names = refused.events.map((e) => e.event);
      assert.equal(names[0], 'message-start');
      assert.ok(names.includes('tool-call') && names.includes('tool-result'), names.join(','));
      assert.equal(names.includes('message-end'), false);
      const errors = refused.events.filter((e) => e.event === 'error');
      assert.equal(errors.length, 1);
      assert.equal(errors[0]!.data.error.code, 'budget_exhausted');
      assert.equal(names.at(-1), 'error', 'the error event ends the stream');

      const stored = await getSession(kit, sessionId);
      const answer = stored.json.messages[1];
      assert.equal(answer.status, 'error');
      assert.equal(answer.errorCode, 'budget_exhausted');
      assert.ok(answer.parts.some((p: { type: string }) => p.type === 'tool-call'), 'the first step is kept');

      const ledger = await db.selectFrom('budget_ledger').selectAll().where('tenant_id', '=', tenantId).where('scope', '=', 'tenant').executeTakeFirstOrThrow();
      assert.ok(Number(ledger.spent_micros) <= budgetMicros, `spent ${ledger.spent_micros} within ${budgetMicros}`);
      assert.equal(Number(ledger.reserved_micros), 0);
    } finally {
      await kit.close();
    }
  });
}
