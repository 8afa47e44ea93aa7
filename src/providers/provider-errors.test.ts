// A table of every provider failure the wire notes and fixtures record, served over a real socket, and
// the contract code, hint, status and request id each becomes. Plus the failures no provider answers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../vault/secret.ts';
import { createProviderClient, type ProviderEnv } from './create-provider-client.ts';
import { PROVIDER_ERROR_HINTS, ProviderError } from './provider-error.ts';
import type { ConnectionSettings, ProviderErrorCode } from './provider.ts';
import { anthropicSse, fixtureText, sendJson, sendSse, startTestUpstream, type TestUpstream } from './provider-test-server.ts';

const ANTHROPIC_KEY = 'sk-ant-api03-Zx9' + 'q'.repeat(90) + 'x7QaAA';
const OPENAI_KEY = 'sk-proj-Ab12Cd34' + 'e'.repeat(40) + 'bbbb';
const AZURE_KEY = '0123456789abcdef0123456789abcdef';

const env: ProviderEnv = { allowPrivateUpstreams: true, anthropicBaseUrl: null, openaiBaseUrl: null, maxRetries: 0 };

interface Case {
  name: string;
  settings: (url: string) => ConnectionSettings;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  code: ProviderErrorCode;
  requestId?: string | null;
  retryable?: boolean;
  retryAfterMs?: number | null;
}

const anthropic = (url: string): ConnectionSettings => ({ kind: 'anthropic', apiKey: new Secret(ANTHROPIC_KEY), baseUrl: url, azure: null });
const openai = (url: string): ConnectionSettings => ({ kind: 'openai', apiKey: new Secret(OPENAI_KEY), baseUrl: `${url}/v1`, azure: null });
const azure = (apiStyle: 'openai' | 'anthropic') => (url: string): ConnectionSettings => ({
  kind: 'azure',
  apiKey: new Secret(AZURE_KEY),
  baseUrl: null,
  azure: { endpoint: url, apiStyle, apiVersion: null, modelOf: {} },
});
const anthropicBody = (type: string, message: string) => ({ type: 'error', error: { type, message }, request_id: 'req_body_1' });
const openaiBody = (message: string, type: string, code: string | null, param: string | null = null) => ({ error: { message, type, param, code } });

