// A turn's first model call is reserved in the transaction that stores the user's message (issue 8: one
// commit fewer). The reservation is the call's, settled with it; a turn that stops before that call
// hands it back, so nothing stays reserved against the budget.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toolsForTenant } from './chat-tools.ts';
import { runChatTurn } from './chat-turn.ts';
import { silentTurnReporter } from './sse-turn-reporter.ts';
import { ClientGone } from './chat-errors.ts';
import { addProvider, api, createChatSession, providerCase, startChatKit, type ChatKit } from './testing/chat-test-kit.ts';
import { dialectsUnderTest } from '../testing/test-db.ts';

for (const kind of dialectsUnderTest()) {
  describe(`${kind}: the first call's reservation made with the exchange`, () => {
    let kit: ChatKit;
    before(async () => {
      kit = await startChatKit(kind, { env: { MOSAIC_CHEAP_FLOWS: '0' } });
      await addProvider(kit, providerCase('anthropic'), { activate: true });
      const limits = await api(kit, 'PUT', '/api/admin/ai/limits', { monthlyBudgetUsd: 100, alertAtPct: 80, perUserMonthlyBudgetUsd: 50, maxAgentSteps: 8 });
      assert.equal(limits.status, 200, JSON.stringify(limits.json));
    });
    after(() => kit.close());

    const ledger = () => kit.t.ctx.db.selectFrom('budget_ledger').select(['scope', 'spent_micros', 'reserved_micros']).where('tenant_id', '=', kit.seeded.tenant.id).execute();
    const openReservations = async () => (await kit.t.ctx.db.selectFrom('budget_reservations').select('id').where('tenant_id', '=', kit.seeded.tenant.id).where('settled_at', 'is', null).execute()).length;
    const turn = async (signal: AbortSignal) => {
      const sessionId = await createChatSession(kit);
      const session = await kit.t.ctx.db.selectFrom('chat_sessions').selectAll().where('id', '=', sessionId).executeTakeFirstOrThrow();
      return runChatTurn(kit.t.ctx, { session, content: '[[sim:no-tools]] Hello', reporter: silentTurnReporter, signal, tools: (tenantId) => toolsForTenant(kit.t.ctx, tenantId) });
    };

    it('a completed turn settles it: spend recorded on both scopes, nothing left reserved', async () => {
      const outcome = await turn(new AbortController().signal);
      assert.equal(outcome.ok, true);
      const rows = await ledger();
      assert.equal(rows.length, 2);
      for (const row of rows) {
        assert.equal(Number(row.reserved_micros), 0, `${row.scope}: nothing reserved`);
        assert.ok(Number(row.spent_micros) > 0, `${row.scope}: spend recorded`);
      }
      assert.equal(await openReservations(), 0);
    });

    it('a turn that stops before its first call hands the reservation back', async () => {
      const before = await ledger();
      const gone = new AbortController();
      gone.abort(new ClientGone());
      const outcome = await turn(gone.signal);
      assert.equal(outcome.ok, false);
      assert.equal(!outcome.ok && outcome.interrupted, true);
      assert.deepEqual(await ledger(), before, 'the ledger is as it was');
      assert.equal(await openReservations(), 0);
    });
  });
}
