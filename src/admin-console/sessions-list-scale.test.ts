// AI Sessions at 100,000 sessions: a page deep in the list answers as fast as the first, because the
// query seeks the (tenant_id, created_at, id) index at the cursor instead of skipping rows.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery } from 'kysely';
import type { ChatSessionRow } from '../db/schema.ts';
import { sessionRow } from '../testing/chat-factories.ts';
import { createUser, seedTenant } from '../testing/factories.ts';
import { createTestContext, type TestContext } from '../testing/test-context.ts';
import { dialectsUnderTest } from '../testing/test-db.ts';
import { encodeCursor } from './cursor.ts';
import { listSessions, sessionsPageQuery } from './sessions-list.ts';

const SESSIONS = 100_000;
const BATCH = 1_000;
const START = Date.parse('2025-01-01T00:00:00.000Z');

for (const kind of dialectsUnderTest()) {
  describe(`${kind}: AI Sessions at ${SESSIONS.toLocaleString('en')} sessions`, () => {
    let ctx: TestContext;
    let tenantId: string;
    let userIds: string[];

    before(async () => {
      ctx = await createTestContext(kind, { clockStart: '2026-03-15T12:00:00.000Z' });
      const seeded = await seedTenant(ctx);
      tenantId = seeded.tenant.id;
      userIds = [seeded.admin.id, (await createUser(ctx, tenantId)).id];
      // Another tenant's sessions interleaved in time: the tenant scope has to come from the index too.
      const other = await seedTenant(ctx);
      const started = performance.now();
      await ctx.db.transaction().execute(async (trx) => {
        for (let offset = 0; offset < SESSIONS; offset += BATCH) {
          const rows: ChatSessionRow[] = [];
          for (let i = offset; i < offset + BATCH; i++) {
            // Two sessions per second: ties on created_at are broken by id.
            const at = new Date(START + Math.floor(i / 2) * 1000).toISOString();
            rows.push(sessionRow({ tenantId, userId: userIds[i % 2]!, created_at: at, last_activity_at: at, error_count: i % 10 === 0 ? 1 : 0 }));
          }
          await trx.insertInto('chat_sessions').values(rows).execute();
        }
        const foreign = Array.from({ length: 500 }, (_, i) => {
          const at = new Date(START + i * 97_000).toISOString();
          return sessionRow({ tenantId: other.tenant.id, userId: other.admin.id, created_at: at, last_activity_at: at });
        });
        await trx.insertInto('chat_sessions').values(foreign).execute();
      });
      ctx.logger.info({ ms: Math.round(performance.now() - started) }, 'inserted the sessions');
      if (kind === 'postgres') await ctx.db.executeQuery(CompiledQuery.raw('ANALYZE chat_sessions'));
      else await ctx.db.executeQuery(CompiledQuery.raw('ANALYZE'));
    });
    after(() => ctx.cleanup());

    /** The (created_at, id) of the row at `position` in the list, newest first (OFFSET is fine in a test). */
    async function rowAt(position: number, userId?: string) {
      let query = ctx.db.selectFrom('chat_sessions').select(['id', 'created_at']).where('tenant_id', '=', tenantId);
      if (userId) query = query.where('user_id', '=', userId);
      return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(51).offset(position).execute();
    }

    async function timed<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
      await run(); // warm the statement cache and the pool
      let best = Infinity;
      let result!: T;
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        result = await run();
        best = Math.min(best, performance.now() - started);
      }
      return { result, ms: best };
    }

    const deps = () => ({ db: ctx.db, now: ctx.clock.now(), idleMinutes: ctx.config.sessionIdleMinutes });

    it('a page 90,000 rows deep is the right 50 sessions and answers in milliseconds', async () => {
      const [last, ...next] = await rowAt(89_999);
      const cursor = { key: last!.created_at, id: last!.id };
      const { result, ms } = await timed(() => listSessions(deps(), tenantId, { limit: 50, cursor }));
      assert.deepEqual(result.sessions.map((s) => s.id), next.map((r) => r.id));
      assert.equal(result.nextCursor, encodeCursor({ key: next[49]!.created_at, id: next[49]!.id }));
      assert.ok(ms < 100, `deep page took ${ms.toFixed(1)} ms`);
    });

    it('filtered by user, 40,000 rows deep, also answers in milliseconds', async () => {
      const userId = userIds[1]!;
      const [last, ...next] = await rowAt(39_999, userId);
      const cursor = { key: last!.created_at, id: last!.id };
      const { result, ms } = await timed(() => listSessions(deps(), tenantId, { user: userId, limit: 50, cursor }));
      assert.deepEqual(result.sessions.map((s) => s.id), next.map((r) => r.id));
      assert.ok(ms < 100, `deep filtered page took ${ms.toFixed(1)} ms`);
    });

    it('the query plan seeks the index and needs no sort', async () => {
      const [last] = await rowAt(89_999);
      const cursor = { key: last!.created_at, id: last!.id };
      const plan = async (filter: { userId?: string }) => {
        const compiled = sessionsPageQuery(ctx.db, tenantId, { limit: 50, cursor, ...filter }).compile();
        const prefix = kind === 'sqlite' ? 'EXPLAIN QUERY PLAN ' : 'EXPLAIN ';
        const rows = await ctx.db.executeQuery(CompiledQuery.raw(prefix + compiled.sql, [...compiled.parameters]));
        return rows.rows.map((r) => String((r as Record<string, unknown>).detail ?? (r as Record<string, unknown>)['QUERY PLAN'])).join('\n');
      };
      const all = await plan({});
      const byUser = await plan({ userId: userIds[1]! });
      if (kind === 'sqlite') {
        assert.match(all, /SEARCH chat_sessions USING (COVERING )?INDEX chat_sessions_tenant_created \(tenant_id=\? AND \(created_at,id\)<\(\?,\?\)\)/, all);
        assert.match(byUser, /SEARCH chat_sessions USING (COVERING )?INDEX chat_sessions_user_created \(tenant_id=\? AND user_id=\? AND \(created_at,id\)<\(\?,\?\)\)/, byUser);
        assert.doesNotMatch(`${all}\n${byUser}`, /TEMP B-TREE|SCAN chat_sessions/);
      } else {
        assert.match(all, /Index Scan Backward using chat_sessions_tenant_created/, all);
        assert.match(byUser, /Index Scan Backward using chat_sessions_user_created/, byUser);
        assert.doesNotMatch(`${all}\n${byUser}`, /\bSort\b|Seq Scan on chat_sessions/);
      }
    });
  });
}
