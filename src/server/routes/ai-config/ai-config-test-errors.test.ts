// Every Test connection and save error code, reached against the simulator (or a small stand-in server)
// over real sockets: POST /test answers 200 {ok:false, error:{code, message, hint}}, POST /providers
// answers 422 with the same code and hint and stores nothing; never a 500. Failed rotations change nothing.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from '../../../../sim/simulator.ts';
import { aiConfigDeps } from '../../../ai-config/ai-config-deps.ts';
import { closeConfigCache } from '../../../ai-config/config-cache.ts';
import { testConnectionRequest } from '../../../ai-config/test-connection-request.ts';
import { Secret } from '../../../vault/secret.ts';
import { seedTenant, signIn, type SignedIn } from '../../../testing/factories.ts';
import { assertError } from '../../../testing/http-assert.ts';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { dialectsUnderTest } from '../../../testing/test-db.ts';

type Sim = Awaited<ReturnType<typeof startSimulator>>;

async function listen(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const s = await listen(() => {});
  const port = Number(new URL(s.url).port);
  await s.close();
  return port;
}

/** Everything a failed change must leave as it was. */
async function snapshot(t: TestApp, tenantId: string) {
  const db = t.ctx.db;
  const [rows, secrets, audit, settings] = await Promise.all([
    db.selectFrom('provider_connections').selectAll().where('tenant_id', '=', tenantId).orderBy('id').execute(),
    db.selectFrom('secrets').selectAll().where('tenant_id', '=', tenantId).orderBy('id').execute(),
    db.selectFrom('audit_events').select(['id', 'action']).where('tenant_id', '=', tenantId).orderBy('id').execute(),
    db.selectFrom('tenant_settings').select(['active_provider_id', 'config_version']).where('tenant_id', '=', tenantId).executeTakeFirst(),
  ]);
  return { rows, secrets, audit, settings: settings ?? null };
}

interface Case {
  code: string;
  draft: (sim: Sim) => Record<string, unknown>;
  model: string;
}

const anthropic = (sim: Sim, apiKey = sim.anthropic.apiKey, baseUrl = sim.anthropic.baseUrl) => ({ kind: 'anthropic', apiKey, baseUrl });
const openai = (sim: Sim, apiKey = sim.openai.apiKey, baseUrl = sim.openai.baseUrl) => ({ kind: 'openai', apiKey, baseUrl });
const azure = (sim: Sim, apiKey = sim.azure.apiKey, endpoint = sim.azure.endpoint, apiStyle = 'openai') => ({
  kind: 'azure',
  apiKey,
  azure: { endpoint, apiStyle, apiVersion: null, modelOf: { 'gpt-4o-prod': 'gpt-4o' } },
});
const fakeAnthropicKey = `sk-ant-api03-${'Q'.repeat(93)}AA`;

