import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { newId } from '../../../ids.ts';
import { createUser, issueToken, seedTenant, signIn, type SeededTenant, type SignedIn } from '../../../testing/factories.ts';
import { assertError } from '../../../testing/http-assert.ts';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { dialectsUnderTest } from '../../../testing/test-db.ts';
import { reserveCall } from '../../../usage/budget-guard.ts';

const DEFAULTS = { monthlyBudgetUsd: null, alertAtPct: null, perUserMonthlyBudgetUsd: null, maxAgentSteps: 8, alertWebhook: null };

for (const kind of dialectsUnderTest()) {
  describe(`${kind}: usage and limits`, () => {
    let t: TestApp;
    let a: SeededTenant;
    let b: SeededTenant;
    let admin: SignedIn;
    let memberSession: SignedIn;
    before(async () => {
      t = await createTestApp(kind, { clockStart: '2026-03-15T12:00:00.000Z' });
      a = await seedTenant(t.ctx);
      b = await seedTenant(t.ctx);
      admin = await signIn(t.app, a.admin.email, a.admin.password);
      const member = await createUser(t.ctx, a.tenant.id);
      memberSession = await signIn(t.app, member.email, member.password);
    });
    after(() => t.close());

    it('GET /api/admin/ai/usage: 401 → 403 for members → the month-to-date report of the caller\'s tenant', async () => {
      const url = '/api/admin/ai/usage';
      assertError(await t.app.inject({ method: 'GET', url }), 401, 'unauthenticated');
      assertError(await t.app.inject({ method: 'GET', url, headers: memberSession.headers }), 403, 'forbidden');
      await t.ctx.db.insertInto('call_records').values({
        id: newId(), tenant_id: a.tenant.id, session_id: null, message_id: null, user_id: a.admin.id, type: 'model_call',
        flow: 'orchestrator', at: '2026-03-14T10:00:00.000Z', duration_ms: 900, outcome: 'success', provider_kind: 'openai',
        model: 'gpt-4o', input_tokens: 1000, output_tokens: 100, cost_micros: 3_500, estimated: 0, tool: null, error_code: null, details: null,
      }).execute();
      const res = await t.app.inject({ method: 'GET', url, headers: admin.headers });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.month, '2026-03');
      assert.equal(body.spentUsd, 0.0035);
      assert.equal(body.estimated, false);
      assert.deepEqual(body.byModel, [{ providerKind: 'openai', model: 'gpt-4o', calls: 1, inputTokens: 1000, outputTokens: 100, costUsd: 0.0035, estimated: false }]);
      assert.deepEqual(body.byUser, [{ user: { id: a.admin.id, email: a.admin.email }, calls: 1, inputTokens: 1000, outputTokens: 100, costUsd: 0.0035 }]);
      // Tenant B sees none of it.
      const other = await signIn(t.app, b.admin.email, b.admin.password);
      const bRes = await t.app.inject({ method: 'GET', url, headers: other.headers });
      assert.equal(bRes.json().spentUsd, 0);
      assert.deepEqual(bRes.json().byUser, []);
    });

    it('GET /api/admin/ai/limits: 401 → 403 for members → the defaults before anything is set', async () => {
      const url = '/api/admin/ai/limits';
      assertError(await t.app.inject({ method: 'GET', url }), 401, 'unauthenticated');
      assertError(await t.app.inject({ method: 'GET', url, headers: memberSession.headers }), 403, 'forbidden');
      const res = await t.app.inject({ method: 'GET', url, headers: admin.headers });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), DEFAULTS);
    });

    it('PUT /api/admin/ai/limits walks 401 → 403 csrf → 403 role → 400 → 200, and replaces them all', async () => {
      const url = '/api/admin/ai/limits';
      const good = {
        monthlyBudgetUsd: 250.5, alertAtPct: 80, perUserMonthlyBudgetUsd: 20, maxAgentSteps: 12,
        alertWebhookUrl: 'http://127.0.0.1:9/hooks/T1/secret-path-token',
      };
      assertError(await t.app.inject({ method: 'PUT', url, payload: good }), 401, 'unauthenticated');
      assertError(await t.app.inject({ method: 'PUT', url, headers: { cookie: admin.cookie }, payload: good }), 403, 'csrf_failed');
      assertError(await t.app.inject({ method: 'PUT', url, headers: memberSession.headers, payload: good }), 403, 'forbidden');
      for (const bad of [
        { ...good, alertAtPct: 0 },
        { ...good, alertAtPct: 101 },
        { ...good, alertAtPct: 50.5 },
        { ...good, maxAgentSteps: 0 },
        { ...good, maxAgentSteps: 51 },
        { ...good, maxAgentSteps: null },
        { ...good, monthlyBudgetUsd: -1 },
        { ...good, monthlyBudgetUsd: '100' },
        { ...good, perUserMonthlyBudgetUsd: 1e12 },
        { ...good, alertWebhookUrl: 'not a url' },
        { ...good, alertWebhookUrl: 'ftp://example.com/hook' },
        { ...good, alertWebhookUrl: 'https://user:pw@example.com/hook' },
        { ...good, tenantId: b.tenant.id },
        [],
      ]) {
        assertError(await t.app.inject({ method: 'PUT', url, headers: admin.headers, payload: bad }), 400, 'invalid_request');
      }
      assertError(await t.app.inject({ method: 'PUT', url, headers: { ...admin.headers, 'content-type': 'application/json' }, payload: '{"maxAgentSteps":' }), 400, 'invalid_request');
      // Nothing a refused PUT sent was kept.
      assert.deepEqual((await t.app.inject({ method: 'GET', url, headers: admin.headers })).json(), DEFAULTS);

      // The webhook is shown by its origin only, from now on: the rest of it is its own secret.
      const { alertWebhookUrl: _url, ...numbers } = good;
      const saved = { ...numbers, alertWebhook: { origin: 'http://127.0.0.1:9' } };
      const res = await t.app.inject({ method: 'PUT', url, headers: admin.headers, payload: good });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), saved);
      assert.deepEqual((await t.app.inject({ method: 'GET', url, headers: admin.headers })).json(), saved);
      const row = await t.ctx.db.selectFrom('tenant_settings').selectAll().where('tenant_id', '=', a.tenant.id).executeTakeFirstOrThrow();
      assert.equal(row.alert_webhook_url, null, 'not in plain text');
      assert.equal((await t.ctx.vault.readSecret(t.ctx.db, a.tenant.id, row.alert_webhook_secret_id!, 'alert_webhook')).reveal(), good.alertWebhookUrl, 'sealed in the vault');

      // The webhook left out is kept (a stored secret, like a key); every other limit left out goes back to its default.
      t.ctx.clock.advance(1000);
      const bearer = await issueToken(t.app, admin);
      const kept = await t.app.inject({ method: 'PUT', url, headers: bearer, payload: { monthlyBudgetUsd: 10 } });
      assert.equal(kept.statusCode, 200, kept.body);
      assert.deepEqual(kept.json(), { ...DEFAULTS, monthlyBudgetUsd: 10, alertWebhook: { origin: 'http://127.0.0.1:9' } });
      // '' (an emptied field) or null removes it, and its sealed copy with it.
      t.ctx.clock.advance(1000);
      const second = await t.app.inject({ method: 'PUT', url, headers: bearer, payload: { monthlyBudgetUsd: 10, alertWebhookUrl: '' } });
      assert.equal(second.statusCode, 200, second.body);
      assert.deepEqual(second.json(), { ...DEFAULTS, monthlyBudgetUsd: 10 });
      assert.deepEqual((await t.app.inject({ method: 'GET', url, headers: admin.headers })).json(), { ...DEFAULTS, monthlyBudgetUsd: 10 });
      const gone = await t.ctx.db.selectFrom('secrets').select('id').where('id', '=', row.alert_webhook_secret_id!).execute();
      assert.equal(gone.length, 0, 'the removed webhook leaves no secret behind');

      // Each change is audited, with who did it, and never the webhook's secret path.
      const audits = await t.ctx.db.selectFrom('audit_events').selectAll().where('tenant_id', '=', a.tenant.id).where('action', '=', 'limits.update').orderBy('at').execute();
      assert.equal(audits.length, 3);
      assert.equal(audits[0]!.actor_id, a.admin.id);
      const details = audits.map((e) => JSON.parse(e.details) as Record<string, unknown>);
      assert.equal(details[0]!.monthlyBudgetUsd, 250.5);
      assert.deepEqual(details.map((d) => [d.alertWebhook, d.alertWebhookChange]), [['http://127.0.0.1:9', 'set'], ['http://127.0.0.1:9', 'kept'], [null, 'removed']]);
      assert.ok(!audits.some((e) => e.details.includes('secret-path-token')));
      assert.ok(!t.ctx.logs.join('').includes('secret-path-token'));

      // Another tenant's limits are its own.
      const other = await signIn(t.app, b.admin.email, b.admin.password);
      assert.deepEqual((await t.app.inject({ method: 'GET', url, headers: other.headers })).json(), DEFAULTS);
    });

    it('a budget set through the API is the one the budget guard enforces', async () => {
      const url = '/api/admin/ai/limits';
      const put = await t.app.inject({ method: 'PUT', url, headers: admin.headers, payload: { monthlyBudgetUsd: 0.01, perUserMonthlyBudgetUsd: null } });
      assert.equal(put.statusCode, 200, put.body);
      const call = { tenantId: a.tenant.id, userId: a.admin.id, kind: 'openai' as const, model: 'gpt-4o', maxOutputTokens: 500 };
      // (100 + 1024) × 2.5 + 500 × 10 = 7,810 µ$: fits once into 10,000 µ$, not twice.
      const first = await reserveCall(t.ctx, { ...call, inputUtf8Bytes: 100 });
      assert.equal(first.ok, true);
      const refused = await reserveCall(t.ctx, { ...call, inputUtf8Bytes: 100 });
      assert.equal(refused.ok, false);
      if (!refused.ok) assert.deepEqual([refused.error.status, refused.error.code, refused.scope], [402, 'budget_exhausted', 'tenant']);
    });
  });
}