const cases: Case[] = [
  { name: 'Anthropic 401 authentication_error', settings: anthropic, status: 401, body: anthropicBody('authentication_error', 'invalid x-api-key'), headers: { 'request-id': 'req_011CT' }, code: 'invalid_api_key', requestId: 'req_011CT', retryable: false },
  { name: 'Anthropic 403 permission_error', settings: anthropic, status: 403, body: anthropicBody('permission_error', 'Your API key does not have permission to use the specified resource.'), code: 'permission_denied', requestId: 'req_body_1' },
  { name: 'Anthropic 404 not_found_error on a model', settings: anthropic, status: 404, body: anthropicBody('not_found_error', 'model: claude-nope'), code: 'model_not_found' },
  { name: 'Anthropic 429 rate_limit_error with retry-after', settings: anthropic, status: 429, body: anthropicBody('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'), headers: { 'retry-after': '7' }, code: 'rate_limited', retryable: true, retryAfterMs: 7000 },
  { name: 'Anthropic 429 spend limit (no retry-after)', settings: anthropic, status: 429, body: anthropicBody('rate_limit_error', 'You have reached your specified workspace API usage limits / spend limit.'), code: 'quota_exceeded', retryable: false },
  { name: 'Anthropic 400 credit balance too low', settings: anthropic, status: 400, body: anthropicBody('invalid_request_error', 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.'), code: 'quota_exceeded' },
  { name: 'Anthropic 402 billing_error', settings: anthropic, status: 402, body: anthropicBody('billing_error', 'Payment required.'), code: 'quota_exceeded' },
  { name: 'Anthropic 400 invalid_request_error', settings: anthropic, status: 400, body: anthropicBody('invalid_request_error', 'max_tokens: Field required'), code: 'invalid_request', retryable: false },
  { name: 'Anthropic 413 request_too_large', settings: anthropic, status: 413, body: anthropicBody('request_too_large', 'Request exceeds the maximum allowed number of bytes.'), code: 'invalid_request' },
  { name: 'Anthropic 500 api_error', settings: anthropic, status: 500, body: anthropicBody('api_error', 'Internal server error'), code: 'provider_error', retryable: true },
  { name: 'Anthropic 504 timeout_error', settings: anthropic, status: 504, body: anthropicBody('timeout_error', 'Request timed out'), code: 'timeout', retryable: true },
  { name: 'Anthropic 529 overloaded_error', settings: anthropic, status: 529, body: anthropicBody('overloaded_error', 'Overloaded'), code: 'provider_overloaded', retryable: true },
  { name: 'x-should-retry: false overrides a 529', settings: anthropic, status: 529, body: anthropicBody('overloaded_error', 'Overloaded'), headers: { 'x-should-retry': 'false' }, code: 'provider_overloaded', retryable: false },
  { name: 'a proxy 404 HTML page', settings: anthropic, status: 404, body: '<html><body>Not Found</body></html>', code: 'unexpected_response' },
  { name: 'OpenAI 401 invalid_api_key (key echo)', settings: openai, status: 401, body: openaiBody('Incorrect API key provided: sk-proj-****bbbb. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', 'invalid_api_key'), headers: { 'x-request-id': 'req_6a1b' }, code: 'invalid_api_key', requestId: 'req_6a1b' },
  { name: 'OpenAI 403 unsupported_country_region_territory', settings: openai, status: 403, body: openaiBody('Country, region, or territory not supported', 'request_forbidden', 'unsupported_country_region_territory'), code: 'permission_denied' },
  { name: 'OpenAI 404 model_not_found', settings: openai, status: 404, body: openaiBody('The model `gpt-9` does not exist or you do not have access to it.', 'invalid_request_error', 'model_not_found'), code: 'model_not_found' },
  { name: 'OpenAI 429 insufficient_quota (fixture)', settings: openai, status: 429, body: fixtureText('openai/error-insufficient-quota.json'), headers: { 'retry-after': '1' }, code: 'quota_exceeded', retryable: false },
  { name: 'OpenAI 429 rate_limit_exceeded', settings: openai, status: 429, body: openaiBody('Rate limit reached for gpt-4.1 on tokens per min (TPM): Limit 30000, Used 30000, Requested 120. Please try again in 2s.', 'tokens', 'rate_limit_exceeded'), headers: { 'retry-after-ms': '2000', 'retry-after': '2' }, code: 'rate_limited', retryable: true, retryAfterMs: 2000 },
  { name: 'OpenAI 400 unsupported_parameter (fixture)', settings: openai, status: 400, body: fixtureText('openai/error-unsupported-parameter.json'), code: 'invalid_request', retryable: false },
  { name: 'OpenAI 500 server_error', settings: openai, status: 500, body: openaiBody('The server had an error while processing your request.', 'server_error', null), code: 'provider_error', retryable: true },
  { name: 'OpenAI 503 overloaded', settings: openai, status: 503, body: openaiBody('The engine is currently overloaded, please try again later.', 'server_error', null), code: 'provider_overloaded', retryable: true },
  { name: 'Azure 400 content_filter', settings: azure('openai'), status: 400, body: { error: { message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.", type: null, param: 'prompt', code: 'content_filter', status: 400, innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result: { hate: { filtered: true, severity: 'high' } } } } }, headers: { 'apim-request-id': 'f00d-1' }, code: 'content_filtered', requestId: 'f00d-1', retryable: false },
  { name: 'Azure 404 DeploymentNotFound', settings: azure('openai'), status: 404, body: { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.' } }, code: 'model_not_found' },
  { name: 'Azure 401 invalid subscription key', settings: azure('openai'), status: 401, body: { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.' } }, code: 'invalid_api_key' },
  { name: 'Azure 429 with retry-after', settings: azure('openai'), status: 429, body: { error: { code: '429', message: 'Requests to the ChatCompletions_Create Operation have exceeded call rate limit.' } }, headers: { 'retry-after': '3' }, code: 'rate_limited', retryable: true, retryAfterMs: 3000 },
  { name: 'Azure (Claude) 529 overloaded', settings: azure('anthropic'), status: 529, body: anthropicBody('overloaded_error', 'Overloaded'), code: 'provider_overloaded' },
  { name: 'Azure (Claude) 401 from the Azure gateway', settings: azure('anthropic'), status: 401, body: { error: { code: '401', message: 'Access denied due to invalid subscription key.' } }, code: 'invalid_api_key' },
];

let upstream: TestUpstream;
let answer: Case;
before(async () => {
  upstream = await startTestUpstream((_req, res) => sendJson(res, answer.status, answer.body as object, answer.headers ?? {}));
});
after(() => upstream.close());

async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => assert.fail('expected a failure'), (e: unknown) => e);
  assert.ok(error instanceof ProviderError, `expected ProviderError, got ${String(error)}`);
  return error;
}

describe('provider error table', () => {
  for (const c of cases) {
    it(`${c.name} → ${c.code}`, async () => {
      answer = c;
      const settings = c.settings(upstream.url);
      const client = createProviderClient(settings, env);
      const error = await failureOf(client.generate({ model: 'm', messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 10 }));
      assert.equal(error.code, c.code);
      assert.equal(error.status, c.status);
      assert.ok(error.hint.length > 10 && /[.]$/.test(error.hint), 'a one-sentence hint');
      if (c.requestId !== undefined) assert.equal(error.requestId, c.requestId);
      if (c.retryable !== undefined) assert.equal(error.retryable, c.retryable);
      if (c.retryAfterMs !== undefined) assert.equal(error.retryAfterMs, c.retryAfterMs);
      const key = settings.apiKey.reveal();
      for (const text of [error.message, error.hint]) {
        assert.ok(!text.includes(key.slice(0, 12)) && !text.includes(key.slice(-4)), `no key echo in: ${text}`);
      }
    });
  }

  it('the OpenAI key echo is redacted but the rest of the message kept', async () => {
    answer = cases.find((c) => c.name.startsWith('OpenAI 401'))!;
    const client = createProviderClient(openai(upstream.url), env);
    const error = await failureOf(client.generate({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 10 }));
    assert.match(error.message, /^OpenAI answered 401 invalid_api_key: Incorrect API key provided: \[redacted key\]\. You can find/);
    assert.doesNotMatch(error.message, /sk-proj|\*\*\*\*|bbbb/);
  });

  it('every code has a hint sentence', () => {
    for (const [code, hint] of Object.entries(PROVIDER_ERROR_HINTS)) assert.match(hint, /\.$/, code);
  });
});

describe('failures without a provider answer', () => {
  it('connection refused → unreachable', async () => {
    const closed = await startTestUpstream(() => {});
    const url = closed.url;
    await closed.close();
    const client = createProviderClient(anthropic(url), env);
    const error = await failureOf(client.generate({ model: 'm', messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 10 }));
    assert.equal(error.code, 'unreachable');
    assert.equal(error.status, null);
  });

  it('an unresolvable host → unreachable', async () => {
    const client = createProviderClient(anthropic('http://no-such-host.invalid'), env);
    const error = await failureOf(client.generate({ model: 'm', messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 10 }));
    assert.equal(error.code, 'unreachable');
  });

  it('a 200 that is not the API (an HTML page) → unexpected_response', async () => {
    answer = { name: 'html', settings: anthropic, status: 200, body: '<html>hello</html>', code: 'unexpected_response' };
    const client = createProviderClient(anthropic(upstream.url), env);
    const error = await failureOf(client.generate({ model: 'm', messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 10 }));
    assert.equal(error.code, 'unexpected_response');
  });

  it('an Anthropic error event mid-stream → provider_overloaded after the text already given', async () => {
    const server = await startTestUpstream((_req, res) => {
      const lines = fixtureText('anthropic/text.chunks.txt').split('\n').filter(Boolean).slice(0, 4);
      lines.push(JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }));
      sendSse(res, anthropicSse(lines));
    });
    try {
      const client = createProviderClient(anthropic(server.url), { ...env, maxRetries: 2 });
      const texts: string[] = [];
      const error = await failureOf(
        (async () => {
          for await (const event of client.stream({ model: 'm', messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 10 })) {
            if (event.type === 'text-delta') texts.push(event.text);
          }
        })(),
      );
      assert.deepEqual(texts, ['Hello']);
      assert.equal(error.code, 'provider_overloaded');
      assert.equal(server.requests.length, 1, 'no retry once text reached the caller');
    } finally {
      await server.close();
    }
  });
});
