// What else an attacker tries that the route sweep does not: session fixation, a spoofed
// X-Forwarded-For against the login limit, a demoted admin's token, a member reading another member's
// chat, an admin reading another tenant's chat content, and CRLF / control characters in single-line names.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../sim/simulator.ts';
import { insertMessage, insertSession } from '../../src/testing/chat-factories.ts';
import { createUser, issueToken, seedTenant, signIn, type SeededTenant } from '../../src/testing/factories.ts';
import { createTestApp, type TestApp } from '../../src/testing/test-app.ts';
import { assertErrorAnswer } from './security-kit.ts';

describe('attacker extras', () => {
  let t: TestApp;
  let sim: Simulator;
  let a: SeededTenant;
  let b: SeededTenant;
  before(async () => {
    sim = await startSimulator();
    t = await createTestApp('sqlite');
    a = await seedTenant(t.ctx);
    b = await seedTenant(t.ctx);
  });
  after(async () => {
    await t.close();
    await sim.close();
  });
  const login = (email: string, password: string, headers: Record<string, string> = {}, remoteAddress = '203.0.113.9') =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, headers, remoteAddress });

  it('session fixation: a session cookie planted before sign-in is never the one signed in', async () => {
    const planted = 'attacker-chosen-session-value-0123456789';
    const res = await login(a.admin.email, a.admin.password, { cookie: `mosaic_session=${planted}` });
    assert.equal(res.statusCode, 200);
    const issued = res.cookies.find((c) => c.name === 'mosaic_session');
    assert.ok(issued && issued.value !== planted, 'a fresh session id is issued');
    assert.equal(issued.httpOnly, true);
    assert.equal(issued.sameSite, 'Lax');
    assertErrorAnswer(await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: `mosaic_session=${planted}` } }), 401, 'unauthenticated', 'the planted cookie');
    // Even a REAL session (someone else's, left in a shared browser) is replaced, not upgraded, at sign-in.
    const other = await signIn(t.app, b.admin.email, b.admin.password);
    const again = await login(a.admin.email, a.admin.password, { cookie: other.cookie });
    const fresh = again.cookies.find((c) => c.name === 'mosaic_session')!.value;
    assert.notEqual(`mosaic_session=${fresh}`, other.cookie);
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: other.cookie } });
    assert.equal(me.json().user.tenantId, b.tenant.id, 'the old session still belongs to its own user only');
  });

  it('the login limit by address holds against a spoofed X-Forwarded-For (no MOSAIC_TRUST_PROXY)', async () => {
    const address = '198.51.100.77';
    for (let i = 0; i < 100; i++) {
      const res = await login(`nobody-${i}@example.test`, 'wrong password here', { 'x-forwarded-for': `10.9.${i >> 8}.${i & 255}` }, address);
      assert.equal(res.statusCode, 401, res.body);
    }
    const blocked = await login(a.admin.email, a.admin.password, { 'x-forwarded-for': '192.0.2.200' }, address);
    assertErrorAnswer(blocked, 429, 'too_many_requests', 'the 101st attempt from the address');
    assert.ok(Number(blocked.headers['retry-after']) > 0, 'retry-after is set');
    assert.equal((await login(a.admin.email, a.admin.password, {}, '198.51.100.78')).statusCode, 200, 'another address is not blocked');
  });

  it("a demoted admin's token loses admin rights at once; a disabled user's token stops working", async () => {
    const admin2 = await createUser(t.ctx, a.tenant.id, { role: 'tenant_admin' });
    const bearer = await issueToken(t.app, await signIn(t.app, admin2.email, admin2.password));
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/admin/users', headers: bearer })).statusCode, 200);
    const boss = await signIn(t.app, a.admin.email, a.admin.password);
    const demote = await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${admin2.id}`, headers: boss.headers, payload: { roles: ['member'] } });
    assert.equal(demote.statusCode, 200, demote.body);
    assertErrorAnswer(await t.app.inject({ method: 'GET', url: '/api/admin/users', headers: bearer }), 403, 'forbidden', 'demoted');
    await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${admin2.id}`, headers: boss.headers, payload: { disabled: true } });
    assertErrorAnswer(await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer }), 401, 'unauthenticated', 'disabled');
  });

  it("a member never reads, writes to or closes another member's chat session, nor sees it listed", async () => {
    const alice = await createUser(t.ctx, a.tenant.id);
    const mallory = await createUser(t.ctx, a.tenant.id);
    const session = await insertSession(t.ctx.db, { tenantId: a.tenant.id, userId: alice.id, status: 'in_flight' });
    await insertMessage(t.ctx.db, { session, seq: 0, role: 'user', content: 'ALICE-PRIVATE-QUESTION' });
    const m = await issueToken(t.app, await signIn(t.app, mallory.email, mallory.password));
    for (const [method, url, payload] of [
      ['GET', `/api/chat/sessions/${session.id}`, undefined],
      ['POST', `/api/chat/sessions/${session.id}/messages`, { content: 'hi' }],
      ['POST', `/api/chat/sessions/${session.id}/close`, {}],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: m, ...(payload ? { payload } : {}) });
      assertErrorAnswer(res, 404, 'not_found', `${method} ${url}`);
    }
    const list = await t.app.inject({ method: 'GET', url: '/api/chat/sessions', headers: m });
    assert.deepEqual(list.json().sessions, []);
    const row = await t.ctx.db.selectFrom('chat_sessions').select(['status', 'closed_at']).where('id', '=', session.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'in_flight', closed_at: null }, 'the session was not closed');
  });

  it("an admin of tenant A never reads tenant B's session, its content (acknowledged), its export, or its audit trail", async () => {
    const session = await insertSession(t.ctx.db, { tenantId: b.tenant.id, userId: b.admin.id });
    await insertMessage(t.ctx.db, { session, seq: 0, role: 'user', content: 'B-CONFIDENTIAL' });
    const adminA = await issueToken(t.app, await signIn(t.app, a.admin.email, a.admin.password));
    for (const suffix of ['', '/content?acknowledge=true', '/export']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/admin/ai/sessions/${session.id}${suffix}`, headers: adminA });
      assertErrorAnswer(res, 404, 'not_found', suffix || 'detail');
    }
    for (const url of ['/api/admin/ai/sessions', '/api/admin/audit?limit=100', '/api/admin/ai/overview', '/api/admin/users']) {
      const res = await t.app.inject({ method: 'GET', url, headers: adminA });
      assert.equal(res.statusCode, 200, res.body);
      assert.ok(!res.body.includes(session.id) && !res.body.includes(b.admin.email) && !res.body.includes('B-CONFIDENTIAL'), `${url} shows nothing of tenant B`);
    }
    // The ?user= filter takes tenant B's user id or email and finds nothing.
    for (const user of [b.admin.id, b.admin.email]) {
      const res = await t.app.inject({ method: 'GET', url: `/api/admin/ai/sessions?user=${encodeURIComponent(user)}`, headers: adminA });
      assert.ok(res.statusCode === 200 || res.statusCode === 400, res.body);
      if (res.statusCode === 200) assert.deepEqual(res.json().sessions, []);
    }
  });

  it('CRLF and other control characters in single-line names (label, keyName, token name) → 400, nothing stored', async () => {
    const admin = await signIn(t.app, b.admin.email, b.admin.password);
    const draft = { kind: 'anthropic', apiKey: sim.anthropic.apiKey, baseUrl: sim.anthropic.baseUrl, models: { orchestrator: 'claude-sonnet-4-5-20250929' } };
    for (const evil of ['Prod\r\nX-Injected: 1', 'Prod\nSet-Cookie: a=b', 'Prod\u0000', 'Prod\u001b[31m', 'Prod\u2028line']) {
      for (const payload of [{ ...draft, label: evil }, { ...draft, keyName: evil }]) {
        assertErrorAnswer(await t.app.inject({ method: 'POST', url: '/api/admin/ai/providers', headers: admin.headers, payload }), 400, 'invalid_request', JSON.stringify(evil));
      }
      assertErrorAnswer(await t.app.inject({ method: 'POST', url: '/api/tokens', headers: admin.headers, payload: { name: evil } }), 400, 'invalid_request', `token ${JSON.stringify(evil)}`);
    }
    assert.equal((await t.ctx.db.selectFrom('provider_connections').select('id').where('tenant_id', '=', b.tenant.id).execute()).length, 0);
    // Ordinary names, accents and all, are still fine.
    const ok = await t.app.inject({ method: 'POST', url: '/api/admin/ai/providers', headers: admin.headers, payload: { ...draft, label: 'Producción – EU', keyName: 'clé n°2' } });
    assert.equal(ok.statusCode, 201, ok.body);
    const id = ok.json().provider.id as string;
    assertErrorAnswer(await t.app.inject({ method: 'PATCH', url: `/api/admin/ai/providers/${id}`, headers: admin.headers, payload: { label: 'a\r\nb' } }), 400, 'invalid_request', 'PATCH label');
    assertErrorAnswer(await t.app.inject({ method: 'PUT', url: `/api/admin/ai/providers/${id}/key`, headers: admin.headers, payload: { apiKey: sim.anthropic.apiKey, keyName: 'k\r\nX: y' } }), 400, 'invalid_request', 'PUT keyName');
  });
});
