import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { dialectsUnderTest } from '../../../testing/test-db.ts';
import { createUser, issueToken, seedTenant, signIn, type SeededTenant, type SignedIn, type TestUser } from '../../../testing/factories.ts';
import { assertError } from '../../../testing/http-assert.ts';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

for (const kind of dialectsUnderTest()) {
  describe(`${kind}: tenant admin user management`, () => {
    let t: TestApp;
    let a: SeededTenant;
    let b: SeededTenant;
    let admin: SignedIn;
    let member: TestUser;
    let memberSession: SignedIn;
    before(async () => {
      t = await createTestApp(kind);
      a = await seedTenant(t.ctx);
      b = await seedTenant(t.ctx);
      admin = await signIn(t.app, a.admin.email, a.admin.password);
      member = await createUser(t.ctx, a.tenant.id);
      memberSession = await signIn(t.app, member.email, member.password);
    });
    after(() => t.close());

    it('POST /api/admin/users walks 401 → 403 csrf → 403 role → 400 → 201 → 409', async () => {
      const url = '/api/admin/users';
      const good = { email: 'New.Person@Example.test', password: 'a-long-password-1', role: 'member' };
      assertError(await t.app.inject({ method: 'POST', url, payload: good }), 401, 'unauthenticated');
      assertError(await t.app.inject({ method: 'POST', url, headers: { cookie: admin.cookie }, payload: good }), 403, 'csrf_failed');
      assertError(await t.app.inject({ method: 'POST', url, headers: memberSession.headers, payload: good }), 403, 'forbidden');
      for (const bad of [
        { ...good, password: 'short' },
        { ...good, password: 'x'.repeat(257) },
        { ...good, email: 'not-an-email' },
        { ...good, role: 'global_admin' },
        { ...good, tenantId: b.tenant.id },
        { email: good.email, password: good.password },
      ]) {
        assertError(await t.app.inject({ method: 'POST', url, headers: admin.headers, payload: bad }), 400, 'invalid_request');
      }
      assertError(await t.app.inject({ method: 'POST', url, headers: { ...admin.headers, 'content-type': 'application/json' }, payload: '[1,' }), 400, 'invalid_request');

      const res = await t.app.inject({ method: 'POST', url, headers: admin.headers, payload: good });
      assert.equal(res.statusCode, 201, res.body);
      const { user } = res.json();
      assert.equal(user.email, 'new.person@example.test');
      assert.deepEqual(user.roles, ['member']);
      assert.equal(user.tenantId, a.tenant.id);
      assert.equal(user.disabled, false);
      assert.equal((await signIn(t.app, 'NEW.person@example.test', good.password)).csrfToken.length > 0, true);

      assertError(await t.app.inject({ method: 'POST', url, headers: admin.headers, payload: { ...good, email: 'new.person@EXAMPLE.test' } }), 409, 'conflict');
      // Emails are unique across tenants: sign-in is by email alone.
      const bs = await signIn(t.app, b.admin.email, b.admin.password);
      assertError(await t.app.inject({ method: 'POST', url, headers: bs.headers, payload: good }), 409, 'conflict');

      const audit = await t.ctx.db.selectFrom('audit_events').selectAll().where('target', '=', user.id).execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.action, 'user.created');
      assert.equal(audit[0]!.actor_id, a.admin.id);
    });

    it('a bearer token of a tenant admin creates users without a CSRF header', async () => {
      const bearer = await issueToken(t.app, admin);
      const res = await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: bearer, payload: { email: `bearer-${Date.now()}@example.test`, password: 'a-long-password-2', role: 'tenant_admin' } });
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(res.json().user.roles, ['member', 'tenant_admin']);
    });

    it('GET /api/admin/users lists only the caller\'s tenant, never a password hash', async () => {
      assertError(await t.app.inject({ method: 'GET', url: '/api/admin/users' }), 401, 'unauthenticated');
      assertError(await t.app.inject({ method: 'GET', url: '/api/admin/users', headers: { cookie: memberSession.cookie } }), 403, 'forbidden');
      const res = await t.app.inject({ method: 'GET', url: '/api/admin/users', headers: { cookie: admin.cookie } });
      assert.equal(res.statusCode, 200);
      const users = res.json().users as { id: string; tenantId: string }[];
      assert.ok(users.some((u) => u.id === member.id));
      assert.ok(users.every((u) => u.tenantId === a.tenant.id));
      assert.ok(!users.some((u) => u.id === b.admin.id));
      assert.doesNotMatch(res.body, /argon2|password/i);
    });

    it('PATCH /api/admin/users/:id walks 401 → 403 csrf → 403 role → 404 (malformed, unknown, other tenant) → 400 → 200', async () => {
      const url = `/api/admin/users/${member.id}`;
      assertError(await t.app.inject({ method: 'PATCH', url, payload: { disabled: true } }), 401, 'unauthenticated');
      assertError(await t.app.inject({ method: 'PATCH', url, headers: { cookie: admin.cookie }, payload: { disabled: true } }), 403, 'csrf_failed');
      assertError(await t.app.inject({ method: 'PATCH', url, headers: memberSession.headers, payload: { disabled: true } }), 403, 'forbidden');
      assertError(await t.app.inject({ method: 'PATCH', url: '/api/admin/users/42', headers: admin.headers, payload: { disabled: true } }), 404, 'not_found');
      assertError(await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${UNKNOWN_ID}`, headers: admin.headers, payload: { disabled: true } }), 404, 'not_found');
      // Another tenant's user is 404 even with a bad body (404 comes before 400), and is left untouched.
      assertError(await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${b.admin.id}`, headers: admin.headers, payload: { disabled: 'yes' } }), 404, 'not_found');
      assertError(await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${b.admin.id}`, headers: admin.headers, payload: { disabled: true } }), 404, 'not_found');
      assert.equal((await signIn(t.app, b.admin.email, b.admin.password)).csrfToken.length > 0, true);
      for (const bad of [{}, { disabled: 'yes' }, { roles: [] }, { roles: ['global_admin'] }, { roles: ['member', 'member'] }, { password: 'short' }, { email: 'x@y.z' }]) {
        assertError(await t.app.inject({ method: 'PATCH', url, headers: admin.headers, payload: bad }), 400, 'invalid_request');
      }

      const promoted = await t.app.inject({ method: 'PATCH', url, headers: admin.headers, payload: { roles: ['member', 'tenant_admin'] } });
      assert.equal(promoted.statusCode, 200, promoted.body);
      assert.deepEqual(promoted.json().user.roles, ['member', 'tenant_admin']);
      // Roles take effect on the member's existing session at once.
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/admin/users', headers: { cookie: memberSession.cookie } })).statusCode, 200);
      const demoted = await t.app.inject({ method: 'PATCH', url, headers: admin.headers, payload: { roles: ['member'] } });
      assert.deepEqual(demoted.json().user.roles, ['member']);
      assertError(await t.app.inject({ method: 'GET', url: '/api/admin/users', headers: { cookie: memberSession.cookie } }), 403, 'forbidden');
    });

    it('disabling a user ends their sessions and sign-ins; re-enabling lets them sign in again', async () => {
      const u = await createUser(t.ctx, a.tenant.id);
      const us = await signIn(t.app, u.email, u.password);
      const res = await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${u.id}`, headers: admin.headers, payload: { disabled: true } });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().user.disabled, true);
      assertError(await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: us.cookie } }), 401, 'unauthenticated');
      assertError(await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '203.0.113.5', payload: { email: u.email, password: u.password } }), 401, 'invalid_credentials');
      await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${u.id}`, headers: admin.headers, payload: { disabled: false } });
      await signIn(t.app, u.email, u.password);
    });

    it('a password reset replaces the password and ends the user\'s sessions', async () => {
      const u = await createUser(t.ctx, a.tenant.id);
      const us = await signIn(t.app, u.email, u.password);
      const res = await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${u.id}`, headers: admin.headers, payload: { password: 'the-new-password-9' } });
      assert.equal(res.statusCode, 200);
      assertError(await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: us.cookie } }), 401, 'unauthenticated');
      assertError(await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '203.0.113.6', payload: { email: u.email, password: u.password } }), 401, 'invalid_credentials');
      await signIn(t.app, u.email, 'the-new-password-9');
      const audit = await t.ctx.db.selectFrom('audit_events').selectAll().where('target', '=', u.id).where('action', '=', 'user.updated').executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(audit.details).changes, { passwordReset: true });
    });

    it('an admin cannot remove their own admin role or disable themselves (the tenant keeps an admin)', async () => {
      const url = `/api/admin/users/${a.admin.id}`;
      assertError(await t.app.inject({ method: 'PATCH', url, headers: admin.headers, payload: { roles: ['member'] } }), 409, 'cannot_remove_own_admin_role');
      assertError(await t.app.inject({ method: 'PATCH', url, headers: admin.headers, payload: { disabled: true } }), 409, 'cannot_disable_self');
      const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: admin.cookie } });
      assert.deepEqual(me.json().user.roles, ['member', 'tenant_admin']);
      // Resetting one's own password keeps the session it was done from.
      const own = await t.app.inject({ method: 'PATCH', url, headers: admin.headers, payload: { password: 'admin-new-password-1' } });
      assert.equal(own.statusCode, 200);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: admin.cookie } })).statusCode, 200);
      a.admin.password = 'admin-new-password-1';
    });

    it('a tenant admin cannot strip a global admin\'s operator role', async () => {
      const g = await createUser(t.ctx, a.tenant.id, { role: 'tenant_admin' });
      await t.ctx.db.updateTable('users').set({ roles: JSON.stringify(['member', 'tenant_admin', 'global_admin']) }).where('id', '=', g.id).execute();
      const res = await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${g.id}`, headers: admin.headers, payload: { roles: ['member'] } });
      assert.deepEqual(res.json().user.roles, ['member', 'global_admin']);
    });
  });
}
