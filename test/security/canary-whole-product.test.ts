// The whole product, with distinctive canary API keys: `node src/main.ts serve` as a child process on a
// temporary SQLite data dir (so every log line, Fastify's own included, is captured from its stdout and
// stderr), the provider simulator accepting only the canaries. The admin adds Anthropic and OpenAI,
// tests them, lists models, chats (streamed, with tool calls), rotates to second canaries, provokes
// failures whose provider message echoes a key, sets a budget alert webhook (its path a canary too),
// exports sessions and reads the audit log. Then no canary — whole, base64, hex, or any 12-character
// fragment of its secret part — may appear in any response body or header, any log line, the audit
// rows, or the raw bytes of mosaic.db, -wal and -shm.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { startSimulator } from '../../sim/simulator.ts';
import { startMosaicProcess } from '../../src/testing/mosaic-process.ts';

const ADMIN_EMAIL = 'canary-admin@example.test';
const ADMIN_PASSWORD = 'canary admin password 1';

const randomChars = (n: number) => crypto.randomBytes(n * 2).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, n);
/** Anthropic's real shape: `sk-ant-api03-` + 93 characters + `AA`. */
const anthropicCanary = (tag: string) => `sk-ant-api03-${`CANARY${tag}${randomChars(93)}`.slice(0, 93)}AA`;
/** OpenAI's real project-key shape: `sk-proj-` + 74 + `T3BlbkFJ` + 74. */
const openaiCanary = (tag: string) => `sk-proj-${`CANARY${tag}${randomChars(74)}`.slice(0, 74)}T3BlbkFJ${randomChars(74)}`;
/** The same length, prefix and last characters, one character changed in the middle: a "wrong" key. */
const nearMiss = (key: string) => `${key.slice(0, 40)}${key[40] === 'Q' ? 'R' : 'Q'}${key.slice(41)}`;
const secretPart = (key: string) => key.replace(/^sk-(ant-api03|proj)-/, '');

