import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { writeAudit } from '../../../audit/audit-log.ts';
import type { ChatSessionRow } from '../../../db/schema.ts';
import { newId } from '../../../ids.ts';
import { insertCallRecord, insertMessage, insertSession } from '../../../testing/chat-factories.ts';
import { createUser, seedTenant, signIn, type SeededTenant, type SignedIn, type TestUser } from '../../../testing/factories.ts';
import { assertError } from '../../../testing/http-assert.ts';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { dialectsUnderTest } from '../../../testing/test-db.ts';

const NOW = '2026-03-15T12:00:00.000Z';

/** Every row newest first, the order the admin lists promise. */
const newestFirst = <T extends { id: string }>(rows: T[], key: (r: T) => string): T[] =>
  [...rows].sort((x, y) => (key(x) === key(y) ? (x.id < y.id ? 1 : -1) : key(x) < key(y) ? 1 : -1));

for (const kind of dialectsUnderTest()) {
  describe(`${kind}: admin console`, () => {
    let t: TestApp;
    let a: SeededTenant;
    let b: SeededTenant;
    let admin: SignedIn;
    let memberUser: TestUser;
    let member: SignedIn;
    let bAdmin: SignedIn;
    let foreign: ChatSessionRow;

    before(async () => {
      t = await createTestApp(kind, { clockStart: NOW });
      a = await seedTenant(t.ctx);
      b = await seedTenant(t.ctx);
      admin = await signIn(t.app, a.admin.email, a.admin.password);
      memberUser = await createUser(t.ctx, a.tenant.id);
      member = await signIn(t.app, memberUser.email, memberUser.password);
      bAdmin = await signIn(t.app, b.admin.email, b.admin.password);
      foreign = await insertSession(t.ctx.db, { tenantId: b.tenant.id, userId: b.admin.id, created_at: '2026-03-10T10:00:00.000Z' });
    });
    after(() => t.close());

    const get = (url: string, headers?: Record<string, string>) => t.app.inject({ method: 'GET', url, ...(headers ? { headers } : {}) });

    it('every endpoint: 401 without a session, 403 for members, 404 for foreign, unknown and malformed ids', async () => {
      const own = await insertSession(t.ctx.db, { tenantId: a.tenant.id, userId: a.admin.id });
      const urls = (id: string) => [
        `/api/admin/ai/sessions/${id}`,
        `/api/admin/ai/sessions/${id}/content?acknowledge=true`,
        `/api/admin/ai/sessions/${id}/export`,
      ];
      for (const url of ['/api/admin/ai/sessions', '/api/admin/ai/overview', '/api/admin/audit', ...urls(own.id)]) {
        assertError(await get(url), 401, 'unauthenticated');
        assertError(await get(url, member.headers), 403, 'forbidden');
      }
      for (const id of [foreign.id, newId(), 'not-an-id', `${own.id}x`, own.id.toUpperCase()]) {
        for (const url of urls(encodeURIComponent(id))) assertError(await get(url, admin.headers), 404, 'not_found');
      }
      // The session's own tenant reads it.
      assert.equal((await get(`/api/admin/ai/sessions/${foreign.id}`, bAdmin.headers)).statusCode, 200);
    });

    it('bad query parameters are 400 invalid_request', async () => {
      for (const query of [
        'limit=0', 'limit=201', 'limit=abc', 'limit=1.5', 'limit=-1', 'outcome=maybe', 'from=yesterday', 'to=2026-02-30',
        'from=2026-03-10&to=2026-03-01', 'cursor=nonsense!', `cursor=${Buffer.from('["x","y"]').toString('base64url')}`,
        'user=', 'page=2', 'limit=10&limit=20',
      ]) {
        assertError(await get(`/api/admin/ai/sessions?${query}`, admin.headers), 400, 'invalid_request');
      }
      for (const query of ['days=0', 'days=366', 'days=x', 'weeks=2']) {
        assertError(await get(`/api/admin/ai/overview?${query}`, admin.headers), 400, 'invalid_request');
      }
      for (const query of ['limit=0', 'limit=500', 'cursor=%%%']) {
        assertError(await get(`/api/admin/audit?${query}`, admin.headers), 400, 'invalid_request');
      }
    });

    describe('AI Sessions list', () => {
      let c: SeededTenant;
      let cAdmin: SignedIn;
      let cMember: TestUser;
      const rows: ChatSessionRow[] = [];

      before(async () => {
        c = await seedTenant(t.ctx);
        cAdmin = await signIn(t.app, c.admin.email, c.admin.password);
        cMember = await createUser(t.ctx, c.tenant.id, { email: `Analyst-${newId().slice(-8)}@Example.test`.toLowerCase() });
        // 30 sessions over March 1–10, some sharing a start time (the id breaks the tie), every third failed.
        for (let i = 0; i < 30; i++) {
          const day = 1 + Math.floor(i / 3);
          const created = `2026-03-${String(day).padStart(2, '0')}T${i % 3 === 2 ? '10' : '23'}:59:59.999Z`;
          rows.push(await insertSession(t.ctx.db, {
            tenantId: c.tenant.id,
            userId: i % 2 === 0 ? c.admin.id : cMember.id,
            created_at: created,
            last_activity_at: created,
            error_count: i % 3 === 0 ? 1 : 0,
          }));
        }
      });

      async function walk(query: string, limit: number): Promise<string[]> {
        const ids: string[] = [];
        let cursor: string | null = null;
        for (let pages = 0; pages < 100; pages++) {
          const res = await get(`/api/admin/ai/sessions?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, cAdmin.headers);
          assert.equal(res.statusCode, 200, res.body);
          const body = res.json() as { sessions: { id: string }[]; nextCursor: string | null };
          assert.ok(body.sessions.length <= limit);
          ids.push(...body.sessions.map((s) => s.id));
          cursor = body.nextCursor;
          if (cursor === null) return ids;
          assert.equal(body.sessions.length, limit, 'only the last page is short');
        }
        throw new Error('pagination did not end');
      }

      const expected = (keep: (r: ChatSessionRow) => boolean) => newestFirst(rows.filter(keep), (r) => r.created_at).map((r) => r.id);

      it('pages newest first with no duplicates or gaps, at every page size', async () => {
        for (const limit of [1, 4, 7, 30, 200]) {
          assert.deepEqual(await walk('', limit), expected(() => true), `limit ${limit}`);
        }
        const first = (await get('/api/admin/ai/sessions', cAdmin.headers)).json();
        assert.equal(first.sessions.length, 30);
        assert.equal(first.nextCursor, null);
      });

      it('a session started while paging does not shift the pages', async () => {
        const page1 = (await get('/api/admin/ai/sessions?limit=10', cAdmin.headers)).json();
        const late = await insertSession(t.ctx.db, { tenantId: c.tenant.id, userId: c.admin.id, created_at: '2026-03-14T00:00:00.000Z' });
        try {
          const page2 = (await get(`/api/admin/ai/sessions?limit=10&cursor=${page1.nextCursor}`, cAdmin.headers)).json();
          assert.deepEqual(page2.sessions.map((s: { id: string }) => s.id), expected(() => true).slice(10, 20));
        } finally {
          await t.ctx.db.deleteFrom('chat_sessions').where('id', '=', late.id).execute();
        }
      });

      it('filters by user id or email, dates (to is inclusive) and outcome, and pages the filtered list', async () => {
        const byMember = expected((r) => r.user_id === cMember.id);
        assert.deepEqual(await walk(`user=${cMember.id}`, 4), byMember);
        assert.deepEqual(await walk(`user=${encodeURIComponent(cMember.email.toUpperCase())}`, 4), byMember);
        assert.deepEqual(await walk('user=nobody%40example.test', 4), []);
        // Another tenant's user is nobody here.
        assert.deepEqual(await walk(`user=${b.admin.id}`, 4), []);

        assert.deepEqual(await walk('from=2026-03-03&to=2026-03-05', 2), expected((r) => r.created_at >= '2026-03-03' && r.created_at < '2026-03-06'));
        assert.deepEqual(await walk('to=2026-03-02T10:59:59.999Z', 2), expected((r) => r.created_at <= '2026-03-02T10:59:59.999Z'));
        assert.deepEqual(await walk('from=2026-03-09T23:59:59.999%2B00:00', 50), expected((r) => r.created_at >= '2026-03-09T23:59:59.999Z'));
        assert.equal((await walk('from=2026-03-09T23:59:59.999%2B00:00', 50)).length, 5);

        const failed = expected((r) => r.error_count > 0);
        assert.equal(failed.length, 10);
        assert.deepEqual(await walk('outcome=error', 3), failed);
        assert.deepEqual(await walk('outcome=success', 3), expected((r) => r.error_count === 0));
        assert.deepEqual(
          await walk(`outcome=error&user=${c.admin.id}&from=2026-03-02`, 2),
          expected((r) => r.error_count > 0 && r.user_id === c.admin.id && r.created_at >= '2026-03-02'),
        );
      });

      it('shows each session with its user, model, status, outcome and figures', async () => {
        const live = await insertSession(t.ctx.db, {
          tenantId: c.tenant.id, userId: cMember.id, title: 'Churn by plan', provider_kind: 'openai', model_orchestrator: 'gpt-4.1',
          status: 'in_flight', created_at: '2026-03-15T11:00:00.000Z', last_activity_at: '2026-03-15T11:55:00.000Z',
          turns: 3, input_tokens: 12_345, output_tokens: 678, cost_micros: 41_250, error_count: 1, model_call_count: 3, latency_total_ms: 4_001,
        });
        // Open but idle for longer than MOSAIC_SESSION_IDLE_MINUTES: no longer in flight.
        const idle = await insertSession(t.ctx.db, {
          tenantId: c.tenant.id, userId: c.admin.id, status: 'in_flight', created_at: '2026-03-14T11:00:00.000Z', last_activity_at: '2026-03-14T11:00:00.000Z',
        });
        try {
          const body = (await get('/api/admin/ai/sessions?limit=2', cAdmin.headers)).json();
          assert.deepEqual(body.sessions[0], {
            id: live.id, user: { id: cMember.id, email: cMember.email }, title: 'Churn by plan', providerKind: 'openai', model: 'gpt-4.1',
            startedAt: '2026-03-15T11:00:00.000Z', lastActivityAt: '2026-03-15T11:55:00.000Z', status: 'in_flight', outcome: 'error',
            turns: 3, inputTokens: 12_345, outputTokens: 678, costUsd: 0.04125, avgLatencyMs: 1334,
          });
          assert.equal(body.sessions[1].id, idle.id);
          assert.equal(body.sessions[1].status, 'completed');
          assert.equal(body.sessions[1].outcome, 'success');
          assert.equal(body.sessions[1].avgLatencyMs, null);
        } finally {
          await t.ctx.db.deleteFrom('chat_sessions').where('id', 'in', [live.id, idle.id]).execute();
        }
      });

      it('lists only the caller\'s tenant', async () => {
        const ids = (await get('/api/admin/ai/sessions?limit=200', admin.headers)).json().sessions.map((s: { id: string }) => s.id);
        assert.ok(!ids.includes(foreign.id));
        assert.ok(!ids.some((id: string) => rows.some((r) => r.id === id)));
      });
    });

    describe('Session Detail, content and export', () => {
      let session: ChatSessionRow;
      const SECRET_TEXT = 'Confidential: Q3 revenue for ACME was 4.2M';
      const TOOL_DATA = 'rows-from-the-sales-table-ACME';

      before(async () => {
        session = await insertSession(t.ctx.db, {
          tenantId: a.tenant.id, userId: memberUser.id, title: 'Quarterly revenue', created_at: '2026-03-12T09:00:00.000Z',
          last_activity_at: '2026-03-12T09:00:09.000Z', turns: 1, input_tokens: 3_000, output_tokens: 400, cost_micros: 15_000,
          error_count: 1, model_call_count: 3, latency_total_ms: 6_000,
        });
        const user = await insertMessage(t.ctx.db, { session, seq: 0, role: 'user', content: SECRET_TEXT, created_at: '2026-03-12T09:00:00.000Z' });
        const answer = await insertMessage(t.ctx.db, {
          session, seq: 1, role: 'assistant', content: 'ACME made 4.2M.', model: 'claude-sonnet-4-5', input_tokens: 3_000, output_tokens: 400,
          created_at: '2026-03-12T09:00:01.000Z',
          parts: JSON.stringify([
            { type: 'tool-call', id: 't1', name: 'query_execution', input: { sql: 'select * from sales' } },
            { type: 'tool-result', id: 't1', name: 'query_execution', output: TOOL_DATA },
            { type: 'text', text: 'ACME made 4.2M.' },
          ]),
        });
        // Inserted out of order: the timeline sorts by time.
        await insertCallRecord(t.ctx.db, {
          session, message_id: answer.id, type: 'model_call', at: '2026-03-12T09:00:06.000Z', duration_ms: 3_000, model: 'claude-sonnet-4-5',
          input_tokens: 2_000, output_tokens: 300, cost_micros: 10_500,
        });
        await insertCallRecord(t.ctx.db, {
          session, message_id: answer.id, type: 'tool_call', at: '2026-03-12T09:00:03.000Z', duration_ms: 120, model: null, provider_kind: null,
          tool: 'query_execution', flow: null, details: JSON.stringify({ rows: 12, sample: TOOL_DATA }),
        });
        await insertCallRecord(t.ctx.db, {
          session, message_id: answer.id, type: 'model_call', at: '2026-03-12T09:00:01.500Z', duration_ms: 1_500, model: 'claude-sonnet-4-5',
          input_tokens: 1_000, output_tokens: 100, cost_micros: 4_500,
        });
        await insertCallRecord(t.ctx.db, {
          session, type: 'model_call', flow: 'title', at: '2026-03-12T09:00:07.000Z', duration_ms: 1_500, model: 'claude-haiku-4-5',
          outcome: 'error', error_code: 'provider_rate_limited',
        });
        await insertCallRecord(t.ctx.db, {
          session, type: 'repin', at: '2026-03-12T09:00:00.500Z', duration_ms: 0, model: 'claude-sonnet-4-5', flow: null,
          details: JSON.stringify({ from: 'p1', to: 'p2', reason: 'provider_deleted' }),
        });
        // Another session's call stays out.
        const other = await insertSession(t.ctx.db, { tenantId: a.tenant.id, userId: a.admin.id });
        await insertCallRecord(t.ctx.db, { session: other, at: '2026-03-12T09:00:02.000Z' });
        void user;
      });

      const expectedTimeline = [
        { type: 'repin', at: '2026-03-12T09:00:00.500Z', durationMs: 0, outcome: 'success', model: 'claude-sonnet-4-5', inputTokens: 0, outputTokens: 0, costUsd: 0, tool: null, errorCode: null, flow: null },
        { type: 'model_call', at: '2026-03-12T09:00:01.500Z', durationMs: 1500, outcome: 'success', model: 'claude-sonnet-4-5', inputTokens: 1000, outputTokens: 100, costUsd: 0.0045, tool: null, errorCode: null, flow: 'orchestrator' },
        { type: 'tool_call', at: '2026-03-12T09:00:03.000Z', durationMs: 120, outcome: 'success', model: null, inputTokens: 0, outputTokens: 0, costUsd: 0, tool: 'query_execution', errorCode: null, flow: null },
        { type: 'model_call', at: '2026-03-12T09:00:06.000Z', durationMs: 3000, outcome: 'success', model: 'claude-sonnet-4-5', inputTokens: 2000, outputTokens: 300, costUsd: 0.0105, tool: null, errorCode: null, flow: 'orchestrator' },
        { type: 'model_call', at: '2026-03-12T09:00:07.000Z', durationMs: 1500, outcome: 'error', model: 'claude-haiku-4-5', inputTokens: 0, outputTokens: 0, costUsd: 0, tool: null, errorCode: 'provider_rate_limited', flow: 'title' },
      ];

      it('the detail shows the session and every call in time order, and no chat content', async () => {
        const res = await get(`/api/admin/ai/sessions/${session.id}`, admin.headers);
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json();
        assert.equal(body.session.id, session.id);
        assert.equal(body.session.user.email, memberUser.email);
        assert.equal(body.session.outcome, 'error');
        assert.equal(body.session.avgLatencyMs, 2000);
        assert.deepEqual(body.timeline, expectedTimeline);
        for (const leak of [SECRET_TEXT, TOOL_DATA, 'select * from sales', 'ACME']) assert.ok(!res.body.includes(leak), leak);
      });

      it('the export is the session and its timeline as a JSON download, without content', async () => {
        const res = await get(`/api/admin/ai/sessions/${session.id}/export`, admin.headers);
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.headers['content-disposition'], `attachment; filename="mosaic-session-${session.id}.json"`);
        assert.match(String(res.headers['content-type']), /^application\/json/);
        const file = JSON.parse(res.body);
        const detail = (await get(`/api/admin/ai/sessions/${session.id}`, admin.headers)).json();
        assert.deepEqual(file, { exportedAt: NOW, session: detail.session, timeline: expectedTimeline });
        for (const leak of [SECRET_TEXT, TOOL_DATA, 'ACME']) assert.ok(!res.body.includes(leak), leak);
      });

      it('content needs acknowledge=true (after role and id checks), and each read is audited with who and when', async () => {
        const url = `/api/admin/ai/sessions/${session.id}/content`;
        const views = () => t.ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'ai.session.content_viewed').where('target', '=', session.id).execute();
        assertError(await get(url), 401, 'unauthenticated');
        assertError(await get(`${url}?acknowledge=true`, member.headers), 403, 'forbidden');
        assertError(await get(`/api/admin/ai/sessions/${foreign.id}/content`, admin.headers), 404, 'not_found');
        for (const query of ['', '?acknowledge=false', '?acknowledge=1', '?acknowledge=TRUE']) {
          assertError(await get(`${url}${query}`, admin.headers), 403, 'acknowledgement_required');
        }
        assert.equal((await views()).length, 0, 'no read, no audit record');

        t.ctx.clock.set('2026-03-15T12:30:00.000Z');
        const res = await get(`${url}?acknowledge=true`, admin.headers);
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json();
        assert.equal(body.session.id, session.id);
        assert.deepEqual(body.messages.map((m: { role: string; content: string }) => [m.role, m.content]), [['user', SECRET_TEXT], ['assistant', 'ACME made 4.2M.']]);
        assert.deepEqual(Object.keys(body.messages[1]).sort(), ['content', 'createdAt', 'errorCode', 'id', 'model', 'parts', 'role', 'status', 'usage']);
        assert.deepEqual(body.messages[1].usage, { inputTokens: 3000, outputTokens: 400 });
        assert.equal(body.messages[1].parts[1].output, TOOL_DATA);

        const [event, ...more] = await views();
        assert.equal(more.length, 0);
        assert.equal(event!.tenant_id, a.tenant.id);
        assert.equal(event!.actor_id, a.admin.id);
        assert.equal(event!.actor_email, a.admin.email);
        assert.equal(event!.at, '2026-03-15T12:30:00.000Z');
        assert.deepEqual(JSON.parse(event!.details), { userId: memberUser.id });

        // A second read is a second record; the audit log shows them newest first.
        t.ctx.clock.set('2026-03-15T12:31:00.000Z');
        assert.equal((await get(`${url}?acknowledge=true`, admin.headers)).statusCode, 200);
        assert.equal((await views()).length, 2);
        const audit = (await get('/api/admin/audit?limit=2', admin.headers)).json();
        assert.deepEqual(audit.events[0], {
          id: audit.events[0].id, at: '2026-03-15T12:31:00.000Z', actor: { id: a.admin.id, email: a.admin.email },
          action: 'ai.session.content_viewed', target: session.id, details: { userId: memberUser.id },
        });
        assert.equal(audit.events[1].at, '2026-03-15T12:30:00.000Z');
        t.ctx.clock.set(NOW);
      });
    });

    describe('Overview', () => {
      let d: SeededTenant;
      let dAdmin: SignedIn;
      const ids: Record<string, string> = {};

      before(async () => {
        d = await seedTenant(t.ctx);
        dAdmin = await signIn(t.app, d.admin.email, d.admin.password);
        const analyst = await createUser(t.ctx, d.tenant.id);
        const add = async (name: string, userId: string, over: Partial<ChatSessionRow>) => {
          ids[name] = (await insertSession(t.ctx.db, { tenantId: d.tenant.id, userId, ...over })).id;
        };
        // In the last 7 days (March 9–15):
        await add('A', d.admin.id, { created_at: '2026-03-09T00:00:00.000Z', input_tokens: 100, output_tokens: 50, model_call_count: 2, latency_total_ms: 3_000 });
        await add('B', analyst.id, { created_at: '2026-03-12T08:00:00.000Z', input_tokens: 200, output_tokens: 100, error_count: 1, model_call_count: 1, latency_total_ms: 1_000 });
        await add('C', analyst.id, { created_at: '2026-03-12T20:00:00.000Z' });
        await add('D', d.admin.id, { created_at: '2026-03-15T11:00:00.000Z', input_tokens: 1_000, output_tokens: 500, model_call_count: 1, latency_total_ms: 2_000 });
        // A millisecond before the 7-day window.
        await add('E', analyst.id, { created_at: '2026-03-08T23:59:59.999Z', input_tokens: 7, output_tokens: 3, error_count: 2, model_call_count: 1, latency_total_ms: 9_000 });
        await t.ctx.db.insertInto('budget_alerts').values([
          { tenant_id: d.tenant.id, month: '2026-03', threshold_pct: 80, fired_at: '2026-03-14T10:00:00.000Z', spent_micros: 80_500_000 },
          { tenant_id: d.tenant.id, month: '2026-02', threshold_pct: 100, fired_at: '2026-02-20T10:00:00.000Z', spent_micros: 100_000_000 },
          { tenant_id: b.tenant.id, month: '2026-03', threshold_pct: 50, fired_at: '2026-03-14T10:00:00.000Z', spent_micros: 1 },
        ]).execute();
      });

      it('figures over the sessions started in the window, every day listed, this month\'s alerts', async () => {
        const res = await get('/api/admin/ai/overview?days=7', dAdmin.headers);
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json();
        assert.deepEqual(
          { ...body, recentSessions: body.recentSessions.map((s: { id: string }) => s.id) },
          {
            totalSessions: 4,
            activeUsers: 2,
            totalTokens: 1_950,
            errorRate: 0.25,
            avgLatencyMs: 1_500,
            sessionsPerDay: [
              { date: '2026-03-09', count: 1 }, { date: '2026-03-10', count: 0 }, { date: '2026-03-11', count: 0 }, { date: '2026-03-12', count: 2 },
              { date: '2026-03-13', count: 0 }, { date: '2026-03-14', count: 0 }, { date: '2026-03-15', count: 1 },
            ],
            recentSessions: [ids.D, ids.C, ids.B, ids.A],
            alerts: [{ thresholdPct: 80, firedAt: '2026-03-14T10:00:00.000Z', spentUsd: 80.5 }],
          },
        );
        assert.equal(body.recentSessions[0].startedAt, '2026-03-15T11:00:00.000Z');
      });

      it('the default window is 30 days; one day is today only; an empty tenant has zeros', async () => {
        const month = (await get('/api/admin/ai/overview', dAdmin.headers)).json();
        assert.equal(month.sessionsPerDay.length, 30);
        assert.equal(month.sessionsPerDay[0].date, '2026-02-14');
        assert.deepEqual([month.totalSessions, month.totalTokens, month.errorRate, month.avgLatencyMs], [5, 1_960, 0.4, 3_000]);
        const today = (await get('/api/admin/ai/overview?days=1', dAdmin.headers)).json();
        assert.deepEqual([today.totalSessions, today.activeUsers, today.sessionsPerDay, today.recentSessions.length], [1, 1, [{ date: '2026-03-15', count: 1 }], 1]);
        const empty = await seedTenant(t.ctx);
        const emptyAdmin = await signIn(t.app, empty.admin.email, empty.admin.password);
        assert.deepEqual((await get('/api/admin/ai/overview?days=2', emptyAdmin.headers)).json(), {
          totalSessions: 0, activeUsers: 0, totalTokens: 0, errorRate: 0, avgLatencyMs: null,
          sessionsPerDay: [{ date: '2026-03-14', count: 0 }, { date: '2026-03-15', count: 0 }], recentSessions: [], alerts: [],
        });
      });

      it('recent sessions are the latest 10', async () => {
        for (let i = 0; i < 12; i++) {
          await insertSession(t.ctx.db, { tenantId: d.tenant.id, userId: d.admin.id, created_at: `2026-03-13T10:${String(i).padStart(2, '0')}:00.000Z` });
        }
        const body = (await get('/api/admin/ai/overview?days=7', dAdmin.headers)).json();
        assert.equal(body.totalSessions, 16);
        assert.equal(body.recentSessions.length, 10);
        assert.deepEqual(body.recentSessions.slice(0, 2).map((s: { startedAt: string }) => s.startedAt), ['2026-03-15T11:00:00.000Z', '2026-03-13T10:11:00.000Z']);
      });
    });

    it('the audit log pages newest first, ties broken by id, only the caller\'s tenant', async () => {
      const e = await seedTenant(t.ctx);
      const eAdmin = await signIn(t.app, e.admin.email, e.admin.password);
      for (let i = 0; i < 17; i++) {
        await writeAudit(t.ctx.db, {
          tenantId: e.tenant.id, actor: { id: e.admin.id, email: e.admin.email }, action: 'test.event', target: `t${i}`,
          details: { i }, at: `2026-04-0${1 + (i % 4)}T10:00:00.000Z`,
        });
      }
      await writeAudit(t.ctx.db, { tenantId: b.tenant.id, actor: { id: null, email: null }, action: 'other.tenant', at: '2026-03-05T00:00:00.000Z' });
      const all = await t.ctx.db.selectFrom('audit_events').select(['id', 'at']).where('tenant_id', '=', e.tenant.id).execute();
      assert.ok(all.length >= 17);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await get(`/api/admin/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`, eAdmin.headers);
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json() as { events: { id: string; action: string }[]; nextCursor: string | null };
        seen.push(...body.events.map((ev) => ev.id));
        assert.ok(!body.events.some((ev) => ev.action === 'other.tenant'));
        cursor = body.nextCursor;
      } while (cursor !== null);
      assert.deepEqual(seen, newestFirst(all, (r) => r.at).map((r) => r.id));
      const first = (await get('/api/admin/audit?limit=1', eAdmin.headers)).json().events[0];
      assert.equal(first.action, 'test.event');
      assert.equal(first.at, '2026-04-04T10:00:00.000Z');
      assert.deepEqual(first.actor, { id: e.admin.id, email: e.admin.email });
      assert.equal(typeof first.details.i, 'number');
    });
  });
}
