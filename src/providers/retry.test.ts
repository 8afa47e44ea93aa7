import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../vault/secret.ts';
import { createProviderClient, type ProviderEnv } from './create-provider-client.ts';
import { ProviderError } from './provider-error.ts';
import { anthropicSse, fixtureLines, fixtureText, sendJson, sendSse, startTestUpstream, type TestUpstream } from './provider-test-server.ts';
import { backoffDelayMs, isRetryableStatus, parseRetryAfterMs, retryDelayMs } from './retry.ts';

describe('retry rules', () => {
  it('reads retry-after-ms, then retry-after in seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfterMs({ 'retry-after-ms': '1500', 'retry-after': '9' }, now), 1500);
    assert.equal(parseRetryAfterMs({ 'Retry-After': '3' }, now), 3000);
    assert.equal(parseRetryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now), 5000);
    assert.equal(parseRetryAfterMs({ 'retry-after': 'soon' }, now), null);
    assert.equal(parseRetryAfterMs({}, now), null);
  });

  it('retries 408, 409, 429 and 5xx; x-should-retry overrides', () => {
    for (const s of [408, 409, 429, 500, 503, 529]) assert.equal(isRetryableStatus(s, {}), true, String(s));
    for (const s of [400, 401, 403, 404, 422]) assert.equal(isRetryableStatus(s, {}), false, String(s));
    assert.equal(isRetryableStatus(500, { 'x-should-retry': 'false' }), false);
    assert.equal(isRetryableStatus(400, { 'x-should-retry': 'true' }), true);
  });

  it('full jitter stays below the doubling ceiling; a retry-after wins; maxRetries bounds', () => {
    assert.equal(backoffDelayMs(0, { random: () => 0.999 }), 499);
    assert.equal(backoffDelayMs(3, { random: () => 0.5 }), 2000);
    assert.equal(backoffDelayMs(10, { random: () => 0.5 }), 4000);
    const limited = new ProviderError({ code: 'rate_limited', message: 'x', retryable: true, retryAfterMs: 1234 });
    assert.equal(retryDelayMs(limited, 0), 1234);
    assert.equal(retryDelayMs(limited, 2, { maxRetries: 2 }), null);
    assert.equal(retryDelayMs(new ProviderError({ code: 'quota_exceeded', message: 'x' }), 0), null);
  });
});

describe('retries against a real server', () => {
  let upstream: TestUpstream;
  let script: Array<(res: import('node:http').ServerResponse) => void>;
  const sleeps: number[] = [];
  const env: ProviderEnv = {
    allowPrivateUpstreams: true,
    anthropicBaseUrl: null,
    openaiBaseUrl: null,
    maxRetries: 2,
    retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
  };
  const anthropic = () => createProviderClient({ kind: 'anthropic', apiKey: new Secret('sk-ant-api03-k'), baseUrl: upstream.url, azure: null }, env);
  const openai = () => createProviderClient({ kind: 'openai', apiKey: new Secret('sk-proj-k'), baseUrl: `${upstream.url}/v1`, azure: null }, env);
  const request = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }], maxOutputTokens: 10 };
  const text = async (client: ReturnType<typeof anthropic>) => {
    let out = '';
    for await (const e of client.stream(request)) if (e.type === 'text-delta') out += e.text;
    return out;
  };
  const anthropicError = (status: number, type: string, headers: Record<string, string> = {}) => (res: import('node:http').ServerResponse) =>
    sendJson(res, status, { type: 'error', error: { type, message: type } }, headers);
  const anthropicStream = (res: import('node:http').ServerResponse) => sendSse(res, anthropicSse(fixtureLines('anthropic/text.chunks.txt')));

  before(async () => {
    upstream = await startTestUpstream((_req, res) => (script.shift() ?? anthropicError(500, 'api_error'))(res));
  });
  after(() => upstream.close());
  const reset = (steps: typeof script) => {
    script = steps;
    sleeps.length = 0;
    upstream.requests.length = 0;
  };

  it('429 with retry-after, then success: waits what the provider asked, then streams', async () => {
    reset([anthropicError(429, 'rate_limit_error', { 'retry-after': '2' }), anthropicStream]);
    assert.match(await text(anthropic()), /^Hello! I'm doing well/);
    assert.deepEqual(sleeps, [2000]);
    assert.equal(upstream.requests.length, 2);
  });

  it('529 twice, then success: backoff with jitter, three requests', async () => {
    reset([anthropicError(529, 'overloaded_error'), anthropicError(529, 'overloaded_error'), anthropicStream]);
    assert.match(await text(anthropic()), /^Hello!/);
    assert.deepEqual(sleeps, [250, 500]);
    assert.equal(upstream.requests.length, 3);
  });

  it('gives up after maxRetries', async () => {
    reset([anthropicError(500, 'api_error'), anthropicError(500, 'api_error'), anthropicError(500, 'api_error'), anthropicStream]);
    await assert.rejects(text(anthropic()), (e: unknown) => e instanceof ProviderError && e.code === 'provider_error');
    assert.equal(upstream.requests.length, 3);
  });

  it('insufficient_quota is never retried, even with a retry-after', async () => {
    reset([(res) => sendJson(res, 429, fixtureText('openai/error-insufficient-quota.json'), { 'retry-after': '1' }), anthropicStream]);
    await assert.rejects(openai().generate(request), (e: unknown) => e instanceof ProviderError && e.code === 'quota_exceeded');
    assert.equal(upstream.requests.length, 1);
    assert.deepEqual(sleeps, []);
  });

  it('401 is never retried', async () => {
    reset([anthropicError(401, 'authentication_error'), anthropicStream]);
    await assert.rejects(text(anthropic()), (e: unknown) => e instanceof ProviderError && e.code === 'invalid_api_key');
    assert.equal(upstream.requests.length, 1);
  });

  it('generate() retries the same way', async () => {
    reset([anthropicError(529, 'overloaded_error'), (res) => sendJson(res, 200, fixtureText('anthropic/text.json'))]);
    const result = await anthropic().generate(request);
    assert.match(result.text, /^Hello!/);
    assert.equal(upstream.requests.length, 2);
  });

  it('no retry after the first token: a connection cut mid-stream is thrown, one request', async () => {
    reset([
      (res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(anthropicSse(fixtureLines('anthropic/text.chunks.txt').slice(0, 4)));
        setTimeout(() => res.destroy(), 50);
      },
      anthropicStream,
    ]);
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const e of anthropic().stream(request)) if (e.type === 'text-delta') seen.push(e.text);
      })(),
      (e: unknown) => e instanceof ProviderError,
    );
    assert.deepEqual(seen, ['Hello']);
    assert.equal(upstream.requests.length, 1);
  });
});
