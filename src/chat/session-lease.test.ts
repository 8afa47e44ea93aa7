// The session_busy lease and crash recovery, on both databases, across two "instances" (two database
// handles): one holder at a time, a crashed holder's lease runs out, a live writer's answer is never taken.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { AppContext } from '../app-context.ts';
import { seedTenant } from '../testing/factories.ts';
import { createTestContext, type TestContext } from '../testing/test-context.ts';
import { dialectsUnderTest } from '../testing/test-db.ts';
import { insertSession as insertSessionRow } from '../testing/chat-factories.ts';
import { startExchange } from './chat-messages.ts';
import { MessageWriter } from './message-writer.ts';
import { recoverInterrupted } from './recover-interrupted.ts';
import { acquireLease, releaseLease, renewLease } from './session-lease.ts';

const TIMING = { ttlMs: 15_000, renewEveryMs: 5_000 };

async function insertSession(ctx: TestContext): Promise<{ tenantId: string; sessionId: string }> {
  const { tenant, admin } = await seedTenant(ctx);
  const now = ctx.clock.now().toISOString();
  const { id: sessionId } = await insertSessionRow(ctx.db, {
    tenantId: tenant.id, userId: admin.id, title: null, model_orchestrator: 'm', model_fast: 'f', status: 'in_flight', created_at: now, last_activity_at: now,
  });
  return { tenantId: tenant.id, sessionId };
}

for (const kind of dialectsUnderTest()) {
  describe(`session lease (${kind})`, () => {
    it('is held by one writer across instances until released or expired', async () => {
      // Two handles on one database: SQLite needs a file for that (":memory:" is private to a handle).
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-lease-'));
      const ctx = await createTestContext(kind, { sqlitePath: path.join(dir, 'mosaic.db') });
      const other = ctx.testDb.reopen();
      const second: Pick<AppContext, 'db' | 'clock' | 'logger'> = { db: other.db, clock: ctx.clock, logger: ctx.logger };
      try {
        const { tenantId, sessionId } = await insertSession(ctx);
        const held = await acquireLease(ctx, tenantId, sessionId, TIMING);
        assert.ok(held);
        assert.equal(await acquireLease(second, tenantId, sessionId, TIMING), null, 'the other instance sees the session busy');
        ctx.clock.advance(10_000);
        assert.equal(await renewLease(ctx, held, TIMING), true);
        ctx.clock.advance(10_000);
        assert.equal(await acquireLease(second, tenantId, sessionId, TIMING), null, 'renewed: still busy');
        ctx.clock.advance(16_000);
        const taken = await acquireLease(second, tenantId, sessionId, TIMING);
        assert.ok(taken, 'a lease nobody renews runs out');
        assert.equal(await renewLease(ctx, held, TIMING), false, 'the old holder lost it');
        await releaseLease(ctx, held);
        assert.equal(await acquireLease(ctx, tenantId, sessionId, TIMING), null, "the old holder cannot release the new holder's lease");
        await releaseLease(second, taken);
        assert.ok(await acquireLease(ctx, tenantId, sessionId, TIMING));
      } finally {
        await other.db.destroy();
        await ctx.cleanup();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('stores an exchange only under the lease, numbering messages on from the last one', async () => {
      const ctx = await createTestContext(kind);
      try {
        const s = await insertSession(ctx);
        const input = { tenantId: s.tenantId, sessionId: s.sessionId, content: 'q', model: 'm', timing: TIMING };
        const first = (await startExchange(ctx, input))!;
        assert.equal(first.assistantSeq, 2);
        assert.equal(await startExchange(ctx, input), null, 'busy: the lease is held');
        let refused = false;
        assert.equal(await startExchange(ctx, { ...input, underLease: async () => { refused = true; throw new Error('refused'); } }), null);
        assert.equal(refused, false, 'a busy session runs nothing under the lease');
        await new MessageWriter(ctx, { tenantId: s.tenantId, messageId: first.assistantMessageId, lease: first.lease, timing: TIMING }).finish({ status: 'complete', usage: { inputTokens: 0, outputTokens: 0 }, model: 'm' });
        await assert.rejects(startExchange(ctx, { ...input, underLease: async () => { throw new Error('refused'); } }), /refused/);
        const row = await ctx.db.selectFrom('chat_sessions').select(['lease_owner', 'turns']).where('id', '=', s.sessionId).executeTakeFirstOrThrow();
        assert.deepEqual(row, { lease_owner: null, turns: 1 }, 'a refused turn rolls back its lease and counters');
        const second = (await startExchange(ctx, input))!;
        assert.equal(second.assistantSeq, 4);
        const seqs = await ctx.db.selectFrom('chat_messages').select('seq').where('session_id', '=', s.sessionId).orderBy('seq').execute();
        assert.deepEqual(seqs.map((r) => r.seq), [1, 2, 3, 4]);
      } finally {
        await ctx.cleanup();
      }
    });

    it('recovery marks only answers whose lease expired as interrupted, keeping their partial text', async () => {
      const ctx = await createTestContext(kind);
      try {
        const dead = await insertSession(ctx);
        const live = await insertSession(ctx);
        const exchanges = [];
        for (const s of [dead, live]) {
          const exchange = (await startExchange(ctx, { tenantId: s.tenantId, sessionId: s.sessionId, content: 'q', model: 'm', timing: TIMING }))!;
          const writer = new MessageWriter(ctx, { tenantId: s.tenantId, messageId: exchange.assistantMessageId, lease: exchange.lease, timing: TIMING, flushMs: 10 });
          writer.appendText('partial answer');
          await new Promise((resolve) => setTimeout(resolve, 60));
          exchanges.push({ ...s, exchange, writer });
        }
        // The "dead" instance stops renewing; time passes beyond its lease; the live one renews.
        ctx.clock.advance(20_000);
        assert.equal(await renewLease(ctx, { tenantId: live.tenantId, sessionId: live.sessionId, owner: (await ctx.db.selectFrom('chat_sessions').select('lease_owner').where('id', '=', live.sessionId).executeTakeFirstOrThrow()).lease_owner! }, TIMING), true);
        assert.equal(await recoverInterrupted(ctx), 1);
        const status = async (id: string) => ctx.db.selectFrom('chat_messages').select(['status', 'content']).where('id', '=', id).executeTakeFirstOrThrow();
        assert.deepEqual(await status(exchanges[0]!.exchange.assistantMessageId), { status: 'interrupted', content: 'partial answer' });
        assert.equal((await status(exchanges[1]!.exchange.assistantMessageId)).status, 'streaming');
        const deadSession = await ctx.db.selectFrom('chat_sessions').select(['lease_owner', 'lease_expires_at']).where('id', '=', dead.sessionId).executeTakeFirstOrThrow();
        assert.deepEqual(deadSession, { lease_owner: null, lease_expires_at: null });
        assert.ok(await acquireLease(ctx, dead.tenantId, dead.sessionId, TIMING), 'the session takes a new message');
        await exchanges[1]!.writer.finish({ status: 'complete', usage: { inputTokens: 1, outputTokens: 2 }, model: 'm' });
        assert.equal((await status(exchanges[1]!.exchange.assistantMessageId)).status, 'complete');
        await exchanges[0]!.writer.finish({ status: 'interrupted', usage: { inputTokens: 0, outputTokens: 0 } });
      } finally {
        await ctx.cleanup();
      }
    });
  });
}
