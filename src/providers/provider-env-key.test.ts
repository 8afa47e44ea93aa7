// The AI SDK's providers read ANTHROPIC_API_KEY / OPENAI_API_KEY / AZURE_API_KEY (and *_BASE_URL) when no
// key is given. With canaries in all of them, every request must carry only the tenant's key and go to the
// tenant's address.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Secret } from '../vault/secret.ts';
import { createProviderClient, type ProviderEnv } from './create-provider-client.ts';
import type { ConnectionSettings } from './provider.ts';
import { anthropicSse, fixtureLines, openAISse, sendJson, sendSse, startTestUpstream, type TestUpstream } from './provider-test-server.ts';

const CANARY = 'CANARY-operator-key-must-never-be-sent';
const VARS = ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'AZURE_API_KEY', 'ANTHROPIC_BASE_URL', 'OPENAI_BASE_URL', 'AZURE_RESOURCE_NAME'];
const saved = new Map<string, string | undefined>();
let upstream: TestUpstream;

before(async () => {
  for (const v of VARS) {
    saved.set(v, process.env[v]);
    process.env[v] = v.endsWith('_URL') ? 'http://127.0.0.1:9/canary' : CANARY;
  }
  upstream = await startTestUpstream((req, res) => {
    if (req.url.startsWith('/anthropic/') || req.url.startsWith('/v1/messages')) return sendSse(res, anthropicSse(fixtureLines('anthropic/text.chunks.txt')));
    if (req.url.includes('/models')) return sendJson(res, 200, { data: [], has_more: false });
    sendSse(res, openAISse(fixtureLines('azure/chat-content-filter-fields.chunks.txt')));
  });
});
after(async () => {
  for (const [v, value] of saved) {
    if (value === undefined) delete process.env[v];
    else process.env[v] = value;
  }
  await upstream.close();
});

const env: ProviderEnv = { allowPrivateUpstreams: true, anthropicBaseUrl: null, openaiBaseUrl: null, maxRetries: 0 };

it('every provider and API style sends the tenant key only, to the tenant address', async () => {
  const tenants: Array<[ConnectionSettings, string]> = [
    [{ kind: 'anthropic', apiKey: new Secret('sk-ant-api03-tenant-a'), baseUrl: upstream.url, azure: null }, 'sk-ant-api03-tenant-a'],
    [{ kind: 'openai', apiKey: new Secret('sk-proj-tenant-b'), baseUrl: `${upstream.url}/v1`, azure: null }, 'sk-proj-tenant-b'],
    [{ kind: 'azure', apiKey: new Secret('tenant-c-azure-key'), baseUrl: null, azure: { endpoint: upstream.url, apiStyle: 'openai', apiVersion: null, modelOf: {} } }, 'tenant-c-azure-key'],
    [{ kind: 'azure', apiKey: new Secret('tenant-d-azure-key'), baseUrl: null, azure: { endpoint: upstream.url, apiStyle: 'openai', apiVersion: '2024-10-21', modelOf: {} } }, 'tenant-d-azure-key'],
    [{ kind: 'azure', apiKey: new Secret('tenant-e-azure-key'), baseUrl: null, azure: { endpoint: upstream.url, apiStyle: 'anthropic', apiVersion: null, modelOf: {} } }, 'tenant-e-azure-key'],
  ];
  for (const [settings, key] of tenants) {
    upstream.requests.length = 0;
    const client = createProviderClient(settings, env);
    for await (const _ of client.stream({ model: 'm', messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 10 })) {
      // drain
    }
    await client.generate({ model: 'm', messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 10 }).catch(() => {});
    await client.listModels();
    assert.ok(upstream.requests.length >= 2, `${settings.kind} reached the tenant address`);
    for (const request of upstream.requests) {
      const wire = JSON.stringify(request.headers) + JSON.stringify(request.body);
      assert.ok(!wire.includes('CANARY'), `${settings.kind}: canary on the wire`);
      const sentKey = request.headers['x-api-key'] ?? request.headers['api-key'] ?? String(request.headers.authorization).replace('Bearer ', '');
      assert.equal(sentKey, key, `${settings.kind} ${request.url}`);
    }
  }
});
