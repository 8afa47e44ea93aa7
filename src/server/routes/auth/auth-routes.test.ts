import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { dialectsUnderTest } from '../../../testing/test-db.ts';
import { createUser, seedTenant, signIn, type SeededTenant } from '../../../testing/factories.ts';
import { assertError } from '../../../testing/http-assert.ts';

const HOUR = 60 * 60 * 1000;

for (const kind of dialectsUnderTest()) {
  describe(`${kind}: sign-in, sign-out, /api/me`, () => {
    let t: TestApp;
    let seeded: SeededTenant;
    before(async () => {
      t = await createTestApp(kind);
      seeded = await seedTenant(t.ctx);
    });
    after(() => t.close());

    it('logs in with the contract shape and an HttpOnly, SameSite=Lax session cookie', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: seeded.admin.email.toUpperCase(), password: seeded.admin.password } });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.deepEqual(body.user, { id: seeded.admin.id, email: seeded.admin.email, roles: ['member', 'tenant_admin'], tenantId: seeded.tenant.id });
      assert.equal(typeof body.csrfToken, 'string');
      const cookie = String(res.headers['set-cookie']);
      assert.match(cookie, /^mosaic_session=[A-Za-z0-9_-]{43};/);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      assert.match(cookie, /Path=\//);
      assert.doesNotMatch(cookie, /Secure/, 'no Secure flag on a plain-http public URL');
      // Only the hash of the cookie value is stored.
      const value = cookie.slice('mosaic_session='.length, cookie.indexOf(';'));
      const rows = await t.ctx.db.selectFrom('auth_sessions').select('id').execute();
      assert.ok(rows.length > 0 && rows.every((r) => r.id !== value));
    });

    it('GET /api/me answers the caller and the CSRF token; a bearer caller gets csrfToken null', async () => {
      const s = await signIn(t.app, seeded.admin.email, seeded.admin.password);
      const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: s.cookie } });
      assert.equal(me.statusCode, 200);
      assert.deepEqual(me.json(), { user: { id: seeded.admin.id, email: seeded.admin.email, roles: ['member', 'tenant_admin'], tenantId: seeded.tenant.id }, csrfToken: s.csrfToken });
      const tok = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: s.headers, payload: { name: 'cli' } });
      const bearer = await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${tok.json().token}` } });
      assert.equal(bearer.statusCode, 200);
      assert.equal(bearer.json().csrfToken, null);
    });

    it('wrong password, unknown email and disabled account all answer 401 invalid_credentials', async () => {
      const addr = { remoteAddress: '10.0.0.1' };
      assertError(await t.app.inject({ method: 'POST', url: '/api/auth/login', ...addr, payload: { email: seeded.admin.email, password: 'wrong-password-123' } }), 401, 'invalid_credentials');
      assertError(await t.app.inject({ method: 'POST', url: '/api/auth/login', ...addr, payload: { email: 'nobody@example.test', password: 'wrong-password-123' } }), 401, 'invalid_credentials');
      const user = await createUser(t.ctx, seeded.tenant.id);
      await t.ctx.db.updateTable('users').set({ disabled: 1 }).where('id', '=', user.id).execute();
      assertError(await t.app.inject({ method: 'POST', url: '/api/auth/login', ...addr, payload: { email: user.email, password: user.password } }), 401, 'invalid_credentials');
    });

    it('login body: malformed JSON, wrong types and unknown fields are 400 invalid_request', async () => {
      const post = (payload: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload });
      assertError(await post('{"email":'), 400, 'invalid_request');
      assertError(await post(''), 400, 'invalid_request');
      assertError(await post('{"__proto__":{"x":1},"email":"a@b.c","password":"x"}'), 400, 'invalid_request');
      assertError(await post(JSON.stringify({ email: 1, password: 'x' })), 400, 'invalid_request');
      assertError(await post(JSON.stringify({ email: 'a@b.c', password: 'x', admin: true })), 400, 'invalid_request');
    });

    it('logout ends the session: the cookie no longer works and is cleared; it needs the CSRF header', async () => {
      const s = await signIn(t.app, seeded.admin.email, seeded.admin.password);
      assertError(await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: s.cookie } }), 403, 'csrf_failed');
      const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: s.headers });
      assert.equal(out.statusCode, 204);
      assert.match(String(out.headers['set-cookie']), /mosaic_session=;.*Expires=Thu, 01 Jan 1970/);
      assertError(await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: s.cookie } }), 401, 'unauthenticated');
      assertError(await t.app.inject({ method: 'POST', url: '/api/auth/logout' }), 401, 'unauthenticated');
    });

    it('no cookie, a forged cookie or a forged bearer token is 401 unauthenticated', async () => {
      assertError(await t.app.inject({ method: 'GET', url: '/api/me' }), 401, 'unauthenticated');
      assertError(await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: 'mosaic_session=forged' } }), 401, 'unauthenticated');
      assertError(await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: 'Bearer mosaic_pat_forged' } }), 401, 'unauthenticated');
      assertError(await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: 'Basic abc' } }), 401, 'unauthenticated');
    });

    it('a session expires after 12 idle hours, slides while used, and ends after 7 days regardless', async () => {
      const s = await signIn(t.app, seeded.admin.email, seeded.admin.password);
      const me = () => t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: s.cookie } });
      for (let day = 0; day < 6; day++) {
        for (let step = 0; step < 3; step++) {
          t.ctx.clock.advance(8 * HOUR);
          assert.equal((await me()).statusCode, 200, `day ${day} step ${step}`);
        }
      }
      t.ctx.clock.advance(11 * HOUR);
      assert.equal((await me()).statusCode, 200);
      t.ctx.clock.advance(11 * HOUR); // 166 h since sign-in: still fine
      assert.equal((await me()).statusCode, 200);
      t.ctx.clock.advance(8 * HOUR); // 174 h, used 8 h ago: not idle, but past the 7-day (168 h) limit
      assertError(await me(), 401, 'unauthenticated');

      const idle = await signIn(t.app, seeded.admin.email, seeded.admin.password);
      t.ctx.clock.advance(12 * HOUR + 1000);
      assertError(await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: idle.cookie } }), 401, 'unauthenticated');
    });

    it('disabling a user stops their session at once', async () => {
      const user = await createUser(t.ctx, seeded.tenant.id);
      const s = await signIn(t.app, user.email, user.password);
      await t.ctx.db.updateTable('users').set({ disabled: 1 }).where('id', '=', user.id).execute();
      assertError(await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: s.cookie } }), 401, 'unauthenticated');
    });

    it('a body over 1 MiB is 413 payload_too_large, in the contract shape', async () => {
      const big = JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(1024 * 1024 + 10) });
      assertError(await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: big }), 413, 'payload_too_large');
      const s = await signIn(t.app, seeded.admin.email, seeded.admin.password);
      assertError(await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: { ...s.headers, 'content-type': 'application/json' }, payload: big }), 413, 'payload_too_large');
    });

    it('malformed JSON from a caller without credentials is still 401 first (order of checks)', async () => {
      assertError(await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: { 'content-type': 'application/json' }, payload: '{oops' }), 401, 'unauthenticated');
    });
  });

  describe(`${kind}: login rate limit`, () => {
    let t: TestApp;
    let seeded: SeededTenant;
    before(async () => {
      t = await createTestApp(kind);
      seeded = await seedTenant(t.ctx);
    });
    after(() => t.close());

    const login = (email: string, password: string, remoteAddress = '192.0.2.1') =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { email, password } });

    it('the 11th failure for an account is 429 with retry-after, even with the right password, until the window passes', async () => {
      for (let i = 0; i < 10; i++) {
        assertError(await login(seeded.admin.email, `wrong-password-${i}`, `192.0.2.${10 + i}`), 401, 'invalid_credentials');
        t.ctx.clock.advance(1000);
      }
      const limited = await login(seeded.admin.email, 'wrong-password-x', '192.0.2.99');
      assertError(limited, 429, 'too_many_requests');
      const retryAfter = Number(limited.headers['retry-after']);
      assert.ok(retryAfter > 14 * 60 && retryAfter <= 15 * 60, `retry-after ${retryAfter}`);
      assertError(await login(seeded.admin.email, seeded.admin.password, '192.0.2.98'), 429, 'too_many_requests');
      // Emails are counted case-insensitively.
      assertError(await login(seeded.admin.email.toUpperCase(), seeded.admin.password, '192.0.2.98'), 429, 'too_many_requests');

      t.ctx.clock.advance(retryAfter * 1000);
      assert.equal((await login(seeded.admin.email, seeded.admin.password)).statusCode, 200);
    });

    it('100 failures from one address block that address for every account', async () => {
      const address = '198.51.100.7';
      for (let i = 0; i < 100; i++) {
        const res = await login(`guess-${i}@example.test`, 'wrong-password-1', address);
        assert.equal(res.statusCode, 401);
      }
      assertError(await login(seeded.admin.email, seeded.admin.password, address), 429, 'too_many_requests');
      assert.equal((await login(seeded.admin.email, seeded.admin.password, '198.51.100.8')).statusCode, 200, 'another address is not blocked');
      t.ctx.clock.advance(15 * 60 * 1000 + 1000);
      assert.equal((await login(seeded.admin.email, seeded.admin.password, address)).statusCode, 200);
    });
  });
}
