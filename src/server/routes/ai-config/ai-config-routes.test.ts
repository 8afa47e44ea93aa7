// The product page's flow through HTTP alone, against the simulator over real sockets, for Anthropic,
// OpenAI and Azure AI Foundry (both API styles): add → models → test → save → re-test → rotate → switch
// → delete refused → move sessions → delete. Plus who may call what.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from '../../../../sim/simulator.ts';
import { closeConfigCache } from '../../../ai-config/config-cache.ts';
import { recommendedModels } from '../../../providers/catalog/model-catalog.ts';
import { newId } from '../../../ids.ts';
import { insertSession } from '../../../testing/chat-factories.ts';
import { createUser, seedTenant, signIn, type SeededTenant, type SignedIn } from '../../../testing/factories.ts';
import { assertError } from '../../../testing/http-assert.ts';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { dialectsUnderTest } from '../../../testing/test-db.ts';

type Sim = Awaited<ReturnType<typeof startSimulator>>;

interface FlowCase {
  name: string;
  /** The connection fields of a draft, with `apiKey`. */
  draft(sim: Sim, apiKey?: string): Record<string, unknown>;
  /** A second key the simulator accepts (for rotation). */
  secondKey(sim: Sim): string;
  orchestrator: string;
  /** What `fast` defaults to when not given. */
  expectedFast: string;
  hintPrefix: string;
}

const azureDraft = (apiStyle: 'openai' | 'anthropic') => (sim: Sim, apiKey = sim.azure.apiKey) => ({
  kind: 'azure',
  apiKey,
  azure: {
    endpoint: `${sim.azure.endpoint}/`,
    apiStyle,
    apiVersion: null,
    modelOf: Object.fromEntries(sim.azure.deployments.filter((d) => d.apiStyle === apiStyle).map((d) => [d.name, d.model])),
  },
});

const CASES: FlowCase[] = [
  {
    name: 'Anthropic',
    draft: (sim, apiKey = sim.anthropic.apiKey) => ({ kind: 'anthropic', apiKey, baseUrl: `${sim.anthropic.baseUrl}/` }),
    secondKey: (sim) => sim.faultKey('anthropic', 'tps:100000'),
    orchestrator: 'claude-sonnet-4-5-20250929',
    expectedFast: recommendedModels('anthropic').fast!,
    hintPrefix: 'sk-ant-…',
  },
  {
    name: 'OpenAI',
    draft: (sim, apiKey = sim.openai.apiKey) => ({ kind: 'openai', apiKey, baseUrl: sim.openai.baseUrl }),
    secondKey: (sim) => sim.faultKey('openai', 'tps:100000'),
    orchestrator: 'gpt-4o',
    expectedFast: recommendedModels('openai').fast!,
    hintPrefix: 'sk-proj-…',
  },
  {
    name: 'Azure AI Foundry (openai style)',
    draft: azureDraft('openai'),
    secondKey: (sim) => sim.faultKey('azure', 'tps:100000'),
    orchestrator: 'gpt-4o-prod',
    // The deployment whose modelOf is the recommended fast model (gpt-4o-mini).
    expectedFast: 'gpt-4o-mini-fast',
    hintPrefix: '…',
  },
  {
    name: 'Azure AI Foundry (anthropic style)',
    draft: azureDraft('anthropic'),
    secondKey: (sim) => sim.faultKey('azure', 'tps:100000'),
    orchestrator: 'claude-sonnet',
    expectedFast: 'claude-haiku',
    hintPrefix: '…',
  },
];

async function insertInFlightSession(t: TestApp, tenantId: string, userId: string, providerId: string): Promise<string> {
  const now = t.ctx.clock.now().toISOString();
  const session = await insertSession(t.ctx.db, {
    tenantId, userId, title: 'in flight', provider_id: providerId, model_orchestrator: 'old', model_fast: 'old',
    status: 'in_flight', created_at: now, last_activity_at: now, turns: 1,
  });
  return session.id;
}

