// Canary: passwords and tokens that pass through every account endpoint never show up in a log line,
// an audit record, or any other row of the database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp } from '../testing/test-app.ts';
import { dialectsUnderTest } from '../testing/test-db.ts';
import { seedTenant, signIn } from '../testing/factories.ts';

for (const kind of dialectsUnderTest()) {
  test(`${kind}: no password or token appears in logs, audit records or other rows`, async () => {
    const t = await createTestApp(kind);
    try {
      const canaries = {
        userPassword: 'CANARY-user-pw-7e1a9b',
        resetPassword: 'CANARY-reset-pw-2c8d4f',
        tenantAdminPassword: 'CANARY-tenant-pw-5b3e0a',
        wrongPassword: 'CANARY-wrong-pw-9f6c2d',
      };
      const seeded = await seedTenant(t.ctx);
      await t.ctx.db.updateTable('users').set({ roles: JSON.stringify(['member', 'tenant_admin', 'global_admin']) }).where('id', '=', seeded.admin.id).execute();
      const admin = await signIn(t.app, seeded.admin.email, seeded.admin.password);

      const created = await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: admin.headers, payload: { email: 'canary@example.test', password: canaries.userPassword, role: 'member' } });
      assert.equal(created.statusCode, 201);
      const userId = created.json().user.id;
      assert.equal((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'canary@example.test', password: canaries.wrongPassword } })).statusCode, 401);
      assert.equal((await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: admin.headers, payload: { email: 'canary@example.test', password: canaries.userPassword, role: 'member' } })).statusCode, 409);
      assert.equal((await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: admin.headers, payload: { email: 'bad', password: canaries.userPassword, role: 'member' } })).statusCode, 400);
      assert.equal((await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${userId}`, headers: admin.headers, payload: { password: canaries.resetPassword } })).statusCode, 200);
      const user = await signIn(t.app, 'canary@example.test', canaries.resetPassword);
      assert.equal((await t.app.inject({ method: 'POST', url: '/api/operator/tenants', headers: admin.headers, payload: { name: 'Canary Co', admin: { email: 'boss@canary.test', password: canaries.tenantAdminPassword } } })).statusCode, 201);
      const token = (await t.app.inject({ method: 'POST', url: '/api/tokens', headers: user.headers, payload: { name: 'canary' } })).json().token as string;
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 200);

      const secrets = [...Object.values(canaries), seeded.admin.password, token, admin.cookie.split('=')[1]!, user.cookie.split('=')[1]!];
      const logs = t.ctx.logs.join('\n');
      assert.ok(logs.includes('user signed in'), 'the scan did see log lines');
      const tables = ['users', 'auth_sessions', 'api_tokens', 'login_failures', 'audit_events', 'tenants', 'setup_tokens'] as const;
      const rows: Record<string, string> = {};
      for (const table of tables) rows[table] = JSON.stringify(await t.ctx.db.selectFrom(table).selectAll().execute());
      assert.ok(JSON.parse(rows.audit_events!).length >= 5, 'the scan did see audit records');
      for (const secret of secrets) {
        assert.ok(!logs.includes(secret), `a secret appeared in the logs`);
        for (const table of tables) assert.ok(!rows[table]!.includes(secret), `a secret appeared in ${table}`);
      }
    } finally {
      await t.close();
    }
  });
}
