// Canary: a distinctive API key, added and rotated through HTTP, never appears in a response body, a log
// line, an audit record, or the raw bytes of the SQLite database file and its WAL.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startSimulator } from '../../sim/simulator.ts';
import { seedTenant, signIn } from '../testing/factories.ts';
import { createTestApp } from '../testing/test-app.ts';
import { closeConfigCache } from './config-cache.ts';
import { getConnectionSettings } from './resolve-active-provider.ts';

const URL_SAFE = /[^A-Za-z0-9]/g;
/** An Anthropic-shaped inference key (108 characters, ending AA) with a marker no other data contains. */
const canaryKey = (marker: string) => {
  const body = `${marker}${crypto.randomBytes(96).toString('base64').replace(URL_SAFE, '')}`.slice(0, 93);
  return `sk-ant-api03-${body}AA`;
};

test('canary keys never leave the vault: responses, logs, audit, database file and WAL', async () => {
  const first = canaryKey('CANARYONE');
  const second = canaryKey('CANARYTWO');
  const sim = await startSimulator({ keys: { anthropic: first }, faultKeys: { anthropic: { [second]: 'tps:100000' } } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-canary-'));
  const dbFile = path.join(dir, 'mosaic.db');
  const t = await createTestApp('sqlite', { sqlitePath: dbFile });
  const bodies: string[] = [];
  try {
    const { tenant, admin: user } = await seedTenant(t.ctx);
    const admin = await signIn(t.app, user.email, user.password);
    const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) => {
      const res = await t.app.inject({ method, url, headers: admin.headers, ...(payload ? { payload } : {}) });
      bodies.push(res.body);
      return res;
    };
    const draft = { kind: 'anthropic', apiKey: first, baseUrl: sim.anthropic.baseUrl };
    await call('POST', '/api/admin/ai/models', draft);
    assert.equal((await call('POST', '/api/admin/ai/test', { ...draft, model: 'claude-sonnet-4-5-20250929' })).json().ok, true);
    // Failures on the way, so that error paths (and their logging) see the key too.
    await call('POST', '/api/admin/ai/test', { ...draft, model: 'claude-nonexistent-1' });
    await call('POST', '/api/admin/ai/providers', { ...draft, models: { orchestrator: 'claude-nonexistent-1' } });
    await call('POST', '/api/admin/ai/providers', { ...draft, apiKey: `${first} tail`, models: { orchestrator: 'x' } });
    const saved = await call('POST', '/api/admin/ai/providers', { ...draft, keyName: 'mosaic-prod', models: { orchestrator: 'claude-sonnet-4-5-20250929' } });
    assert.equal(saved.statusCode, 201, saved.body);
    const id = saved.json().provider.id as string;
    await call('POST', '/api/admin/ai/test', { providerId: id });
    await call('POST', '/api/admin/ai/models', { providerId: id });
    // The chat's path: the decrypted settings, cached in memory only.
    assert.equal((await getConnectionSettings(t.ctx, tenant.id, id))?.settings.apiKey.reveal(), first);
    t.ctx.logger.info({ settings: (await getConnectionSettings(t.ctx, tenant.id, id))?.settings }, 'settings logged by mistake');
    await call('PUT', `/api/admin/ai/providers/${id}/key`, { apiKey: `sk-ant-api03-${'Z'.repeat(93)}AA` });
    const rotated = await call('PUT', `/api/admin/ai/providers/${id}/key`, { apiKey: second, keyName: 'mosaic-prod-2' });
    assert.equal(rotated.statusCode, 200, rotated.body);
    await call('GET', '/api/admin/ai/providers');
    await call('PATCH', `/api/admin/ai/providers/${id}`, { models: { fast: 'claude-haiku-4-5-20251001' } });

    const audit = await t.ctx.db.selectFrom('audit_events').selectAll().where('tenant_id', '=', tenant.id).execute();
    assert.ok(audit.some((e) => e.action === 'ai.provider.rotate_key' && e.details.includes(rotated.json().previousKey.hint)), 'rotation audit names the old hint');
    await closeConfigCache(t.ctx);
    await t.close();

    const raw = Buffer.concat(['', '-wal', '-shm', '-journal'].map((s) => (fs.existsSync(dbFile + s) ? fs.readFileSync(dbFile + s) : Buffer.alloc(0))));
    // Positive controls: the scans do see what is meant to be there.
    assert.ok(raw.includes(Buffer.from(rotated.json().provider.key.hint)), 'the hint is stored');
    assert.ok(t.ctx.logs.join('').includes('settings logged by mistake'));
    for (const key of [first, second]) {
      // The whole key, and a distinctive fragment of it (a hint shows only the last four characters).
      const fragments = [key, key.slice(13, 40), key.slice(-30, -4)];
      for (const fragment of fragments) {
        for (const [where, text] of [['responses', bodies.join('\n')], ['logs', t.ctx.logs.join('')], ['audit', JSON.stringify(audit)]] as const) {
          assert.ok(!text.includes(fragment), `a key fragment appeared in the ${where}`);
        }
        assert.equal(raw.includes(Buffer.from(fragment)), false, 'a key fragment appeared in the database bytes');
      }
    }
  } finally {
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
