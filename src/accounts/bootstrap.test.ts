import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../server/app.ts';
import { createTestContext } from '../testing/test-context.ts';
import { dialectsUnderTest } from '../testing/test-db.ts';
import { assertError } from '../testing/http-assert.ts';
import { bootstrap, BootstrapError } from './bootstrap.ts';

const ADMIN_PASSWORD = 'canary-bootstrap-Pw-4f9d1c';

for (const kind of dialectsUnderTest()) {
  describe(`${kind}: first-start bootstrap`, () => {
    it('from MOSAIC_ADMIN_EMAIL/PASSWORD: creates the tenant and a tenant+global admin once', async () => {
      const ctx = await createTestContext(kind, { env: { MOSAIC_ADMIN_EMAIL: 'Root@Example.test', MOSAIC_ADMIN_PASSWORD: ADMIN_PASSWORD, MOSAIC_TENANT_NAME: 'Acme' } });
      const app = await buildApp(ctx);
      try {
        assert.equal(await bootstrap(ctx), 'admin_created');
        assert.equal(await bootstrap(ctx), 'already_set_up', 'a restart changes nothing');
        assert.deepEqual((await ctx.db.selectFrom('tenants').select('name').execute()).map((r) => r.name), ['Acme']);
        assert.equal((await ctx.db.selectFrom('users').select('id').execute()).length, 1);
        const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'root@example.test', password: ADMIN_PASSWORD } });
        assert.equal(login.statusCode, 200);
        assert.deepEqual(login.json().user.roles, ['member', 'tenant_admin', 'global_admin']);
        assert.deepEqual((await app.inject({ method: 'GET', url: '/api/setup/status' })).json(), { needed: false });
        // Canary: the password is in no log line and no table.
        assert.ok(!ctx.logs.join('\n').includes(ADMIN_PASSWORD));
        for (const table of ['users', 'audit_events', 'tenants'] as const) {
          assert.ok(!JSON.stringify(await ctx.db.selectFrom(table).selectAll().execute()).includes(ADMIN_PASSWORD), table);
        }
      } finally {
        await app.close();
        await ctx.cleanup();
      }
    });

    it('refuses half a configuration or a short password with a message naming the fix', async () => {
      const half = await createTestContext(kind, { env: { MOSAIC_ADMIN_EMAIL: 'root@example.test' } });
      const short = await createTestContext(kind, { env: { MOSAIC_ADMIN_EMAIL: 'root@example.test', MOSAIC_ADMIN_PASSWORD: 'short' } });
      try {
        await assert.rejects(bootstrap(half), (e: unknown) => e instanceof BootstrapError && /MOSAIC_ADMIN_PASSWORD/.test(e.message));
        await assert.rejects(bootstrap(short), (e: unknown) => e instanceof BootstrapError && /at least|12/.test(e.message));
        assert.equal((await short.db.selectFrom('users').select('id').execute()).length, 0);
      } finally {
        await half.cleanup();
        await short.cleanup();
      }
    });

    it('without them: logs a one-time setup link once; the link creates the first admin and signs in; single use', async () => {
      const ctx = await createTestContext(kind, { env: { MOSAIC_PUBLIC_URL: 'https://mosaic.example.test' } });
      const app = await buildApp(ctx);
      try {
        assert.equal(await bootstrap(ctx), 'setup_link_logged');
        const stale = /setup\?token=([A-Za-z0-9_-]+)/.exec(ctx.logs.join('\n'))![1]!;
        // A restart before setup logs a new link; the old one stops working.
        assert.equal(await bootstrap(ctx), 'setup_link_logged');
        const lines = ctx.logs.filter((l) => l.includes('/setup?token='));
        assert.equal(lines.length, 2);
        const match = /(https:\/\/mosaic\.example\.test\/setup\?token=([A-Za-z0-9_-]+))/.exec(lines[1]!);
        assert.ok(match, lines[1]);
        const token = match[2]!;
        assert.equal(ctx.logs.filter((l) => l.includes(token)).length, 1, 'the token is in exactly one log line');
        assert.ok(!JSON.stringify(await ctx.db.selectFrom('setup_tokens').selectAll().execute()).includes(token), 'stored hashed');

        assert.deepEqual((await app.inject({ method: 'GET', url: '/api/setup/status' })).json(), { needed: true });
        const form = { token, tenantName: 'Globex', email: 'Founder@Globex.test', password: ADMIN_PASSWORD };
        assertError(await app.inject({ method: 'POST', url: '/api/setup', payload: { ...form, password: 'short' } }), 400, 'invalid_request');
        assertError(await app.inject({ method: 'POST', url: '/api/setup', payload: { ...form, extra: 1 } }), 400, 'invalid_request');
        assertError(await app.inject({ method: 'POST', url: '/api/setup', payload: { ...form, token: 'forged' } }), 403, 'invalid_setup_token');
        assertError(await app.inject({ method: 'POST', url: '/api/setup', payload: { ...form, token: stale } }), 403, 'invalid_setup_token');

        const res = await app.inject({ method: 'POST', url: '/api/setup', payload: form });
        assert.equal(res.statusCode, 201, res.body);
        const body = res.json();
        assert.equal(body.tenant.name, 'Globex');
        assert.deepEqual(body.user.roles, ['member', 'tenant_admin', 'global_admin']);
        assert.equal(body.user.email, 'founder@globex.test');
        const cookie = String(res.headers['set-cookie']);
        assert.match(cookie, /; Secure/, 'Secure cookie behind an https public URL');
        const me = await app.inject({ method: 'GET', url: '/api/me', headers: { cookie: cookie.slice(0, cookie.indexOf(';')) } });
        assert.equal(me.json().csrfToken, body.csrfToken);

        assertError(await app.inject({ method: 'POST', url: '/api/setup', payload: { ...form, email: 'second@globex.test' } }), 409, 'already_set_up');
        assert.deepEqual((await app.inject({ method: 'GET', url: '/api/setup/status' })).json(), { needed: false });
        assert.equal(await bootstrap(ctx), 'already_set_up');
        assert.equal(ctx.logs.filter((l) => l.includes('/setup?token=')).length, 2, 'no new link once set up');
        assert.ok(!ctx.logs.join('\n').includes(ADMIN_PASSWORD));
      } finally {
        await app.close();
        await ctx.cleanup();
      }
    });

    it('a setup token cannot be used twice, even by two racing requests', async () => {
      const ctx = await createTestContext(kind);
      const app = await buildApp(ctx);
      try {
        await bootstrap(ctx);
        const token = /setup\?token=([A-Za-z0-9_-]+)/.exec(ctx.logs.join('\n'))![1]!;
        const answers = await Promise.all(['one@x.test', 'two@x.test'].map((email) =>
          app.inject({ method: 'POST', url: '/api/setup', payload: { token, email, password: ADMIN_PASSWORD } })));
        const codes = answers.map((r) => r.statusCode).sort();
        assert.equal(codes[0], 201, codes.join());
        assert.ok(codes[1] === 403 || codes[1] === 409, codes.join());
        assert.equal((await ctx.db.selectFrom('users').select('id').execute()).length, 1);
        assert.deepEqual((await ctx.db.selectFrom('tenants').select('name').execute()).map((r) => r.name), ['Default']);
      } finally {
        await app.close();
        await ctx.cleanup();
      }
    });
  });
}