describe('limits without private upstreams', () => {
  let t: TestApp;
  let admin: SignedIn;
  before(async () => {
    t = await createTestApp('sqlite', { env: { MOSAIC_ALLOW_PRIVATE_UPSTREAMS: '0' } });
    const a = await seedTenant(t.ctx);
    admin = await signIn(t.app, a.admin.email, a.admin.password);
  });
  after(() => t.close());

  it('a webhook on a private address or plain http is refused with upstream_not_allowed; a public https one is kept', async () => {
    const url = '/api/admin/ai/limits';
    for (const hook of ['http://hooks.example.com/x', 'https://127.0.0.1/x', 'https://169.254.169.254/latest', 'https://[::1]/x', 'https://localhost/x']) {
      const res = await t.app.inject({ method: 'PUT', url, headers: admin.headers, payload: { alertWebhookUrl: hook } });
      assertError(res, 400, 'invalid_request');
      assert.equal(res.json().error.reason, 'upstream_not_allowed', hook);
    }
    // A test send to such an address is refused the same way, before any connection.
    const test = await t.app.inject({ method: 'POST', url: '/api/admin/ai/limits/webhook-test', headers: admin.headers, payload: { alertWebhookUrl: 'https://169.254.169.254/latest' } });
    assertError(test, 400, 'invalid_request');
    assert.equal(test.json().error.reason, 'upstream_not_allowed');
    const ok = await t.app.inject({ method: 'PUT', url, headers: admin.headers, payload: { alertWebhookUrl: 'https://hooks.example.com/services/x' } });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json().alertWebhook, { origin: 'https://hooks.example.com' });
  });
});

