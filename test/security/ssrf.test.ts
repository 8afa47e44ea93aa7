// SSRF through a tenant-typed address: with MOSAIC_ALLOW_PRIVATE_UPSTREAMS unset, a base URL, an Azure
// endpoint or a budget webhook that points at loopback, the metadata service, the private network or
// plain http is refused with `upstream_not_allowed` — and no connection is ever made (a listener on
// loopback, and the simulator, see nothing). Also: a provider saved while private upstreams were allowed
// is refused once the operator turns them off.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startSimulator } from '../../sim/simulator.ts';
import { seedTenant, signIn } from '../../src/testing/factories.ts';
import { createTestApp } from '../../src/testing/test-app.ts';
import { assertErrorAnswer, assertSafeAnswer } from './security-kit.ts';

const ANTHROPIC_KEY = `sk-ant-api03-${'S'.repeat(93)}AA`;

test('private, loopback, metadata and plain-http upstreams are refused before any connection', async () => {
  const connections: string[] = [];
  const listener = http.createServer((_req, res) => res.end('{}'));
  listener.on('connection', (socket) => connections.push(String(socket.remoteAddress)));
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as AddressInfo).port;
  const sim = await startSimulator({ keys: { anthropic: ANTHROPIC_KEY } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-ssrf-'));
  const sqlitePath = path.join(dir, 'mosaic.db');
  const masterKey = crypto.randomBytes(32).toString('base64');
  // Two instances on one database: one as an operator running the simulator, one with the default policy.
  const permissive = await createTestApp('sqlite', { sqlitePath, env: { MOSAIC_MASTER_KEY: masterKey } });
  const strict = await createTestApp('sqlite', { sqlitePath, env: { MOSAIC_MASTER_KEY: masterKey, MOSAIC_ALLOW_PRIVATE_UPSTREAMS: '0' } });
  try {
    assert.equal(strict.ctx.config.allowPrivateUpstreams, false);
    const { admin } = await seedTenant(permissive.ctx);
    const session = await signIn(strict.app, admin.email, admin.password);
    const call = (method: 'POST' | 'PUT' | 'PATCH', url: string, payload: object) => strict.app.inject({ method, url, headers: session.headers, payload });

    const refused = [
      `http://127.0.0.1:${port}`,
      `https://127.0.0.1:${port}`,
      `http://localhost:${port}/v1`,
      `https://localhost:${port}`,
      `https://localhost.:${port}`,
      `https://api.localhost:${port}`,
      'http://169.254.169.254/latest/meta-data/iam/security-credentials',
      'https://169.254.169.254',
      `https://[::1]:${port}`,
      `https://[::ffff:127.0.0.1]:${port}`,
      `https://[::ffff:7f00:1]:${port}`,
      `https://0x7f000001:${port}`,
      `https://2130706433:${port}`,
      `https://127.1:${port}`,
      `https://0.0.0.0:${port}`,
      'https://10.0.0.1',
      'https://192.168.1.1',
      'https://172.16.0.1',
      'https://100.64.0.1',
      'https://[fd00::1]',
      'http://example.com',
      'http://api.openai.com/v1',
    ];
    for (const url of refused) {
      for (const draft of [
        { kind: 'anthropic', apiKey: ANTHROPIC_KEY, baseUrl: url },
        { kind: 'openai', apiKey: `sk-proj-${'S'.repeat(40)}`, baseUrl: url },
        { kind: 'azure', apiKey: '0123456789abcdef0123456789abcdef', azure: { endpoint: url, apiStyle: 'openai', apiVersion: null, modelOf: {} } },
      ]) {
        const what = `${draft.kind} at ${url}`;
        const tested = await call('POST', '/api/admin/ai/test', { ...draft, model: 'gpt-4o-prod' });
        assert.equal(tested.statusCode, 200, `${what}: ${tested.body}`);
        assert.equal(tested.json().ok, false, what);
        assert.equal(tested.json().error.code, 'upstream_not_allowed', `${what}: ${tested.body}`);
        assertErrorAnswer(await call('POST', '/api/admin/ai/models', draft), 422, 'upstream_not_allowed', `models: ${what}`);
        assertErrorAnswer(await call('POST', '/api/admin/ai/providers', { ...draft, models: { orchestrator: 'gpt-4o-prod' } }), 422, 'upstream_not_allowed', `save: ${what}`);
      }
      // The budget webhook: the limits endpoint refuses the body (400) and says why.
      const limits = await call('PUT', '/api/admin/ai/limits', { monthlyBudgetUsd: 10, alertAtPct: 80, alertWebhookUrl: url });
      assertErrorAnswer(limits, 400, 'invalid_request', `webhook ${url}`);
      assert.equal(limits.json().error.reason, 'upstream_not_allowed', `webhook ${url}: ${limits.body}`);
    }

    // Credentials in the URL are refused too (as a malformed address, whatever the policy).
    for (const url of [`https://user:Pzq7Wx9@127.0.0.1:${port}`, 'https://user:Pzq7Wx9@api.openai.com/v1', `https://:Pzq7Wx9@localhost:${port}`]) {
      const res = await call('POST', '/api/admin/ai/test', { kind: 'openai', apiKey: `sk-proj-${'S'.repeat(40)}`, baseUrl: url, model: 'gpt-4o' });
      assertErrorAnswer(res, 400, 'invalid_request', `credentials: ${url}`);
      assert.doesNotMatch(res.body, /Pzq7Wx9/, 'the credentials are not echoed');
      const hook = await call('PUT', '/api/admin/ai/limits', { alertWebhookUrl: url });
      assertSafeAnswer(hook, `webhook credentials ${url}`);
      assert.equal(hook.statusCode, 400);
      assert.doesNotMatch(hook.body, /Pzq7Wx9/, 'the credentials are not echoed');
    }

    // A connection saved while private upstreams were allowed (the simulator)…
    const adminOnPermissive = await signIn(permissive.app, admin.email, admin.password);
    const saved = await permissive.app.inject({
      method: 'POST', url: '/api/admin/ai/providers', headers: adminOnPermissive.headers,
      payload: { kind: 'anthropic', apiKey: ANTHROPIC_KEY, baseUrl: sim.anthropic.baseUrl, models: { orchestrator: 'claude-sonnet-4-5-20250929' } },
    });
    assert.equal(saved.statusCode, 201, saved.body);
    const id = saved.json().provider.id as string;
    const simRequests = sim.requests.all().length;
    // …is refused once they are not, by every path that would call it.
    const retest = await call('POST', '/api/admin/ai/test', { providerId: id });
    assert.equal(retest.json().error?.code, 'upstream_not_allowed', retest.body);
    assertErrorAnswer(await call('POST', '/api/admin/ai/models', { providerId: id }), 422, 'upstream_not_allowed', 'models of the saved connection');
    assertErrorAnswer(await call('PATCH', `/api/admin/ai/providers/${id}`, { baseUrl: `http://127.0.0.1:${port}` }), 422, 'upstream_not_allowed', 'PATCH baseUrl');
    assertErrorAnswer(await call('PUT', `/api/admin/ai/providers/${id}/key`, { apiKey: ANTHROPIC_KEY }), 422, 'upstream_not_allowed', 'rotation');
    const chat = await call('POST', '/api/chat/sessions', {});
    assert.equal(chat.statusCode, 201, chat.body);
    const answer = await call('POST', `/api/chat/sessions/${chat.json().session.id}/messages`, { content: 'hello' });
    // Not the user's mistake but the connection's: the chat answers 502 with the code, in the one shape.
    assert.equal(answer.statusCode, 502, answer.body);
    assert.equal(answer.json().error.code, 'upstream_not_allowed', answer.body);
    assert.doesNotMatch(answer.body, /\bat .*\.ts:\d+/);
    // The PATCH changed nothing.
    const after = (await permissive.app.inject({ method: 'GET', url: '/api/admin/ai/providers', headers: adminOnPermissive.headers })).json().providers[0];
    assert.equal(after.baseUrl, sim.anthropic.baseUrl);

    assert.deepEqual(connections, [], 'no connection reached the local listener');
    assert.equal(sim.requests.all().length, simRequests, 'the simulator was not called once private upstreams were off');
    assert.deepEqual(await strict.ctx.db.selectFrom('provider_connections').select('id').execute(), [{ id }], 'no refused provider was stored');
  } finally {
    await strict.close();
    await permissive.close();
    await sim.close();
    await new Promise<void>((resolve) => listener.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
