import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../vault/secret.ts';
import type { ProviderEnv } from './create-provider-client.ts';
import type { ConnectionSettings } from './provider.ts';
import { fixtureText, sendJson, startTestUpstream, type TestUpstream } from './provider-test-server.ts';
import { testConnection } from './test-connection.ts';

let upstream: TestUpstream;
let reply: (res: import('node:http').ServerResponse) => void;
before(async () => {
  upstream = await startTestUpstream((_req, res) => reply(res));
});
after(() => upstream.close());

const env: ProviderEnv = { allowPrivateUpstreams: true, anthropicBaseUrl: null, openaiBaseUrl: null };
const openai = (key: string): ConnectionSettings => ({ kind: 'openai', apiKey: new Secret(key), baseUrl: `${upstream.url}/v1`, azure: null });
const chat = (content: string | null, finish = 'stop') => ({
  id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-5-mini-2025-08-07',
  choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: finish }],
  usage: { prompt_tokens: 12, completion_tokens: 64, total_tokens: 76 },
});

describe('testConnection', () => {
  it('a working key: ok with the model, reply and latency, after a tiny prompt', async () => {
    reply = (res) => sendJson(res, 200, chat('OK'));
    upstream.requests.length = 0;
    const result = await testConnection(openai('sk-proj-good'), 'gpt-4.1-mini', env);
    assert.equal(result.ok, true);
    assert.ok(result.ok && result.reply === 'OK' && result.model === 'gpt-4.1-mini' && result.latencyMs >= 0);
    const body = upstream.requests[0]!.body as Record<string, any>;
    assert.equal(body.messages.at(-1).content, 'Reply with the word OK.');
    assert.equal(body.max_completion_tokens, 16);
  });

  it('a reasoning model that spent its few tokens thinking: still ok, with an empty reply', async () => {
    reply = (res) => sendJson(res, 200, chat('', 'length'));
    upstream.requests.length = 0;
    const result = await testConnection(openai('sk-proj-good'), 'gpt-5-mini', env);
    assert.deepEqual(result.ok && result.reply, '');
    assert.equal((upstream.requests[0]!.body as { max_completion_tokens: number }).max_completion_tokens, 16, 'a few tokens at most, even for reasoning models');
  });

  it('an admin key or a key for the other provider fails before any network call', async () => {
    upstream.requests.length = 0;
    const admin = await testConnection(openai('sk-admin-abcdef'), 'gpt-4.1', env);
    assert.equal(!admin.ok && admin.error.code, 'admin_key_rejected');
    const mismatch = await testConnection(openai('sk-ant-api03-abcdef'), 'gpt-4.1', env);
    assert.equal(!mismatch.ok && mismatch.error.code, 'key_format_mismatch');
    assert.equal(upstream.requests.length, 0);
  });

  it('provider failures become {ok:false, error:{code, message, hint}} without the key', async () => {
    const key = 'sk-proj-Secret123Secret123abcd';
    reply = (res) => sendJson(res, 401, { error: { message: 'Incorrect API key provided: sk-proj-****abcd.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    const bad = await testConnection(openai(key), 'gpt-4.1', env);
    assert.equal(bad.ok, false);
    assert.ok(!bad.ok && bad.error.code === 'invalid_api_key' && bad.error.hint.length > 0);
    assert.ok(!JSON.stringify(bad).includes('abcd') && !JSON.stringify(bad).includes('Secret123'));

    reply = (res) => sendJson(res, 429, fixtureText('openai/error-insufficient-quota.json'));
    const quota = await testConnection(openai(key), 'gpt-4.1', env);
    assert.equal(!quota.ok && quota.error.code, 'quota_exceeded');
  });

  it('a silent provider → timeout within the test budget; a private address when not allowed → upstream_not_allowed', async () => {
    reply = () => {};
    const slow = await testConnection(openai('sk-proj-x'), 'gpt-4.1', env, { timeoutMs: 300 });
    assert.equal(!slow.ok && slow.error.code, 'timeout');
    const guarded = await testConnection(openai('sk-proj-x'), 'gpt-4.1', { ...env, allowPrivateUpstreams: false });
    assert.equal(!guarded.ok && guarded.error.code, 'upstream_not_allowed');
  });
});
