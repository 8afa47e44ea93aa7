// The adapters against the provider simulator (sim/) over real sockets: stream, generate, listModels and
// testConnection for every provider and Azure API style, and the simulator's faults mapped to our codes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../sim/simulator.ts';
import { Secret } from '../vault/secret.ts';
import { createProviderClient, type ProviderEnv } from './create-provider-client.ts';
import { ProviderError } from './provider-error.ts';
import type { ConnectionSettings, ModelCallRequest, ModelStreamEvent } from './provider.ts';
import { testConnection } from './test-connection.ts';

let sim: Simulator;
before(async () => {
  sim = await startSimulator();
});
after(() => sim.close());

const sleeps: number[] = [];
const env: ProviderEnv = {
  allowPrivateUpstreams: true,
  anthropicBaseUrl: null,
  openaiBaseUrl: null,
  retry: { sleep: async (ms) => void sleeps.push(ms) },
};

interface Target {
  name: string;
  model: string;
  settings: (key?: string) => ConnectionSettings;
  faultKey: (fault: string) => string;
  listsModels: boolean;
}

const azure = (apiStyle: 'openai' | 'anthropic', apiVersion: string | null) => (key?: string): ConnectionSettings => ({
  kind: 'azure',
  apiKey: new Secret(key ?? sim.azure.apiKey),
  baseUrl: null,
  azure: { endpoint: sim.azure.endpoint, apiStyle, apiVersion, modelOf: Object.fromEntries(sim.azure.deployments.map((d) => [d.name, d.model])) },
});

const targets: Target[] = [
  {
    name: 'Anthropic',
    model: 'claude-haiku-4-5-20251001',
    settings: (key) => ({ kind: 'anthropic', apiKey: new Secret(key ?? sim.anthropic.apiKey), baseUrl: sim.anthropic.baseUrl, azure: null }),
    faultKey: (f) => sim.faultKey('anthropic', f),
    listsModels: true,
  },
  {
    name: 'OpenAI',
    model: 'gpt-4.1-mini',
    settings: (key) => ({ kind: 'openai', apiKey: new Secret(key ?? sim.openai.apiKey), baseUrl: sim.openai.baseUrl, azure: null }),
    faultKey: (f) => sim.faultKey('openai', f),
    listsModels: true,
  },
  { name: 'Azure (openai, v1)', model: 'gpt-4o-prod', settings: azure('openai', null), faultKey: (f) => sim.faultKey('azure', f), listsModels: false },
  { name: 'Azure (openai, dated)', model: 'gpt-4o-mini-fast', settings: azure('openai', '2024-10-21'), faultKey: (f) => sim.faultKey('azure', f), listsModels: false },
  { name: 'Azure (anthropic)', model: 'claude-sonnet', settings: azure('anthropic', null), faultKey: (f) => sim.faultKey('azure', f), listsModels: false },
];

const runQuery = { name: 'run_query', description: 'Run a SQL query.', inputSchema: { type: 'object', properties: { sql: { type: 'string' } }, required: ['sql'] } };

async function collect(settings: ConnectionSettings, request: ModelCallRequest, extraEnv: Partial<ProviderEnv> = {}): Promise<ModelStreamEvent[]> {
  const events: ModelStreamEvent[] = [];
  for await (const event of createProviderClient(settings, { ...env, ...extraEnv }).stream(request)) events.push(event);
  return events;
}

const textOf = (events: ModelStreamEvent[]) => events.map((e) => (e.type === 'text-delta' ? e.text : '')).join('');

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => assert.fail('expected a failure'), (e: unknown) => e);
  assert.ok(error instanceof ProviderError, `expected ProviderError, got ${String(error)}`);
  return error;
}

