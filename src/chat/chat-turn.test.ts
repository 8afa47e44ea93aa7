// A turn's first model call is reserved in the transaction that stores the user's message (issue 8: one
// commit fewer). The reservation is the call's, settled with it; a turn that stops before that call
// hands it back, so nothing stays reserved against the budget.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
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

    // The last call's settlement and record commit with the answer's final row (one transaction). If that
    // transaction fails, none of it committed: the answer is still stored with its error, and the call is
    // still settled and recorded on its own. A trigger refusing `complete` makes it fail for real.
    it('a failed final transaction still stores the error and settles and records the call', async () => {
      const db = kit.t.ctx.db;
      if (kind === 'sqlite') {
        await sql`create trigger refuse_complete before update of status on chat_messages when new.status = 'complete' begin select raise(abort, 'refused by the test'); end`.execute(db);
      } else {
        await sql`create or replace function refuse_complete() returns trigger language plpgsql as $$ begin raise exception 'refused by the test'; end $$`.execute(db);
        await sql`create trigger refuse_complete before update of status on chat_messages for each row when (new.status = 'complete') execute function refuse_complete()`.execute(db);
      }
      try {
        const spentBefore = (await ledger()).map((row) => Number(row.spent_micros));
        const outcome = await turn(new AbortController().signal);
        assert.equal(outcome.ok, false);
        assert.equal(!outcome.ok && outcome.error.code, 'internal_error');
        const answer = await db.selectFrom('chat_messages').select(['status', 'error_code', 'content']).where('id', '=', outcome.messageId).executeTakeFirstOrThrow();
        assert.equal(answer.status, 'error');
        assert.equal(answer.error_code, 'internal_error');
        assert.notEqual(answer.content, '', 'the answer text is kept');
        const calls = await db.selectFrom('call_records').select(['outcome', 'cost_micros']).where('message_id', '=', outcome.messageId).where('type', '=', 'model_call').execute();
        assert.equal(calls.length, 1, 'the call is recorded once');
        assert.ok(Number(calls[0]!.cost_micros) > 0);
        assert.equal(await openReservations(), 0, 'the reservation is settled');
        const spentAfter = (await ledger()).map((row) => Number(row.spent_micros));
        spentAfter.forEach((spent, i) => assert.ok(spent > spentBefore[i]!, 'the spend is recorded'));
        const session = await db.selectFrom('chat_sessions').select('lease_owner').where('id', '=', (await db.selectFrom('chat_messages').select('session_id').where('id', '=', outcome.messageId).executeTakeFirstOrThrow()).session_id).executeTakeFirstOrThrow();
        assert.equal(session.lease_owner, null, 'the lease is released');
      } finally {
        await sql`drop trigger refuse_complete${kind === 'sqlite' ? sql`` : sql` on chat_messages`}`.execute(db);
        if (kind !== 'sqlite') await sql`drop function refuse_complete()`.execute(db);
      }
    });
  });
}
