import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { dialectsUnderTest } from '../../../testing/test-db.ts';
import { createUser, issueToken, seedTenant, signIn, type SeededTenant, type SignedIn } from '../../../testing/factories.ts';
import { assertError } from '../../../testing/http-assert.ts';

for (const kind of dialectsUnderTest()) {
  describe(`${kind}: operator creates tenants`, () => {
    let t: TestApp;
    let home: SeededTenant;
    let operator: SignedIn;
    let tenantAdmin: SignedIn;
    before(async () => {
      t = await createTestApp(kind);
      home = await seedTenant(t.ctx, { name: 'Operators' });
      await t.ctx.db.updateTable('users').set({ roles: JSON.stringify(['member', 'tenant_admin', 'global_admin']) }).where('id', '=', home.admin.id).execute();
      operator = await signIn(t.app, home.admin.email, home.admin.password);
      const other = await seedTenant(t.ctx);
      tenantAdmin = await signIn(t.app, other.admin.email, other.admin.password);
    });
    after(() => t.close());

    const url = '/api/operator/tenants';
    const body = (name: string) => ({ name, admin: { email: `boss@${name.toLowerCase()}.test`, password: 'a-long-password-7' } });

    it('walks 401 → 403 csrf → 403 role (tenant admin, member) → 400 → 201', async () => {
      assertError(await t.app.inject({ method: 'POST', url, payload: body('Acme') }), 401, 'unauthenticated');
      assertError(await t.app.inject({ method: 'POST', url, headers: { cookie: operator.cookie }, payload: body('Acme') }), 403, 'csrf_failed');
      assertError(await t.app.inject({ method: 'POST', url, headers: tenantAdmin.headers, payload: body('Acme') }), 403, 'forbidden');
      const m = await createUser(t.ctx, home.tenant.id);
      assertError(await t.app.inject({ method: 'POST', url, headers: (await signIn(t.app, m.email, m.password)).headers, payload: body('Acme') }), 403, 'forbidden');
      for (const bad of [{ name: 'Acme' }, { ...body('Acme'), plan: 'gold' }, { name: '', admin: body('x').admin }, { name: 'Acme', admin: { email: 'boss@acme.test', password: 'short' } }, { name: 'Acme', admin: { ...body('x').admin, roles: ['global_admin'] } }]) {
        assertError(await t.app.inject({ method: 'POST', url, headers: operator.headers, payload: bad }), 400, 'invalid_request');
      }

      const res = await t.app.inject({ method: 'POST', url, headers: operator.headers, payload: body('Acme') });
      assert.equal(res.statusCode, 201, res.body);
      const created = res.json();
      assert.deepEqual(Object.keys(created).sort(), ['admin', 'tenant']);
      assert.equal(created.tenant.name, 'Acme');
      assert.deepEqual(created.admin, { id: created.admin.id, email: 'boss@acme.test' });

      // The new admin signs in as a tenant admin of the new tenant (not an operator).
      const s = await signIn(t.app, 'boss@acme.test', 'a-long-password-7');
      const me = (await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: s.cookie } })).json();
      assert.deepEqual(me.user, { id: created.admin.id, email: 'boss@acme.test', roles: ['member', 'tenant_admin'], tenantId: created.tenant.id });

      const audit = await t.ctx.db.selectFrom('audit_events').selectAll().where('target', '=', created.tenant.id).execute();
      assert.deepEqual(audit.map((e) => [e.tenant_id, e.action, e.actor_id]).sort(), [
        [created.tenant.id, 'tenant.created', home.admin.id],
        [home.tenant.id, 'operator.tenant_created', home.admin.id],
      ].sort());
    });

    it('a taken tenant name or admin email is 409 conflict and leaves nothing half-written', async () => {
      const before = await t.ctx.db.selectFrom('tenants').select('id').execute();
      assertError(await t.app.inject({ method: 'POST', url, headers: operator.headers, payload: body('ACME') }), 409, 'conflict');
      assertError(await t.app.inject({ method: 'POST', url, headers: operator.headers, payload: { name: 'Globex', admin: { email: home.admin.email, password: 'a-long-password-7' } } }), 409, 'conflict');
      assert.equal((await t.ctx.db.selectFrom('tenants').select('id').execute()).length, before.length);
    });

    it('works with an operator\'s bearer token, without a CSRF header', async () => {
      const bearer = await issueToken(t.app, operator);
      const res = await t.app.inject({ method: 'POST', url, headers: bearer, payload: body('Initech') });
      assert.equal(res.statusCode, 201, res.body);
    });
  });
}