for (const kind of dialectsUnderTest()) {
  describe(`${kind}: Admin → AI Configuration over HTTP`, () => {
    let sim: Sim;
    let t: TestApp;
    before(async () => {
      sim = await startSimulator();
      t = await createTestApp(kind);
    });
    after(async () => {
      await closeConfigCache(t.ctx);
      await t.close();
      await sim.close();
    });

    for (const c of CASES) {
      it(`${c.name}: the whole page's flow`, async () => {
        const { tenant, admin: adminUser } = await seedTenant(t.ctx);
        let admin = await signIn(t.app, adminUser.email, adminUser.password);
        const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
          t.app.inject({ method, url, headers: admin.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

        // Nothing configured yet.
        let res = await call('GET', '/api/admin/ai/providers');
        assert.deepEqual(res.json(), { providers: [], activeProviderId: null });

        // The picker's list, with the key being added.
        res = await call('POST', '/api/admin/ai/models', c.draft(sim));
        assert.equal(res.statusCode, 200, res.body);
        const { models } = res.json() as { models: Array<{ id: string; displayName: string; recommendedFor: string[] }> };
        if (!c.name.startsWith('Azure')) {
          assert.ok(models.length > 1);
          assert.deepEqual(models[0]?.recommendedFor, ['orchestrator'], 'recommended orchestrator models come first');
          assert.ok(models.some((m) => m.id === c.orchestrator));
          assert.ok(models.some((m) => m.id === c.expectedFast && m.recommendedFor.includes('fast')));
        }

        // Test connection on the chosen model.
        res = await call('POST', '/api/admin/ai/test', { ...c.draft(sim), model: c.orchestrator });
        assert.equal(res.statusCode, 200, res.body);
        const tested = res.json();
        assert.equal(tested.ok, true, res.body);
        assert.equal(typeof tested.latencyMs, 'number');
        assert.equal(typeof tested.reply, 'string');

        // Save.
        res = await call('POST', '/api/admin/ai/providers', { ...c.draft(sim), keyName: 'mosaic-prod', models: { orchestrator: c.orchestrator } });
        assert.equal(res.statusCode, 201, res.body);
        const first = res.json().provider;
        assert.equal(first.active, true, 'the first provider becomes active');
        assert.deepEqual(first.models, { orchestrator: c.orchestrator, fast: c.expectedFast });
        assert.ok(first.key.hint.startsWith(c.hintPrefix), first.key.hint);
        assert.equal(first.key.name, 'mosaic-prod');
        assert.equal(first.key.ageDays, 0);
        assert.equal(first.key.rotationDue, false);
        assert.equal(first.lastTest.ok, true);
        assert.equal(first.baseUrl === null || !first.baseUrl.endsWith('/'), true, 'trailing slash dropped');
        if (first.azure) assert.ok(!first.azure.endpoint.endsWith('/'));
        assert.ok(!res.body.includes(String(c.draft(sim).apiKey)), 'the key is never returned');

        // Re-test the saved connection; the result is kept on the record.
        t.ctx.clock.advance(60_000);
        res = await call('POST', '/api/admin/ai/test', { providerId: first.id });
        assert.equal(res.json().ok, true, res.body);
        res = await call('GET', '/api/admin/ai/providers');
        assert.equal(res.json().activeProviderId, first.id);
        assert.equal(res.json().providers[0].lastTest.at, t.ctx.clock.now().toISOString());

        // 90 days later the key is due for rotation; rotate it.
        t.ctx.clock.advance(90 * 86_400_000);
        admin = await signIn(t.app, adminUser.email, adminUser.password);
        res = await call('GET', '/api/admin/ai/providers');
        assert.equal(res.json().providers[0].key.rotationDue, true);
        assert.equal(res.json().providers[0].key.ageDays, 90);
        const newKey = c.secondKey(sim);
        res = await call('PUT', `/api/admin/ai/providers/${first.id}/key`, { apiKey: newKey, keyName: 'mosaic-prod-2' });
        assert.equal(res.statusCode, 200, res.body);
        const rotated = res.json();
        assert.deepEqual(rotated.previousKey, { hint: first.key.hint, name: 'mosaic-prod', addedAt: first.key.addedAt });
        assert.notEqual(rotated.provider.key.hint, first.key.hint);
        assert.equal(rotated.provider.key.rotationDue, false);
        assert.equal(rotated.provider.key.name, 'mosaic-prod-2');
        assert.ok(!res.body.includes(newKey));

        // A second provider of the same kind, then switch to it.
        res = await call('POST', '/api/admin/ai/providers', { ...c.draft(sim), label: 'Backup', models: { orchestrator: c.orchestrator, fast: c.expectedFast } });
        assert.equal(res.statusCode, 201, res.body);
        const second = res.json().provider;
        assert.equal(second.active, false, 'another provider stays inactive unless asked');
        assert.equal(second.label, 'Backup');
        res = await call('POST', `/api/admin/ai/providers/${second.id}/activate`);
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().provider.active, true);
        res = await call('GET', '/api/admin/ai/providers');
        assert.equal(res.json().activeProviderId, second.id);

        // Delete refused while active, and while an in-flight session is pinned.
        assertError(await call('DELETE', `/api/admin/ai/providers/${second.id}`), 409, 'provider_in_use');
        const sessionId = await insertInFlightSession(t, tenant.id, adminUser.id, first.id);
        // One more on it, idle past the window with no answer being written: no longer in flight.
        const idle = await insertInFlightSession(t, tenant.id, adminUser.id, first.id);
        const longAgo = new Date(t.ctx.clock.now().getTime() - (t.ctx.config.sessionIdleMinutes + 1) * 60_000).toISOString();
        await t.ctx.db.updateTable('chat_sessions').set({ last_activity_at: longAgo }).where('id', '=', idle).execute();
        // The cards count what is in flight on each provider, so the admin sees it before deleting.
        const inFlight = async () => Object.fromEntries((await call('GET', '/api/admin/ai/providers')).json().providers.map((p: { id: string; inFlightSessions: number }) => [p.id, p.inFlightSessions]));
        assert.deepEqual(await inFlight(), { [first.id]: 1, [second.id]: 0 });
        assertError(await call('DELETE', `/api/admin/ai/providers/${first.id}`), 409, 'provider_in_use');

        // Move the sessions, then delete.
        res = await call('DELETE', `/api/admin/ai/providers/${first.id}?moveSessionsTo=${second.id}`);
        assert.equal(res.statusCode, 204, res.body);
        assert.deepEqual(await inFlight(), { [second.id]: 1 });
        const session = await t.ctx.db.selectFrom('chat_sessions').selectAll().where('id', '=', sessionId).executeTakeFirstOrThrow();
        assert.equal(session.provider_id, second.id);
        assert.equal(session.model_orchestrator, c.orchestrator);
        assert.equal(session.model_fast, c.expectedFast);
        const repin = await t.ctx.db.selectFrom('call_records').selectAll().where('session_id', '=', sessionId).execute();
        assert.equal(repin.length, 1);
        assert.equal(repin[0]?.type, 'repin');
        assert.deepEqual(JSON.parse(repin[0]?.details ?? '{}'), { from: first.id, to: second.id, reason: 'provider_deleted' });

        // The kill switch, then the last provider can go.
        res = await call('POST', '/api/admin/ai/deactivate');
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().activeProviderId, null);
        await t.ctx.db.updateTable('chat_sessions').set({ status: 'completed' }).where('id', '=', sessionId).execute();
        res = await call('DELETE', `/api/admin/ai/providers/${second.id}`);
        assert.equal(res.statusCode, 204, res.body);
        res = await call('GET', '/api/admin/ai/providers');
        assert.deepEqual(res.json(), { providers: [], activeProviderId: null });
        const secrets = await t.ctx.db.selectFrom('secrets').select('id').where('tenant_id', '=', tenant.id).execute();
        assert.equal(secrets.length, 0, 'deleted and rotated-out keys leave no secret behind');

        const actions = (await t.ctx.db.selectFrom('audit_events').select('action').where('tenant_id', '=', tenant.id).orderBy('at').execute())
          .map((e) => e.action)
          .filter((a) => a.startsWith('ai.'))
          .sort();
        // The manual clock stands still between steps, so compare as a set of events.
        assert.deepEqual(actions, [
          'ai.provider.add', 'ai.provider.rotate_key', 'ai.provider.add', 'ai.provider.activate', 'ai.provider.delete', 'ai.deactivate', 'ai.provider.delete',
        ].sort());
      });
    }

    it('PATCH tests changed models first: a failure changes nothing, a pass is saved', async () => {
      const { admin: adminUser } = await seedTenant(t.ctx);
      const admin = await signIn(t.app, adminUser.email, adminUser.password);
      let res = await t.app.inject({ method: 'POST', url: '/api/admin/ai/providers', headers: admin.headers, payload: { kind: 'openai', apiKey: sim.openai.apiKey, baseUrl: sim.openai.baseUrl, models: { orchestrator: 'gpt-4o' } } });
      const provider = res.json().provider;
      const url = `/api/admin/ai/providers/${provider.id}`;
      res = await t.app.inject({ method: 'PATCH', url, headers: admin.headers, payload: { models: { orchestrator: 'gpt-nonexistent' } } });
      assertError(res, 422, 'model_not_found');
      assert.equal(typeof res.json().error.hint, 'string');
      res = await t.app.inject({ method: 'GET', url: '/api/admin/ai/providers', headers: admin.headers });
      assert.equal(res.json().providers[0].models.orchestrator, 'gpt-4o');
      res = await t.app.inject({ method: 'PATCH', url, headers: admin.headers, payload: { label: 'Main', models: { orchestrator: 'gpt-4.1', fast: 'gpt-4.1-mini' } } });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().provider.models, { orchestrator: 'gpt-4.1', fast: 'gpt-4.1-mini' });
      assert.equal(res.json().provider.label, 'Main');
      res = await t.app.inject({ method: 'PATCH', url, headers: admin.headers, payload: { azure: { endpoint: 'https://r.openai.azure.com', apiStyle: 'openai' } } });
      assertError(res, 400, 'invalid_request');
    });

    it('tenant admins only: 401, csrf 403, member 403, other tenant / unknown / malformed id 404, bad body 400', async () => {
      const a = await seedTenant(t.ctx);
      const b: SeededTenant = await seedTenant(t.ctx);
      const adminA = await signIn(t.app, a.admin.email, a.admin.password);
      const adminB: SignedIn = await signIn(t.app, b.admin.email, b.admin.password);
      const member = await createUser(t.ctx, a.tenant.id);
      const memberSession = await signIn(t.app, member.email, member.password);
      const res = await t.app.inject({ method: 'POST', url: '/api/admin/ai/providers', headers: adminB.headers, payload: { kind: 'anthropic', apiKey: sim.anthropic.apiKey, baseUrl: sim.anthropic.baseUrl, models: { orchestrator: 'claude-sonnet-4-5-20250929' } } });
      assert.equal(res.statusCode, 201, res.body);
      const foreign = res.json().provider.id as string;

      const endpoints: Array<{ method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; payload?: object; idUrl?: (id: string) => string }> = [
        { method: 'GET', url: '/api/admin/ai/providers' },
        { method: 'POST', url: '/api/admin/ai/test', payload: { providerId: foreign } },
        { method: 'POST', url: '/api/admin/ai/models', payload: { providerId: foreign } },
        { method: 'POST', url: '/api/admin/ai/providers', payload: {} },
        { method: 'POST', url: '/api/admin/ai/deactivate' },
        { method: 'PATCH', url: '', idUrl: (id) => `/api/admin/ai/providers/${id}`, payload: { label: 'x' } },
        { method: 'PUT', url: '', idUrl: (id) => `/api/admin/ai/providers/${id}/key`, payload: { apiKey: sim.anthropic.apiKey } },
        { method: 'POST', url: '', idUrl: (id) => `/api/admin/ai/providers/${id}/activate` },
        { method: 'DELETE', url: '', idUrl: (id) => `/api/admin/ai/providers/${id}` },
      ];
      for (const e of endpoints) {
        const url = e.idUrl ? e.idUrl(foreign) : e.url;
        const opts = e.payload ? { payload: e.payload } : {};
        assertError(await t.app.inject({ method: e.method, url, ...opts }), 401, 'unauthenticated');
        if (e.method !== 'GET') assertError(await t.app.inject({ method: e.method, url, headers: { cookie: adminA.cookie }, ...opts }), 403, 'csrf_failed');
        assertError(await t.app.inject({ method: e.method, url, headers: memberSession.headers, ...opts }), 403, 'forbidden');
        if (e.idUrl || e.payload && 'providerId' in e.payload) {
          // Another tenant's id, an unknown id, a malformed id: all the same 404.
          for (const id of [foreign, newId(), 'not-a-uuid']) {
            const target = e.idUrl ? e.idUrl(id) : e.url;
            const payload = e.idUrl ? e.payload : { providerId: id };
            assertError(await t.app.inject({ method: e.method, url: target, headers: adminA.headers, ...(payload ? { payload } : {}) }), 404, 'not_found');
          }
        }
      }
      // Tenant B's provider is untouched by all of that.
      const listed = await t.app.inject({ method: 'GET', url: '/api/admin/ai/providers', headers: adminB.headers });
      assert.equal(listed.json().providers.length, 1);
      assert.equal(listed.json().activeProviderId, foreign);

      for (const bad of [
        {},
        { kind: 'gemini', apiKey: 'sk-xxxxxxxxxxxx', models: { orchestrator: 'x' } },
        { kind: 'anthropic', apiKey: 'sk-ant-api03 with spaces', models: { orchestrator: 'x' } },
        { kind: 'anthropic', apiKey: sim.anthropic.apiKey, models: {} },
        { kind: 'anthropic', apiKey: sim.anthropic.apiKey, models: { orchestrator: 'x' }, tenantId: b.tenant.id },
        { kind: 'azure', apiKey: sim.azure.apiKey, models: { orchestrator: 'x' } },
        { kind: 'anthropic', apiKey: sim.anthropic.apiKey, baseUrl: 'ftp://x', models: { orchestrator: 'x' } },
      ]) {
        const r = await t.app.inject({ method: 'POST', url: '/api/admin/ai/providers', headers: adminA.headers, payload: bad });
        assertError(r, 400, 'invalid_request');
        assert.ok(!r.body.includes(sim.anthropic.apiKey));
      }
      assertError(await t.app.inject({ method: 'POST', url: '/api/admin/ai/test', headers: adminA.headers, payload: { kind: 'openai', apiKey: sim.openai.apiKey } }), 400, 'invalid_request');
      assertError(await t.app.inject({ method: 'DELETE', url: `/api/admin/ai/providers/${foreign}?moveSessionsTo=nope`, headers: adminB.headers }), 400, 'invalid_request');
    });
  });
}