for (const kind of dialectsUnderTest()) {
  describe(`${kind}: Test connection and save errors`, () => {
    let sim: Sim;
    let t: TestApp;
    let htmlServer: Awaited<ReturnType<typeof listen>>;
    let textServer: Awaited<ReturnType<typeof listen>>;
    let deadPort: number;
    before(async () => {
      sim = await startSimulator();
      t = await createTestApp(kind);
      // An "Azure endpoint" that is a web site: HTML 404 on every path.
      htmlServer = await listen((_req, res) => {
        res.writeHead(404, { 'content-type': 'text/html' }).end('<!doctype html><html><body><h1>404 Not Found</h1></body></html>');
      });
      // A "base URL" that answers 200 with something that is not the provider's JSON.
      textServer = await listen((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('hello from a web server');
      });
      deadPort = await closedPort();
    });
    after(async () => {
      await closeConfigCache(t.ctx);
      await t.close();
      await sim.close();
      await htmlServer.close();
      await textServer.close();
    });

    const cases: Case[] = [
      { code: 'invalid_api_key', draft: (sim) => anthropic(sim, fakeAnthropicKey), model: 'claude-sonnet-4-5-20250929' },
      { code: 'invalid_api_key', draft: (sim) => azure(sim, '0123456789abcdef0123456789abcdef'), model: 'gpt-4o-prod' },
      { code: 'permission_denied', draft: (sim) => openai(sim, sim.faultKey('openai', '403')), model: 'gpt-4o' },
      { code: 'admin_key_rejected', draft: (sim) => anthropic(sim, `sk-ant-admin01-${'a'.repeat(90)}AA`), model: 'claude-sonnet-4-5-20250929' },
      { code: 'admin_key_rejected', draft: (sim) => openai(sim, `sk-admin-${'b'.repeat(60)}`), model: 'gpt-4o' },
      { code: 'key_format_mismatch', draft: (sim) => anthropic(sim, sim.openai.apiKey), model: 'claude-sonnet-4-5-20250929' },
      { code: 'key_format_mismatch', draft: (sim) => azure(sim, sim.anthropic.apiKey), model: 'gpt-4o-prod' },
      { code: 'model_not_found', draft: (sim) => anthropic(sim), model: 'claude-nonexistent-9' },
      { code: 'model_not_found', draft: (sim) => azure(sim), model: 'no-such-deployment' },
      { code: 'rate_limited', draft: (sim) => openai(sim, sim.faultKey('openai', '429:20')), model: 'gpt-4o' },
      { code: 'quota_exceeded', draft: (sim) => openai(sim, sim.faultKey('openai', 'quota')), model: 'gpt-4o' },
      { code: 'provider_overloaded', draft: (sim) => anthropic(sim, sim.faultKey('anthropic', '529')), model: 'claude-sonnet-4-5-20250929' },
      { code: 'provider_error', draft: (sim) => openai(sim, sim.faultKey('openai', '500')), model: 'gpt-4o' },
      { code: 'content_filtered', draft: (sim) => azure(sim, sim.faultKey('azure', 'content-filter')), model: 'gpt-4o-prod' },
      { code: 'unreachable', draft: (sim) => openai(sim, sim.openai.apiKey, `http://127.0.0.1:${deadPort}/v1`), model: 'gpt-4o' },
      { code: 'bad_endpoint', draft: (sim) => azure(sim, sim.azure.apiKey, htmlServer.url), model: 'gpt-4o-prod' },
      { code: 'unexpected_response', draft: (sim) => anthropic(sim, sim.anthropic.apiKey, textServer.url), model: 'claude-sonnet-4-5-20250929' },
    ];

    for (const c of cases) {
      it(`${c.code} (${c.model}): a failed test with a hint; a save stores nothing`, async () => {
        const { tenant, admin: user } = await seedTenant(t.ctx);
        const admin = await signIn(t.app, user.email, user.password);
        const draft = c.draft(sim);
        let res = await t.app.inject({ method: 'POST', url: '/api/admin/ai/test', headers: admin.headers, payload: { ...draft, model: c.model } });
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json();
        assert.equal(body.ok, false, res.body);
        assert.equal(body.error.code, c.code, res.body);
        assert.ok(body.error.message.length > 0 && body.error.hint.length > 0, res.body);
        assert.ok(!res.body.includes(String(draft.apiKey)), 'the key is not echoed');

        const before = await snapshot(t, tenant.id);
        res = await t.app.inject({ method: 'POST', url: '/api/admin/ai/providers', headers: admin.headers, payload: { ...draft, models: { orchestrator: c.model } } });
        assertError(res, 422, c.code);
        assert.ok(res.json().error.hint.length > 0);
        assert.ok(!res.body.includes(String(draft.apiKey)));
        assert.deepEqual(await snapshot(t, tenant.id), before, 'a failed save changes nothing');
      });
    }

    it('timeout: a provider slower than the test timeout', async () => {
      const { tenant, admin } = await seedTenant(t.ctx);
      const deps = aiConfigDeps(t.ctx, { testTimeoutMs: 300 });
      const actor = { tenantId: tenant.id, userId: admin.id, email: admin.email };
      const started = Date.now();
      const answer = await testConnectionRequest(deps, actor, {
        kind: 'anthropic', apiKey: new Secret(sim.faultKey('anthropic', 'slow-first-byte:3000')), baseUrl: sim.anthropic.baseUrl, model: 'claude-sonnet-4-5-20250929',
      });
      assert.equal(answer.ok, false);
      assert.equal(!answer.ok && answer.error.code, 'timeout');
      assert.ok(!answer.ok && answer.error.hint.length > 0);
      assert.ok(Date.now() - started < 2500, 'the test gives up at its timeout');
    });

    it('upstream_not_allowed: a private address when MOSAIC_ALLOW_PRIVATE_UPSTREAMS is off', async () => {
      const strict = await createTestApp(kind, { env: { MOSAIC_ALLOW_PRIVATE_UPSTREAMS: '0' } });
      try {
        const { tenant, admin: user } = await seedTenant(strict.ctx);
        const admin: SignedIn = await signIn(strict.app, user.email, user.password);
        for (const draft of [anthropic(sim), azure(sim, sim.azure.apiKey, 'https://169.254.169.254'), openai(sim, sim.openai.apiKey, 'https://10.0.0.8/v1')]) {
          const res = await strict.app.inject({ method: 'POST', url: '/api/admin/ai/test', headers: admin.headers, payload: { ...draft, model: 'gpt-4o-prod' } });
          assert.equal(res.statusCode, 200, res.body);
          assert.equal(res.json().error.code, 'upstream_not_allowed', res.body);
          assert.ok(res.json().error.hint.includes('MOSAIC_ALLOW_PRIVATE_UPSTREAMS'));
          const before = await snapshot(strict, tenant.id);
          assertError(await strict.app.inject({ method: 'POST', url: '/api/admin/ai/providers', headers: admin.headers, payload: { ...draft, models: { orchestrator: 'gpt-4o-prod' } } }), 422, 'upstream_not_allowed');
          assertError(await strict.app.inject({ method: 'POST', url: '/api/admin/ai/models', headers: admin.headers, payload: draft }), 422, 'upstream_not_allowed');
          assert.deepEqual(await snapshot(strict, tenant.id), before);
        }
      } finally {
        await strict.close();
      }
    });

    it('models: a failure is a 422 with the test code and hint; Azure may list nothing', async () => {
      const { admin: user } = await seedTenant(t.ctx);
      const admin = await signIn(t.app, user.email, user.password);
      let res = await t.app.inject({ method: 'POST', url: '/api/admin/ai/models', headers: admin.headers, payload: anthropic(sim, fakeAnthropicKey) });
      assertError(res, 422, 'invalid_api_key');
      assert.ok(res.json().error.hint.length > 0);
      res = await t.app.inject({ method: 'POST', url: '/api/admin/ai/models', headers: admin.headers, payload: openai(sim, `sk-admin-${'b'.repeat(60)}`) });
      assertError(res, 422, 'admin_key_rejected');
      res = await t.app.inject({ method: 'POST', url: '/api/admin/ai/models', headers: admin.headers, payload: azure(sim) });
      assert.equal(res.statusCode, 200, res.body);
      assert.ok(Array.isArray(res.json().models));
    });

    it('a failed rotation keeps the old key: nothing changes, and the old key still works', async () => {
      const { tenant, admin: user } = await seedTenant(t.ctx);
      const admin = await signIn(t.app, user.email, user.password);
      let res = await t.app.inject({ method: 'POST', url: '/api/admin/ai/providers', headers: admin.headers, payload: { ...anthropic(sim), models: { orchestrator: 'claude-sonnet-4-5-20250929' } } });
      assert.equal(res.statusCode, 201, res.body);
      const id = res.json().provider.id;
      const before = await snapshot(t, tenant.id);
      for (const [apiKey, code] of [
        [fakeAnthropicKey, 'invalid_api_key'],
        [`sk-ant-admin01-${'a'.repeat(90)}AA`, 'admin_key_rejected'],
        [sim.openai.apiKey, 'key_format_mismatch'],
        [sim.faultKey('anthropic', '403'), 'permission_denied'],
      ] as const) {
        res = await t.app.inject({ method: 'PUT', url: `/api/admin/ai/providers/${id}/key`, headers: admin.headers, payload: { apiKey } });
        assertError(res, 422, code);
        assert.ok(!res.body.includes(apiKey));
      }
      assert.deepEqual(await snapshot(t, tenant.id), before, 'a failed rotation changes nothing');
      res = await t.app.inject({ method: 'POST', url: '/api/admin/ai/test', headers: admin.headers, payload: { providerId: id } });
      assert.equal(res.json().ok, true, res.body);
    });
  });
}
