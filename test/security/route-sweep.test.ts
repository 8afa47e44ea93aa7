// The attacker's sweep over EVERY API route, enumerated from the app itself (an onRoute hook while the app
// is built), so a route added later is swept too: without credentials → 401; a cookie write without the
// CSRF token → 403; a member on admin routes → 403; another tenant's real record ids and malformed ids →
// 404; over-large, malformed, mistyped, over-long and deeply nested bodies → the right 4xx, never a 500;
// and every error answer in the one shape with no stack trace. A new write route must add a sample body
// to SAMPLE_BODIES (the sweep fails naming it), so its fields get the type and length mutations too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { startSimulator } from '../../sim/simulator.ts';
import { createUser, seedTenant, signIn, type SignedIn } from '../../src/testing/factories.ts';
import { insertSession } from '../../src/testing/chat-factories.ts';
import { createTestApp, type TestApp } from '../../src/testing/test-app.ts';
import { dialectsUnderTest } from '../../src/testing/test-db.ts';
import { assertErrorAnswer, assertSafeAnswer, hostileBodies, leaves, replaceAt } from './security-kit.ts';

interface Route {
  method: string;
  url: string;
}

const SKIPPED = new Set(['GET /*', 'GET /healthz', 'GET /metrics']);
/** The only routes a caller without credentials may reach. */
const PUBLIC = new Set(['POST /api/auth/login', 'POST /api/setup', 'GET /api/setup/status']);
/** Write routes that take no body (they ignore one); every other write route must refuse a bad body. */
const BODYLESS = new Set(['POST /api/auth/logout', 'POST /api/admin/ai/providers/:id/activate', 'POST /api/admin/ai/deactivate']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// As they go into the URL (already percent-encoded where needed).
const MALFORMED_IDS = ['not-an-id', '1', "'%20OR%201%3D1%20--", '..%2F..%2Fetc%2Fpasswd', '00000000-0000-0000-0000-000000000000', 'x'.repeat(200), 'x'.repeat(5000), '%E0%A4%A', '%00'];
const ROUTER_REFUSED = new Set(['%E0%A4%A', 'x'.repeat(5000)]);
const HOSTILE_QUERIES = [
  'limit=abc', 'limit=-1', 'limit=99999999999999999999', 'limit=1&limit=2', 'cursor=garbage', 'cursor=%00', 'from=2026-13-45',
  'from=2026-03-02&to=2026-03-01', 'days=0', 'days=1e9', '__proto__[x]=1', 'constructor[prototype][x]=1', `user=${'x'.repeat(10_000)}`,
  'outcome[]=success', 'acknowledge=true&acknowledge=true', 'moveSessionsTo=not-an-id', '%E0%A4%A',
];
const MIB = 1024 * 1024;

const ANTHROPIC_MODEL = 'claude-sonnet-4-5-20250929';

for (const kind of dialectsUnderTest()) {
  test(`${kind}: every API route holds against an attacker`, async (t) => {
    const routes: Route[] = [];
    const sim = await startSimulator();
    const app = await createTestApp(kind, {
      env: { MOSAIC_ANTHROPIC_BASE_URL: sim.anthropic.baseUrl, MOSAIC_OPENAI_BASE_URL: sim.openai.baseUrl },
      onRoute: (route) => {
        for (const method of [route.method].flat()) {
          if (method !== 'HEAD' && !SKIPPED.has(`${method} ${route.url}`)) routes.push({ method, url: route.url });
        }
      },
    });
    try {
      const world = await buildWorld(app, sim);
      const key = (r: Route) => `${r.method} ${r.url}`;
      const inject = (options: InjectOptions) => app.app.inject(options);
      const withId = (r: Route, id: string) => r.url.replace(/:[A-Za-z]+/g, id);
      const ownUrl = (r: Route) => withId(r, world.ownIdFor(r.url));

      assert.ok(routes.length >= 25, `the sweep found only ${routes.length} routes`);
      for (const expected of ['POST /api/auth/login', 'DELETE /api/admin/ai/providers/:id', 'POST /api/chat/sessions/:id/messages', 'GET /api/admin/audit']) {
        assert.ok(routes.some((r) => key(r) === expected), `the sweep did not see ${expected}`);
      }
      const writes = routes.filter((r) => !SAFE_METHODS.has(r.method) && r.method !== 'DELETE');
      const missing = writes.filter((r) => !(key(r) in world.samples)).map(key);
      assert.deepEqual(missing, [], 'write routes without a sample body in SAMPLE_BODIES');
      const unmapped = routes.filter((r) => r.url.includes(':') && !world.hasOwnIdFor(r.url)).map(key);
      assert.deepEqual(unmapped, [], 'routes with an id but no record of tenant A to use (add one to ownIdFor)');

      await t.test('(a) no, bad or revoked credentials → 401 unauthenticated; public routes are only the listed ones', async () => {
        const badCredentials: Record<string, string>[] = [
          {},
          { authorization: 'Bearer mosaic_pat_not-a-real-token' },
          { authorization: 'Basic YWRtaW46YWRtaW4=' },
          { authorization: 'Bearer' },
          { cookie: 'mosaic_session=forged-session-value' },
          { cookie: `mosaic_session=${'A'.repeat(4000)}` },
          world.revokedBearer,
          world.disabledUserBearer,
          { cookie: world.disabledUserCookie },
        ];
        for (const r of routes.filter((r) => !PUBLIC.has(key(r)))) {
          for (const headers of badCredentials) {
            // A bad body does not change the answer: authentication comes first.
            const body = SAFE_METHODS.has(r.method) ? {} : { payload: '{"broken', headers: { ...headers, 'content-type': 'application/json' } };
            const res = await inject({ method: r.method as 'GET', url: ownUrl(r), headers, ...body });
            assertErrorAnswer(res, 401, 'unauthenticated', `${key(r)} with ${JSON.stringify(headers).slice(0, 80)}`);
          }
        }
        for (const publicRoute of PUBLIC) assert.ok(routes.some((r) => key(r) === publicRoute), `${publicRoute} is listed as public but does not exist`);
      });

      await t.test('CSRF: every cookie-authenticated write without the right X-CSRF-Token → 403 csrf_failed, and nothing happens', async () => {
        const before = await world.snapshot();
        for (const r of routes.filter((r) => !SAFE_METHODS.has(r.method) && !PUBLIC.has(key(r)))) {
          const tokens = [undefined, '', 'wrong', world.adminB.csrfToken, `${world.adminA.csrfToken} `];
          for (const csrf of tokens) {
            const headers: Record<string, string> = { cookie: world.adminA.cookie, ...(csrf === undefined ? {} : { 'x-csrf-token': csrf }) };
            const res = await inject({ method: r.method as 'POST', url: ownUrl(r), headers, payload: world.samples[key(r)] ?? {} });
            assertErrorAnswer(res, 403, 'csrf_failed', `${key(r)} with csrf ${JSON.stringify(csrf)}`);
          }
        }
        // Not a single write slipped through (logout, a deleted provider, a disabled user, a revoked token…).
        assert.deepEqual(await world.snapshot(), before);
        assert.equal((await inject({ method: 'GET', url: '/api/me', headers: { cookie: world.adminA.cookie } })).statusCode, 200);
      });

      await t.test('roles: a member on admin and operator routes, a tenant admin on operator routes → 403 forbidden', async () => {
        for (const r of routes.filter((r) => r.url.startsWith('/api/admin/') || r.url.startsWith('/api/operator/'))) {
          // Even with another tenant's id and a broken body: the role check answers first.
          const res = await inject({ method: r.method as 'GET', url: withId(r, world.foreignIds[0]!), headers: world.memberA, ...(SAFE_METHODS.has(r.method) ? {} : { payload: '[' , headers: { ...world.memberA, 'content-type': 'application/json' } }) });
          assertErrorAnswer(res, 403, 'forbidden', `member: ${key(r)}`);
        }
        for (const r of routes.filter((r) => r.url.startsWith('/api/operator/'))) {
          const res = await inject({ method: r.method as 'POST', url: r.url, headers: world.tenantAdminOnlyA, payload: world.samples[key(r)] ?? {} });
          assertErrorAnswer(res, 403, 'forbidden', `tenant admin: ${key(r)}`);
        }
      });

      await t.test("(b) tenant B's real record ids and malformed ids → 404 not_found, and tenant B's records are untouched", async () => {
        const before = await world.snapshot();
        for (const r of routes.filter((r) => r.url.includes(':'))) {
          for (const id of [...world.foreignIds, ...MALFORMED_IDS, world.foreignIds[0]!.toUpperCase()]) {
            const url = `${withId(r, id)}${r.url.endsWith('/content') ? '?acknowledge=true' : ''}`;
            for (const headers of [world.adminA_bearer, world.memberA]) {
              // A valid body, and a broken one: neither may get past the 404 (the contract's order).
              const payloads = SAFE_METHODS.has(r.method) || r.method === 'DELETE' ? [undefined] : [world.samples[key(r)] ?? {}, '{"oops'];
              for (const payload of payloads) {
                const res = await inject({ method: r.method as 'GET', url, headers: { ...headers, 'content-type': 'application/json' }, ...(payload === undefined ? {} : { payload }) });
                const member = headers === world.memberA;
                // A member on an admin route is 403 first; everywhere else it is the 404. An id the router
                // cannot even decode is refused before any handler: 404 for everyone, nothing looked up.
                if (member && r.url.startsWith('/api/admin/') && !ROUTER_REFUSED.has(id)) assertErrorAnswer(res, 403, 'forbidden', `${key(r)} as member`);
                else assertErrorAnswer(res, 404, 'not_found', `${key(r)} with id ${id.slice(0, 40)}${member ? ' as member' : ''}`);
              }
            }
          }
        }
        assert.deepEqual(await world.snapshot(), before, "tenant B's records did not change");
        const me = await inject({ method: 'GET', url: '/api/me', headers: world.bearerB });
        assert.equal(me.statusCode, 200, "tenant B's token still works");
      });

      await t.test('(c) bodies over 1 MiB → 413 payload_too_large on every write route, with credentials or without', async () => {
        const big = JSON.stringify({ name: 'x'.repeat(MIB) });
        for (const r of routes.filter((r) => !SAFE_METHODS.has(r.method))) {
          for (const headers of [world.adminA_bearer, {}]) {
            const res = await inject({ method: r.method as 'POST', url: ownUrl(r), headers: { ...headers, 'content-type': 'application/json' }, payload: big });
            assertErrorAnswer(res, 413, 'payload_too_large', `${key(r)}`);
          }
          // Just over the limit, as a raw non-JSON body too.
          const raw = await inject({ method: r.method as 'POST', url: ownUrl(r), headers: { ...world.adminA_bearer, 'content-type': 'text/plain' }, payload: 'y'.repeat(MIB + 1) });
          assertErrorAnswer(raw, 413, 'payload_too_large', `${key(r)} text/plain`);
        }
      });

      await t.test('(c) malformed, mistyped, poisoned and deeply nested bodies → 4xx in the contract shape, never a 500', async () => {
        for (const r of writes) {
          for (const body of hostileBodies()) {
            const res = await inject({ method: r.method as 'POST', url: ownUrl(r), headers: { ...world.adminA_bearer, 'content-type': body.contentType }, payload: body.payload });
            const what = `${key(r)} with ${body.name}`;
            assertSafeAnswer(res, what);
            if (!BODYLESS.has(key(r))) assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${what}: expected a 4xx, got ${res.statusCode}`);
          }
        }
      });

      await t.test('(c) each field of each body: a number for a string, a string for a number, 100,000 characters, null, {} and [] → 400, never a 500', async () => {
        for (const r of writes) {
          const sample = world.samples[key(r)];
          for (const leaf of leaves(sample).filter((l) => l.path.length > 0)) {
            const strict = typeof leaf.value === 'string' ? [12345, 'x'.repeat(100_000), {}, [], true]
              : typeof leaf.value === 'number' ? [String(leaf.value), {}, [], true, 'x'.repeat(100_000)]
              : typeof leaf.value === 'boolean' ? ['true', 1, {}, []] : [];
            const lenient = [null, -1, 0, 0.5, 1e308, -0, ''];
            for (const value of strict) {
              const res = await inject({ method: r.method as 'POST', url: ownUrl(r), headers: world.adminA_bearer, payload: replaceAt(sample, leaf.path, value) as object });
              assertErrorAnswer(res, 400, 'invalid_request', `${key(r)} with ${leaf.path.join('.')} = ${JSON.stringify(value).slice(0, 30)}`);
            }
            for (const value of lenient) {
              const res = await inject({ method: r.method as 'POST', url: ownUrl(r), headers: world.adminA_bearer, payload: replaceAt(sample, leaf.path, value) as object });
              assertSafeAnswer(res, `${key(r)} with ${leaf.path.join('.')} = ${JSON.stringify(value)}`);
            }
          }
        }
      });

      await t.test('hostile query strings on every route → never a 500', async () => {
        // DELETE is left out: with tenant A's own ids it would really delete (its ids are swept in (b)).
        for (const r of routes.filter((r) => r.method !== 'DELETE')) {
          for (const query of HOSTILE_QUERIES) {
            const res = await inject({ method: r.method as 'GET', url: `${ownUrl(r)}?${query}`, headers: world.adminA_bearer, ...(SAFE_METHODS.has(r.method) ? {} : { payload: '{"broken' , headers: { ...world.adminA_bearer, 'content-type': 'application/json' } }) });
            assertSafeAnswer(res, `${key(r)}?${query.slice(0, 40)}`);
          }
        }
      });

      await t.test('nothing in the logs says a client mistake was an unhandled error', () => {
        const unhandled = app.ctx.logs.filter((line) => line.includes('unhandled error'));
        assert.deepEqual(unhandled.map((l) => l.slice(0, 300)), []);
      });
    } finally {
      await app.close();
      await sim.close();
    }
  });
}

type Sim = Awaited<ReturnType<typeof startSimulator>>;

/** Tenant A (the attacker's) and tenant B (the victim), with real records of every kind in both. */
async function buildWorld(t: TestApp, sim: Sim) {
  const inject = (options: InjectOptions) => t.app.inject(options);
  const ok = async (options: InjectOptions, status: number) => {
    const res = await inject(options);
    assert.equal(res.statusCode, status, `${options.method} ${options.url}: ${res.body}`);
    return (res.body === '' ? {} : res.json()) as Record<string, unknown>;
  };
  const draft = { kind: 'anthropic', apiKey: sim.anthropic.apiKey, baseUrl: sim.anthropic.baseUrl };
  const addProvider = async (who: SignedIn) =>
    ((await ok({ method: 'POST', url: '/api/admin/ai/providers', headers: who.headers, payload: { ...draft, models: { orchestrator: ANTHROPIC_MODEL } } }, 201)).provider as { id: string }).id;
  const newToken = async (headers: Record<string, string>) => {
    const body = await ok({ method: 'POST', url: '/api/tokens', headers, payload: { name: 'sweep' } }, 201);
    return { id: body.id as string, bearer: { authorization: `Bearer ${body.token as string}` } };
  };

  // Tenant A: the attacker holds every role, so that each route gets past its role check to the id and body.
  const a = await seedTenant(t.ctx);
  await t.ctx.db.updateTable('users').set({ roles: JSON.stringify(['member', 'tenant_admin', 'global_admin']) }).where('id', '=', a.admin.id).execute();
  const adminA = await signIn(t.app, a.admin.email, a.admin.password);
  const tokenA = await newToken(adminA.headers);
  const memberUserA = await createUser(t.ctx, a.tenant.id);
  const memberA = (await newToken((await signIn(t.app, memberUserA.email, memberUserA.password)).headers)).bearer;
  const tenantAdminUserA = await createUser(t.ctx, a.tenant.id, { role: 'tenant_admin' });
  const tenantAdminOnlyA = (await newToken((await signIn(t.app, tenantAdminUserA.email, tenantAdminUserA.password)).headers)).bearer;
  const providerA = await addProvider(adminA);
  const sessionA = await insertSession(t.ctx.db, { tenantId: a.tenant.id, userId: a.admin.id, provider_id: providerA, status: 'in_flight' });
  // A revoked token, and a disabled user's token and cookie: all three are no credentials at all.
  const revoked = await newToken(adminA.headers);
  await ok({ method: 'DELETE', url: `/api/tokens/${revoked.id}`, headers: adminA.headers }, 204);
  const doomed = await createUser(t.ctx, a.tenant.id);
  const doomedSession = await signIn(t.app, doomed.email, doomed.password);
  const doomedToken = await newToken(doomedSession.headers);
  await ok({ method: 'PATCH', url: `/api/admin/users/${doomed.id}`, headers: adminA.headers, payload: { disabled: true } }, 200);

  // Tenant B: the victim, with a user, a token, a provider connection and a chat session.
  const b = await seedTenant(t.ctx);
  const adminB = await signIn(t.app, b.admin.email, b.admin.password);
  const memberB = await createUser(t.ctx, b.tenant.id);
  const tokenB = await newToken(adminB.headers);
  const providerB = await addProvider(adminB);
  const sessionB = await insertSession(t.ctx.db, { tenantId: b.tenant.id, userId: b.admin.id, provider_id: providerB, status: 'in_flight' });

  const ownIds: [RegExp, string][] = [
    [/^\/api\/admin\/users\/:/, memberUserA.id],
    [/^\/api\/tokens\/:/, tokenA.id],
    [/^\/api\/admin\/ai\/providers\/:/, providerA],
    [/^\/api\/chat\/sessions\/:/, sessionA.id],
    [/^\/api\/admin\/ai\/sessions\/:/, sessionA.id],
  ];
  const samples: Record<string, unknown> = {
    'POST /api/auth/login': { email: 'nobody@example.test', password: 'not the password' },
    'POST /api/auth/logout': {},
    'POST /api/setup': { token: 'x'.repeat(32), tenantName: 'Setup Co', email: 'setup@example.test', password: 'a long enough password' },
    'POST /api/tokens': { name: 'sweep token', expiresInDays: 30 },
    'POST /api/operator/tenants': { name: 'Sweep Co', admin: { email: 'sweep-op@example.test', password: 'a long enough password' } },
    'POST /api/admin/users': { email: 'sweep-new@example.test', password: 'a long enough password', role: 'member' },
    'PATCH /api/admin/users/:id': { roles: ['member'], disabled: false },
    'PUT /api/admin/ai/limits': { monthlyBudgetUsd: 100, alertAtPct: 80, perUserMonthlyBudgetUsd: 10, maxAgentSteps: 8, alertWebhookUrl: 'https://hooks.example.com/T0/B0/x' },
    // A closed local port: the send fails at once (no DNS, no outside network), answered as ok: false.
    'POST /api/admin/ai/limits/webhook-test': { alertWebhookUrl: 'http://127.0.0.1:9/hooks/x' },
    'POST /api/admin/ai/test': { ...draft, model: ANTHROPIC_MODEL },
    'POST /api/admin/ai/models': draft,
    'POST /api/admin/ai/providers': { ...draft, label: 'Sweep', keyName: 'sweep-key', models: { orchestrator: ANTHROPIC_MODEL, fast: 'claude-haiku-4-5-20251001' }, activate: false },
    'PATCH /api/admin/ai/providers/:id': { label: 'Renamed', models: { fast: 'claude-haiku-4-5-20251001' } },
    'PUT /api/admin/ai/providers/:id/key': { apiKey: sim.anthropic.apiKey, keyName: 'sweep-key-2' },
    'POST /api/admin/ai/providers/:id/activate': {},
    'POST /api/admin/ai/deactivate': {},
    'POST /api/chat/sessions': { title: 'Sweep' },
    'POST /api/chat/sessions/:id/close': {},
    'POST /api/chat/sessions/:id/messages': { content: 'How many orders?' },
  };

  /** Tenant B's rows, and tenant A's accounts and providers: what an attack must not change. */
  const snapshot = async () => {
    const db = t.ctx.db;
    const [users, tokens, providers, sessions, authSessions] = await Promise.all([
      db.selectFrom('users').selectAll().orderBy('id').execute(),
      db.selectFrom('api_tokens').selectAll().orderBy('id').execute(),
      db.selectFrom('provider_connections').selectAll().orderBy('id').execute(),
      db.selectFrom('chat_sessions').selectAll().where('tenant_id', '=', b.tenant.id).orderBy('id').execute(),
      db.selectFrom('auth_sessions').select(['id', 'user_id']).orderBy('id').execute(),
    ]);
    const settings = await db.selectFrom('tenant_settings').selectAll().orderBy('tenant_id').execute();
    // Use stamps move with every request; they are not what an attack would change.
    return JSON.parse(JSON.stringify({ users, tokens, providers, sessions, authSessions, settings }), (k, v: unknown) => (/^last_(used|seen)/.test(k) ? undefined : v)) as unknown;
  };

  return {
    adminA,
    adminB,
    adminA_bearer: tokenA.bearer,
    memberA,
    tenantAdminOnlyA,
    bearerB: tokenB.bearer,
    revokedBearer: revoked.bearer,
    disabledUserBearer: doomedToken.bearer,
    disabledUserCookie: doomedSession.cookie,
    foreignIds: [providerB, sessionB.id, memberB.id, b.admin.id, tokenB.id],
    samples,
    snapshot,
    hasOwnIdFor: (url: string) => ownIds.some(([re]) => re.test(url)),
    ownIdFor: (url: string) => ownIds.find(([re]) => re.test(url))?.[1] ?? 'no-id-needed',
  };
}