for (const t of targets) {
  describe(`${t.name} against the simulator`, () => {
    it('streams a text answer with usage', async () => {
      const events = await collect(t.settings(), { model: t.model, system: 'Be brief.', messages: [{ role: 'user', content: 'What were sales in May?' }], maxOutputTokens: 400 });
      assert.ok(textOf(events).length > 0);
      const finish = events.at(-1)!;
      assert.equal(finish.type, 'finish');
      assert.ok(finish.type === 'finish' && finish.finishReason === 'stop' && finish.usage.inputTokens > 0 && finish.usage.outputTokens > 0 && finish.model === t.model);
    });

    it('streams a scripted tool call, then answers from the tool result', async () => {
      const question = 'Sales by region? [[sim:call:run_query:{"sql":"SELECT 1"}]]';
      const first = await collect(t.settings(), { model: t.model, messages: [{ role: 'user', content: question }], tools: [runQuery], maxOutputTokens: 400 });
      const call = first.find((e) => e.type === 'tool-call');
      assert.ok(call && call.type === 'tool-call');
      assert.equal(call.name, 'run_query');
      assert.deepEqual(call.input, { sql: 'SELECT 1' });
      assert.equal(first.at(-1)!.type === 'finish' && (first.at(-1) as { finishReason: string }).finishReason, 'tool-calls');

      const second = await collect(t.settings(), {
        model: t.model,
        messages: [
          { role: 'user', content: question },
          { role: 'assistant', parts: [{ type: 'tool-call', id: call.id, name: call.name, input: call.input }] },
          { role: 'tool', results: [{ type: 'tool-result', id: call.id, name: call.name, output: { rows: [{ region: 'North', sales: 42 }] } }] },
        ],
        tools: [runQuery],
        maxOutputTokens: 400,
      });
      assert.ok(textOf(second).length > 0);
      assert.equal((second.at(-1) as { finishReason: string }).finishReason, 'stop');
    });

    it('generates a whole answer', async () => {
      const result = await createProviderClient(t.settings(), env).generate({ model: t.model, messages: [{ role: 'user', content: 'Hello?' }], maxOutputTokens: 400 });
      assert.ok(result.text.length > 0);
      assert.ok(result.usage.outputTokens > 0);
      assert.equal(result.finishReason, 'stop');
    });

    it('lists models', async () => {
      const models = await createProviderClient(t.settings(), env).listModels();
      assert.ok(Array.isArray(models));
      if (t.listsModels) assert.ok(models.length > 0 && models.every((m) => m.id !== '' && m.displayName !== ''));
    });

    it('tests the connection: ok, and invalid_api_key for a wrong key', async () => {
      const ok = await testConnection(t.settings(), t.model, env);
      assert.equal(ok.ok, true, JSON.stringify(ok));
      const wrongKey = t.settings().kind === 'anthropic' ? 'sk-ant-api03-wrong' : t.settings().kind === 'openai' ? 'sk-proj-wrong' : 'ffffffffffffffffffffffffffffffff';
      const bad = await testConnection(t.settings(wrongKey), t.model, env);
      assert.equal(!bad.ok && bad.error.code, 'invalid_api_key');
    });

    it('maps the simulator faults to our codes', async () => {
      const ask = (fault: string, extra: Partial<ProviderEnv> = {}) =>
        failure(collect(t.settings(t.faultKey(fault)), { model: t.model, messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 100 }, { maxRetries: 0, ...extra }));
      assert.equal((await ask('403')).code, 'permission_denied');
      assert.equal((await ask('404-model')).code, 'model_not_found');
      assert.equal((await ask('quota')).code, 'quota_exceeded');
      assert.equal((await ask('500')).code, 'provider_error');
      assert.equal((await ask('529')).code, 'provider_overloaded');
      const limited = await ask('429');
      assert.equal(limited.code, 'rate_limited');
      assert.ok(limited.retryAfterMs !== null && limited.retryAfterMs > 0);
      assert.equal((await ask('slow-first-byte:3000', { timeouts: { firstByteMs: 200 } })).code, 'timeout');
      assert.ok(['provider_overloaded', 'provider_error'].includes((await ask('error-mid-stream')).code));
      assert.equal((await ask('reset-mid-stream')).code, 'provider_error');
    });

    it('retries a one-time 429 and then answers', async () => {
      sleeps.length = 0;
      const events = await collect(t.settings(), { model: t.model, messages: [{ role: 'user', content: `hi [[sim:429-once:${t.name}:50]]` }], maxOutputTokens: 100 });
      assert.ok(textOf(events).length > 0);
      assert.equal(sleeps.length, 1);
    });
  });
}

describe('Azure content filter against the simulator', () => {
  it('a filtered prompt → content_filtered; filtered output → a normal finish with content-filter', async () => {
    const settings = azure('openai', null);
    const blocked = await failure(collect(settings(sim.faultKey('azure', 'content-filter')), { model: 'gpt-4o-prod', messages: [{ role: 'user', content: 'x' }], maxOutputTokens: 100 }));
    assert.equal(blocked.code, 'content_filtered');
    assert.equal(blocked.status, 400);
    const events = await collect(settings(sim.faultKey('azure', 'content-filter-output')), { model: 'gpt-4o-prod', messages: [{ role: 'user', content: 'x' }], maxOutputTokens: 100 });
    assert.equal((events.at(-1) as { finishReason: string }).finishReason, 'content-filter');
  });
});
