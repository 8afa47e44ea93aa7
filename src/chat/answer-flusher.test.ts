// The shared flusher, on both databases: every streaming answer's partial text reaches its row within a
// few intervals, leases are renewed by it, a failed batch is written again at the next tick, and the
// final write goes after any batch in flight.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { insertSession } from '../testing/chat-factories.ts';
import { seedTenant } from '../testing/factories.ts';
import { createTestContext, type TestContext } from '../testing/test-context.ts';
import { dialectsUnderTest } from '../testing/test-db.ts';
import { answerFlusherFor } from './answer-flusher.ts';
import { startExchange } from './chat-messages.ts';
import { MessageWriter } from './message-writer.ts';

const FLUSH_MS = 10;

async function streamingAnswer(ctx: TestContext, timing = { ttlMs: 15_000, renewEveryMs: 5_000 }) {
  const { tenant, admin } = await seedTenant(ctx);
  const now = ctx.clock.now().toISOString();
  const { id: sessionId } = await insertSession(ctx.db, {
    tenantId: tenant.id, userId: admin.id, title: null, model_orchestrator: 'm', model_fast: 'f', status: 'in_flight', created_at: now, last_activity_at: now,
  });
  const exchange = (await startExchange(ctx, { tenantId: tenant.id, sessionId, content: 'q', model: 'm', timing }))!;
  const writer = new MessageWriter(ctx, { tenantId: tenant.id, messageId: exchange.assistantMessageId, lease: exchange.lease, timing, flushMs: FLUSH_MS });
  return { sessionId, writer };
}

const usage = { inputTokens: 0, outputTokens: 0 };

for (const kind of dialectsUnderTest()) {
  describe(`answer flusher (${kind})`, () => {
    const row = (ctx: TestContext, id: string) => ctx.db.selectFrom('chat_messages').select(['status', 'content']).where('id', '=', id).executeTakeFirstOrThrow();

    it('saves every streaming answer as it grows and renews their leases', async () => {
      const ctx = await createTestContext(kind);
      try {
        const timing = { ttlMs: 15_000, renewEveryMs: 30 };
        const answers = await Promise.all([streamingAnswer(ctx, timing), streamingAnswer(ctx, timing), streamingAnswer(ctx, timing)]);
        answers.forEach((a, i) => a.writer.appendText(`partial ${i}`));
        ctx.clock.advance(60_000);
        await sleep(FLUSH_MS * 8);
        for (const [i, a] of answers.entries()) {
          assert.deepEqual(await row(ctx, a.writer.messageId), { status: 'streaming', content: `partial ${i}` });
          const session = await ctx.db.selectFrom('chat_sessions').select('lease_expires_at').where('id', '=', a.sessionId).executeTakeFirstOrThrow();
          assert.equal(session.lease_expires_at, new Date(ctx.clock.now().getTime() + timing.ttlMs).toISOString(), 'renewed from the advanced clock');
        }
        answers[0]!.writer.appendText(' and more');
        await sleep(FLUSH_MS * 8);
        assert.equal((await row(ctx, answers[0]!.writer.messageId)).content, 'partial 0 and more');
        for (const a of answers) await a.writer.finish({ status: 'complete', usage, model: 'm' });
        assert.deepEqual(await row(ctx, answers[1]!.writer.messageId), { status: 'complete', content: 'partial 1' });
      } finally {
        await ctx.cleanup();
      }
    });

    it('writes an answer again at the next tick when its batch failed', async () => {
      const ctx = await createTestContext(kind);
      try {
        const { writer } = await streamingAnswer(ctx);
        // Another source in the same batch fails once: the whole transaction rolls back, the writer's too.
        let failures = 0;
        const flusher = answerFlusherFor(ctx.db, ctx.logger, FLUSH_MS);
        const failing = {
          due: () => failures === 0,
          takePartial: () => null,
          renewIn: async () => {
            failures++;
            throw new Error('disk full');
          },
          failed: () => {},
        };
        flusher.add(failing);
        writer.appendText('kept');
        await sleep(FLUSH_MS * 8);
        flusher.remove(failing);
        assert.equal(failures, 1);
        assert.deepEqual(await row(ctx, writer.messageId), { status: 'streaming', content: 'kept' });
        await writer.finish({ status: 'interrupted', usage });
      } finally {
        await ctx.cleanup();
      }
    });

    it('finishes after a batch in flight, so the final state is what stays', async () => {
      const ctx = await createTestContext(kind);
      try {
        const { sessionId, writer } = await streamingAnswer(ctx);
        for (let i = 0; i < 20; i++) {
          writer.appendText(`${i} `);
          await sleep(FLUSH_MS / 2);
        }
        writer.appendText('end');
        // Finished inside a transaction that makes one more write (as the last call's settlement does).
        await writer.finishWithin({ status: 'complete', usage, model: 'm' }, (work) =>
          ctx.db.transaction().execute(async (trx) => {
            await work(trx);
            await trx.updateTable('chat_sessions').set({ title: 'written with the answer' }).where('id', '=', sessionId).execute();
          }),
        );
        await sleep(FLUSH_MS * 4);
        const expected = `${Array.from({ length: 20 }, (_, i) => `${i} `).join('')}end`;
        assert.deepEqual(await row(ctx, writer.messageId), { status: 'complete', content: expected });
        const session = await ctx.db.selectFrom('chat_sessions').select(['lease_owner', 'title']).where('id', '=', sessionId).executeTakeFirstOrThrow();
        assert.deepEqual(session, { lease_owner: null, title: 'written with the answer' }, 'the lease is released, and the extra write made, with the final write');
      } finally {
        await ctx.cleanup();
      }
    });
  });
}