describe('Send a test alert to the webhook', () => {
  let t: TestApp;
  let admin: SignedIn;
  let member: SignedIn;
  const received: Array<{ path: string; body: Record<string, unknown> }> = [];
  let status = 204;
  let hookServer: http.Server;
  let hookBase = '';
  before(async () => {
    t = await createTestApp('sqlite');
    const a = await seedTenant(t.ctx);
    admin = await signIn(t.app, a.admin.email, a.admin.password);
    const m = await createUser(t.ctx, a.tenant.id);
    member = await signIn(t.app, m.email, m.password);
    hookServer = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(body) as Record<string, unknown> });
        res.writeHead(status, { connection: 'close' }).end();
      });
    });
    await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', resolve));
    hookBase = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}`;
  });
  after(async () => {
    await t.close();
    await new Promise((resolve) => hookServer.close(resolve));
  });
  const send = (payload: unknown, headers = admin.headers) => t.app.inject({ method: 'POST', url: '/api/admin/ai/limits/webhook-test', headers, payload: payload as Record<string, unknown> });

  it('refuses members, and a test with no webhook set and none given', async () => {
    assertError(await send({}, member.headers), 403, 'forbidden');
    assertError(await send({}), 400, 'invalid_request');
    assertError(await send({ alertWebhookUrl: 'ftp://example.com/x' }), 400, 'invalid_request');
  });

  it('sends a test payload to the URL being typed, and saves nothing', async () => {
    const res = await send({ alertWebhookUrl: `${hookBase}/typed/secret-path` });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().ok, true);
    assert.equal(res.json().status, 204);
    assert.equal(received.at(-1)?.path, '/typed/secret-path');
    assert.equal(received.at(-1)?.body.type, 'budget.alert.test');
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/admin/ai/limits', headers: admin.headers })).json().alertWebhook, null);
  });

  it('sends to the stored webhook, opened from the vault; a failure is ok: false with a code and a hint', async () => {
    const put = await t.app.inject({ method: 'PUT', url: '/api/admin/ai/limits', headers: admin.headers, payload: { alertWebhookUrl: `${hookBase}/stored/secret-path` } });
    assert.equal(put.statusCode, 200, put.body);
    let res = await send({});
    assert.equal(res.json().ok, true, res.body);
    assert.equal(received.at(-1)?.path, '/stored/secret-path');

    status = 500;
    res = await send({});
    assert.equal(res.statusCode, 200);
    assert.deepEqual({ ok: res.json().ok, code: res.json().error.code, status: res.json().status }, { ok: false, code: 'http_error', status: 500 });
    assert.equal(typeof res.json().error.hint, 'string');
    status = 204;

    res = await send({ alertWebhookUrl: 'http://127.0.0.1:9/closed' });
    assert.equal(res.json().error.code, 'unreachable', res.body);
    for (const body of [res.body, t.ctx.logs.join('')]) assert.ok(!body.includes('secret-path'), 'the path stays secret');
  });
});
