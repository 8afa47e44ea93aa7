// One tick's partial answers in one statement, on both databases: every row gets its own text, another
// tenant's row with the same id is not touched, and a finished row is never set back to a partial.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { insertMessage, insertSession } from '../testing/chat-factories.ts';
import { seedTenant } from '../testing/factories.ts';
import { createTestContext } from '../testing/test-context.ts';
import { dialectsUnderTest } from '../testing/test-db.ts';
import { savePartialAnswers, type PartialAnswer } from './partial-answers.ts';

for (const kind of dialectsUnderTest()) {
  describe(`savePartialAnswers (${kind})`, () => {
    it('writes 150 answers, each its own text, and leaves finished rows and other tenants alone', async () => {
      const ctx = await createTestContext(kind);
      try {
        const { tenant, admin } = await seedTenant(ctx);
        const session = await insertSession(ctx.db, { tenantId: tenant.id, userId: admin.id });
        const streaming = [];
        for (let seq = 1; seq <= 150; seq++) {
          streaming.push(await insertMessage(ctx.db, { session, seq, role: 'assistant', content: '', status: 'streaming' }));
        }
        const finished = await insertMessage(ctx.db, { session, seq: 151, role: 'assistant', content: 'final answer', status: 'complete' });
        const rows: PartialAnswer[] = [...streaming, finished].map((m, i) => ({
          tenantId: tenant.id,
          id: m.id,
          content: `partial ${i} — “quoted” ${'x'.repeat(i)}`,
          parts: JSON.stringify([{ type: 'text', text: `partial ${i}` }]),
          updatedAt: '2026-12-04T10:00:00.000Z',
        }));
        // The same ids under another tenant: never matched.
        const other = rows.map((r) => ({ ...r, tenantId: 'another-tenant', content: 'wrong tenant' }));
        await ctx.db.transaction().execute(async (trx) => {
          await savePartialAnswers(trx, rows.slice(0, 100));
          await savePartialAnswers(trx, rows.slice(100));
          await savePartialAnswers(trx, other);
          await savePartialAnswers(trx, []);
        });
        const stored = await ctx.db.selectFrom('chat_messages').select(['id', 'content', 'parts', 'status', 'updated_at']).where('session_id', '=', session.id).orderBy('seq').execute();
        for (const [i, row] of stored.slice(0, 150).entries()) {
          assert.deepEqual(row, { id: streaming[i]!.id, content: rows[i]!.content, parts: rows[i]!.parts, status: 'streaming', updated_at: '2026-12-04T10:00:00.000Z' });
        }
        assert.equal(stored[150]!.content, 'final answer', 'a finished row keeps its final text');
        assert.equal(stored[150]!.status, 'complete');
      } finally {
        await ctx.cleanup();
      }
    });
  });
}