test('canary keys never appear in a response, header, log line, audit row or the database bytes', { timeout: 60_000 }, async () => {
  const keys = { a1: anthropicCanary('AONE'), a2: anthropicCanary('ATWO'), o1: openaiCanary('OONE'), o2: openaiCanary('OTWO') };
  const webhookToken = `CANARYHOOK${randomChars(40)}`;
  // The sim accepts the first canaries; the second ones authenticate as (harmless, very fast) pacing "faults".
  const sim = await startSimulator({
    keys: { anthropic: keys.a1, openai: keys.o1 },
    faultKeys: { anthropic: { [keys.a2]: 'tps:100000' }, openai: { [keys.o2]: 'tps:100000' } },
  });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-canary-product-'));
  const server = await startMosaicProcess({
    dataDir,
    stopTimeoutMs: 15_000,
    env: {
      MOSAIC_ADMIN_EMAIL: ADMIN_EMAIL,
      MOSAIC_ADMIN_PASSWORD: ADMIN_PASSWORD,
      MOSAIC_ANTHROPIC_BASE_URL: sim.anthropic.baseUrl,
      MOSAIC_OPENAI_BASE_URL: sim.openai.baseUrl,
    },
  });
  const exchanges: string[] = [];
  try {
    const api = await signedIn(server.url, exchanges);
    const anthropic = { kind: 'anthropic', baseUrl: sim.anthropic.baseUrl };
    const openai = { kind: 'openai', baseUrl: sim.openai.baseUrl };

    // Add both providers the way the admin page does: list models, test, save.
    await api.expect(200, 'POST', '/api/admin/ai/models', { ...anthropic, apiKey: keys.a1 });
    assert.equal((await api.expect(200, 'POST', '/api/admin/ai/test', { ...anthropic, apiKey: keys.a1, model: 'claude-sonnet-4-5-20250929' })).ok, true);
    const a = (await api.expect(201, 'POST', '/api/admin/ai/providers', { ...anthropic, apiKey: keys.a1, keyName: 'canary-anthropic', models: { orchestrator: 'claude-sonnet-4-5-20250929', fast: 'claude-haiku-4-5-20251001' } })).provider as Provider;
    await api.expect(200, 'POST', '/api/admin/ai/models', { ...openai, apiKey: keys.o1 });
    const o = (await api.expect(201, 'POST', '/api/admin/ai/providers', { ...openai, apiKey: keys.o1, keyName: 'canary-openai', models: { orchestrator: 'gpt-4o', fast: 'gpt-4o-mini' } })).provider as Provider;
    for (const p of [a, o]) {
      assert.equal((await api.expect(200, 'POST', '/api/admin/ai/test', { providerId: p.id })).ok, true);
      await api.expect(200, 'POST', '/api/admin/ai/models', { providerId: p.id });
    }

    // Chat on Anthropic, streamed, with the agent's tool calls.
    const s1 = ((await api.expect(201, 'POST', '/api/chat/sessions', { title: 'Canary chat' })).session as { id: string }).id;
    const stream1 = await api.stream(`/api/chat/sessions/${s1}/messages`, { content: 'How many orders are there?' });
    assert.match(stream1, /event: tool-call/);
    assert.match(stream1, /event: message-end/);

    // Rotation to the second canaries; then chat again on each.
    await api.expect(200, 'PUT', `/api/admin/ai/providers/${a.id}/key`, { apiKey: keys.a2, keyName: 'canary-anthropic-2' });
    await api.expect(200, 'PUT', `/api/admin/ai/providers/${o.id}/key`, { apiKey: keys.o2, keyName: 'canary-openai-2' });
    await api.expect(200, 'POST', `/api/chat/sessions/${s1}/messages`, { content: 'And by region?' });
    await api.expect(200, 'POST', `/api/admin/ai/providers/${o.id}/activate`);
    const s2 = ((await api.expect(201, 'POST', '/api/chat/sessions', {})).session as { id: string }).id;
    assert.match(await api.stream(`/api/chat/sessions/${s2}/messages`, { content: 'Top products?' }), /event: message-end/);

    // Failures whose provider message echoes the key (OpenAI masks it as the real service does).
    for (const key of Object.values(keys)) {
      const bad = nearMiss(key);
      const draft = key.startsWith('sk-proj-') ? { ...openai, apiKey: bad } : { ...anthropic, apiKey: bad };
      const test = await api.expect(200, 'POST', '/api/admin/ai/test', { ...draft, model: key.startsWith('sk-proj-') ? 'gpt-4o' : 'claude-sonnet-4-5-20250929' });
      assert.equal((test.error as { code: string }).code, 'invalid_api_key');
      await api.expect(422, 'POST', '/api/admin/ai/models', draft);
      await api.expect(422, 'POST', '/api/admin/ai/providers', { ...draft, models: { orchestrator: 'gpt-4o' } });
      await api.expect(422, 'PUT', `/api/admin/ai/providers/${key.startsWith('sk-proj-') ? o.id : a.id}/key`, { apiKey: bad });
      // A key with a typo the schema refuses: the 400 must not quote it back.
      await api.expect(400, 'PUT', `/api/admin/ai/providers/${a.id}/key`, { apiKey: `${key} ${key}` });
    }
    // A chat answer the provider refuses with its 401 (which echoes the masked key it was sent).
    const s3 = ((await api.expect(201, 'POST', '/api/chat/sessions', {})).session as { id: string }).id;
    const failed = await api.send('POST', `/api/chat/sessions/${s3}/messages`, { content: 'This one fails [[sim:401]]' });
    assert.ok(failed.status >= 400 && failed.status !== 500, `a provider's 401 is an error, not a crash: ${failed.status} ${failed.body}`);

    // The admin console: sessions, detail, content, export, overview, usage, audit, providers.
    for (const id of [s1, s2, s3]) {
      await api.expect(200, 'GET', `/api/admin/ai/sessions/${id}`);
      await api.expect(200, 'GET', `/api/admin/ai/sessions/${id}/content?acknowledge=true`);
      await api.expect(200, 'GET', `/api/admin/ai/sessions/${id}/export`);
      await api.expect(200, 'GET', `/api/chat/sessions/${id}`);
    }
    await api.expect(200, 'GET', '/api/admin/ai/sessions');
    await api.expect(200, 'GET', '/api/admin/ai/overview');
    await api.expect(200, 'GET', '/api/admin/ai/usage');
    // A budget alert webhook: its path is a secret too (Slack's, Teams'), stored sealed, shown by origin.
    const limits = await api.expect(200, 'PUT', '/api/admin/ai/limits', { monthlyBudgetUsd: 1000, alertAtPct: 80, alertWebhookUrl: `https://hooks.example.com/services/${webhookToken}` });
    assert.deepEqual(limits.alertWebhook, { origin: 'https://hooks.example.com' });
    await api.expect(200, 'PUT', '/api/admin/ai/limits', { monthlyBudgetUsd: 2000, alertAtPct: 90 });
    assert.deepEqual((await api.expect(200, 'GET', '/api/admin/ai/limits')).alertWebhook, { origin: 'https://hooks.example.com' }, 'kept when left out');
    const audit = await api.expect(200, 'GET', '/api/admin/audit?limit=100');
    const providers = (await api.expect(200, 'GET', '/api/admin/ai/providers')).providers as Provider[];
    const hints = providers.map((p) => p.key.hint);

    // The database files as they are while the server runs (the WAL holds the recent writes), then after.
    const dbFiles = ['mosaic.db', 'mosaic.db-wal', 'mosaic.db-shm'].map((f) => path.join(dataDir, f));
    const whileRunning = readAll(dbFiles);
    await server.stop();
    const afterStop = readAll(dbFiles);
    const db = new DatabaseSync(path.join(dataDir, 'mosaic.db'), { readOnly: true });
    const auditRows = JSON.stringify(db.prepare('SELECT * FROM audit_events').all());
    const everyRow = ['provider_connections', 'chat_messages', 'call_records', 'chat_sessions', 'audit_events']
      .map((table) => JSON.stringify(db.prepare(`SELECT * FROM ${table}`).all()))
      .join('\n');
    db.close();

    const places: Record<string, Buffer> = {
      'HTTP responses (bodies and headers)': Buffer.from(exchanges.join('\n')),
      'log lines': Buffer.from(server.lines.join('\n')),
      'audit_events rows': Buffer.from(auditRows),
      'database rows': Buffer.from(everyRow),
      'database files while running': whileRunning,
      'database files after stop': afterStop,
    };
    // Positive controls: each scan does see what is meant to be there, so it could find a canary.
    for (const hint of hints) {
      assert.ok(places['HTTP responses (bodies and headers)']!.includes(hint), `the responses show the hint ${hint}`);
      assert.ok(places['database files while running']!.includes(Buffer.from(hint)) || places['database files after stop']!.includes(Buffer.from(hint)), 'the database holds the hint');
    }
    assert.ok(places['log lines']!.includes('Mosaic listening on'), 'the log scan sees the server log');
    assert.ok(places['audit_events rows']!.includes('ai.provider.rotate_key'), 'the audit scan sees the rotations');
    assert.ok((audit.events as unknown[]).length > 5);
    assert.ok(places['HTTP responses (bodies and headers)']!.includes('set-cookie'), 'the header scan sees headers');

    const needles = [...Object.entries(keys), ['webhook', webhookToken] as const].flatMap(([name, key]) => canaryNeedles(name, key));
    for (const [where, haystack] of Object.entries(places)) {
      const found = needles.filter((n) => haystack.includes(n.bytes)).map((n) => n.name);
      assert.deepEqual(found, [], `canary material found in the ${where}`);
    }
  } finally {
    await server.stop();
    await sim.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

interface Provider {
  id: string;
  key: { hint: string };
}

/** What would betray a key: itself, its base64 and hex, and every 12-character window of its secret part. */
function canaryNeedles(name: string, key: string): { name: string; bytes: Buffer }[] {
  const needles = [
    { name: `${name} whole`, bytes: Buffer.from(key) },
    { name: `${name} base64`, bytes: Buffer.from(Buffer.from(key).toString('base64').slice(0, 40)) },
    { name: `${name} base64url`, bytes: Buffer.from(Buffer.from(key).toString('base64url').slice(0, 40)) },
    { name: `${name} hex`, bytes: Buffer.from(Buffer.from(key).toString('hex').slice(0, 40)) },
    { name: `${name} utf-16`, bytes: Buffer.from(key.slice(0, 24), 'utf16le') },
  ];
  const secret = secretPart(key);
  for (let i = 0; i + 12 <= secret.length; i++) needles.push({ name: `${name} fragment @${i}`, bytes: Buffer.from(secret.slice(i, i + 12)) });
  return needles;
}

function readAll(files: string[]): Buffer {
  return Buffer.concat(files.map((f) => (fs.existsSync(f) ? fs.readFileSync(f) : Buffer.alloc(0))));
}

/** A cookie session over real HTTP that records every response's status line, headers and body. */
async function signedIn(baseUrl: string, exchanges: string[]) {
  const record = async (res: Response) => {
    const body = await res.text();
    exchanges.push(`${res.status}\n${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${body}`);
    return body;
  };
  const login = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }) });
  const { csrfToken } = JSON.parse(await record(login)) as { csrfToken: string };
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const send = async (method: string, url: string, body?: unknown, accept = 'application/json') => {
    const res = await fetch(`${baseUrl}${url}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, accept, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: await record(res) };
  };
  return {
    send,
    async expect(status: number, method: string, url: string, body?: unknown): Promise<Record<string, unknown>> {
      const res = await send(method, url, body);
      assert.equal(res.status, status, `${method} ${url}: ${res.body.slice(0, 500)}`);
      return (res.body === '' ? {} : JSON.parse(res.body)) as Record<string, unknown>;
    },
    async stream(url: string, body: unknown): Promise<string> {
      const res = await send('POST', url, body, 'text/event-stream');
      assert.equal(res.status, 200, res.body);
      return res.body;
    },
  };
}

