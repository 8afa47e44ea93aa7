import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { dialectsUnderTest } from '../../../testing/test-db.ts';
import { createUser, seedTenant, signIn, type SeededTenant, type SignedIn } from '../../../testing/factories.ts';
import { assertError } from '../../../testing/http-assert.ts';

const DAY = 24 * 60 * 60 * 1000;

for (const kind of dialectsUnderTest()) {
  describe(`${kind}: personal access tokens`, () => {
    let t: TestApp;
    let a: SeededTenant;
    let b: SeededTenant;
    let s: SignedIn;
    before(async () => {
      t = await createTestApp(kind);
      a = await seedTenant(t.ctx);
      b = await seedTenant(t.ctx);
      s = await signIn(t.app, a.admin.email, a.admin.password);
    });
    after(() => t.close());

    it('POST /api/tokens walks 401 → 403 csrf → 400 → 201, and the token is shown once and stored hashed', async () => {
      const url = '/api/tokens';
      assertError(await t.app.inject({ method: 'POST', url, payload: { name: 'x' } }), 401, 'unauthenticated');
      assertError(await t.app.inject({ method: 'POST', url, headers: { cookie: 'mosaic_session=bad' }, payload: { name: 'x' } }), 401, 'unauthenticated');
      assertError(await t.app.inject({ method: 'POST', url, headers: { cookie: s.cookie }, payload: { name: 'x' } }), 403, 'csrf_failed');
      assertError(await t.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'x-csrf-token': 'wrong' }, payload: { name: 'x' } }), 403, 'csrf_failed');
      assertError(await t.app.inject({ method: 'POST', url, headers: s.headers, payload: { name: 5 } }), 400, 'invalid_request');
      assertError(await t.app.inject({ method: 'POST', url, headers: s.headers, payload: { name: 'x', scope: 'all' } }), 400, 'invalid_request');
      assertError(await t.app.inject({ method: 'POST', url, headers: s.headers, payload: { name: 'x', expiresInDays: 0 } }), 400, 'invalid_request');
      assertError(await t.app.inject({ method: 'POST', url, headers: { ...s.headers, 'content-type': 'application/json' }, payload: '{"name":' }), 400, 'invalid_request');

      const res = await t.app.inject({ method: 'POST', url, headers: s.headers, payload: { name: 'ci', expiresInDays: 30 } });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json();
      assert.deepEqual(Object.keys(body).sort(), ['createdAt', 'expiresAt', 'id', 'name', 'token']);
      assert.match(body.token, /^mosaic_pat_[A-Za-z0-9_-]{43}$/);
      assert.equal(new Date(body.expiresAt).getTime(), t.ctx.clock.now().getTime() + 30 * DAY);
      const stored = await t.ctx.db.selectFrom('api_tokens').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(stored).includes(body.token));

      const list = await t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
      assert.equal(list.statusCode, 200);
      assert.ok(!list.body.includes(body.token), 'listing never shows the token');
      assert.deepEqual(list.json().tokens.find((x: { id: string }) => x.id === body.id), { id: body.id, name: 'ci', createdAt: body.createdAt, expiresAt: body.expiresAt, lastUsedAt: null });
    });

    it('a bearer token acts as its owner, writes without a CSRF header, records last use', async () => {
      const created = (await t.app.inject({ method: 'POST', url: '/api/tokens', headers: s.headers, payload: { name: 'bearer' } })).json();
      const bearer = { authorization: `Bearer ${created.token}` };
      const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer });
      assert.equal(me.json().user.id, a.admin.id);
      const write = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: bearer, payload: { name: 'made by a token' } });
      assert.equal(write.statusCode, 201);
      const list = (await t.app.inject({ method: 'GET', url: '/api/tokens', headers: bearer })).json();
      assert.equal(list.tokens.find((x: { id: string }) => x.id === created.id).lastUsedAt, t.ctx.clock.now().toISOString());
    });

    it('an expired or revoked token is 401', async () => {
      const exp = (await t.app.inject({ method: 'POST', url: '/api/tokens', headers: s.headers, payload: { name: 'short', expiresInDays: 1 } })).json();
      const bearer = { authorization: `Bearer ${exp.token}` };
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer })).statusCode, 200);
      t.ctx.clock.advance(DAY + 1000);
      assertError(await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer }), 401, 'unauthenticated');
      s = await signIn(t.app, a.admin.email, a.admin.password); // the day also ended the idle cookie session

      const rev = (await t.app.inject({ method: 'POST', url: '/api/tokens', headers: s.headers, payload: { name: 'revoked' } })).json();
      const del = await t.app.inject({ method: 'DELETE', url: `/api/tokens/${rev.id}`, headers: s.headers });
      assert.equal(del.statusCode, 204);
      assertError(await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${rev.token}` } }), 401, 'unauthenticated');
      assertError(await t.app.inject({ method: 'DELETE', url: `/api/tokens/${rev.id}`, headers: { authorization: `Bearer ${rev.token}` } }), 401, 'unauthenticated');
    });

    it('a disabled owner\'s token stops working', async () => {
      const user = await createUser(t.ctx, a.tenant.id);
      const us = await signIn(t.app, user.email, user.password);
      const tok = (await t.app.inject({ method: 'POST', url: '/api/tokens', headers: us.headers, payload: { name: 'x' } })).json();
      await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${user.id}`, headers: s.headers, payload: { disabled: true } });
      assertError(await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${tok.token}` } }), 401, 'unauthenticated');
    });

    it('DELETE /api/tokens/:id walks 401 → 403 csrf → 404 (malformed, unknown, another user\'s, another tenant\'s) → 204', async () => {
      const mine = (await t.app.inject({ method: 'POST', url: '/api/tokens', headers: s.headers, payload: { name: 'mine' } })).json();
      const sb = await signIn(t.app, b.admin.email, b.admin.password);
      const theirs = (await t.app.inject({ method: 'POST', url: '/api/tokens', headers: sb.headers, payload: { name: 'theirs' } })).json();
      const colleague = await createUser(t.ctx, a.tenant.id, { role: 'tenant_admin' });
      const sc = await signIn(t.app, colleague.email, colleague.password);
      const colleagues = (await t.app.inject({ method: 'POST', url: '/api/tokens', headers: sc.headers, payload: { name: 'colleague' } })).json();

      assertError(await t.app.inject({ method: 'DELETE', url: `/api/tokens/${mine.id}` }), 401, 'unauthenticated');
      assertError(await t.app.inject({ method: 'DELETE', url: `/api/tokens/${mine.id}`, headers: { cookie: s.cookie } }), 403, 'csrf_failed');
      assertError(await t.app.inject({ method: 'DELETE', url: '/api/tokens/not-an-id', headers: s.headers }), 404, 'not_found');
      assertError(await t.app.inject({ method: 'DELETE', url: '/api/tokens/00000000-0000-4000-8000-000000000000', headers: s.headers }), 404, 'not_found');
      assertError(await t.app.inject({ method: 'DELETE', url: `/api/tokens/${theirs.id}`, headers: s.headers }), 404, 'not_found');
      assertError(await t.app.inject({ method: 'DELETE', url: `/api/tokens/${colleagues.id}`, headers: s.headers }), 404, 'not_found');
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${theirs.token}` } })).statusCode, 200, 'the foreign token still works');
      assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/tokens/${mine.id}`, headers: s.headers })).statusCode, 204);
      const audit = await t.ctx.db.selectFrom('audit_events').selectAll().where('target', '=', mine.id).orderBy('at').execute();
      assert.deepEqual(audit.map((e) => e.action), ['token.created', 'token.revoked']);
    });

    it('GET /api/tokens is 401 without credentials and lists only the caller\'s own tokens', async () => {
      assertError(await t.app.inject({ method: 'GET', url: '/api/tokens' }), 401, 'unauthenticated');
      const sb = await signIn(t.app, b.admin.email, b.admin.password);
      const list = (await t.app.inject({ method: 'GET', url: '/api/tokens', headers: sb.headers })).json();
      assert.deepEqual(list.tokens.map((x: { name: string }) => x.name), ['theirs']);
    });
  });
}
