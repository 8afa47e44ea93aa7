// Every recorded fixture replayed through the adapters over a real local HTTP server: exact text, tool
// calls and usage, and what the adapters put on the wire (paths, auth headers, body fields).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../vault/secret.ts';
import { createProviderClient, type ProviderEnv } from './create-provider-client.ts';
import type { ConnectionSettings, ModelStreamEvent, ProviderClient } from './provider.ts';
import {
  anthropicSse,
  fixtureLines,
  fixtureText,
  openAISse,
  sendJson,
  sendSse,
  startTestUpstream,
  type TestUpstream,
} from './provider-test-server.ts';

const ANTHROPIC_KEY = 'sk-ant-api03-' + 'a'.repeat(93) + 'AA';
const OPENAI_KEY = 'sk-proj-' + 'b'.repeat(48);
const AZURE_KEY = 'c0ffee'.repeat(5) + 'ab';

const env: ProviderEnv = { allowPrivateUpstreams: true, anthropicBaseUrl: null, openaiBaseUrl: null, maxRetries: 0 };

function anthropicSettings(baseUrl: string): ConnectionSettings {
  return { kind: 'anthropic', apiKey: new Secret(ANTHROPIC_KEY), baseUrl, azure: null };
}
function openaiSettings(baseUrl: string): ConnectionSettings {
  return { kind: 'openai', apiKey: new Secret(OPENAI_KEY), baseUrl: `${baseUrl}/v1/`, azure: null };
}
function azureSettings(endpoint: string, apiStyle: 'openai' | 'anthropic', apiVersion: string | null = null): ConnectionSettings {
  return { kind: 'azure', apiKey: new Secret(AZURE_KEY), baseUrl: null, azure: { endpoint, apiStyle, apiVersion, modelOf: { 'chat-prod': 'gpt-5-nano' } } };
}

async function collect(client: ProviderClient, request: Parameters<ProviderClient['stream']>[0]): Promise<ModelStreamEvent[]> {
  const events: ModelStreamEvent[] = [];
  for await (const event of client.stream(request)) events.push(event);
  return events;
}

function textOf(events: ModelStreamEvent[]): string {
  return events.map((e) => (e.type === 'text-delta' ? e.text : '')).join('');
}

function joinedDeltas(lines: string[], pick: (chunk: any) => string | undefined): string {
  return lines.map((l) => pick(JSON.parse(l)) ?? '').join('');
}

const weatherTool = {
  name: 'json',
  description: 'Report the weather.',
  inputSchema: { type: 'object', properties: { elements: { type: 'array' } }, required: ['elements'] },
};

let upstream: TestUpstream;
let route: (url: string) => { kind: 'sse' | 'json'; body: string };

before(async () => {
  upstream = await startTestUpstream((request, res) => {
    const answer = route(request.url);
    if (answer.kind === 'sse') sendSse(res, answer.body, { 'request-id': 'req_fixture' });
    else sendJson(res, 200, answer.body);
  });
});
after(() => upstream.close());

describe('Anthropic fixtures', () => {
  it('streams text.chunks.txt: exact text, usage, finish, and the Messages request it sent', async () => {
    const lines = fixtureLines('anthropic/text.chunks.txt');
    route = () => ({ kind: 'sse', body: anthropicSse(lines) });
    const client = createProviderClient(anthropicSettings(`${upstream.url}/`), env);
    const events = await collect(client, {
      model: 'claude-sonnet-4-5',
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hello, how are you?' }],
      maxOutputTokens: 100,
    });
    assert.equal(textOf(events), "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?");
    assert.deepEqual(events.at(-1), {
      type: 'finish',
      finishReason: 'stop',
      usage: { inputTokens: 12, outputTokens: 30 },
      model: 'claude-sonnet-4-5',
      responseModel: 'claude-sonnet-4-5-20250929',
    });
    const sent = upstream.requests.at(-1)!;
    assert.equal(sent.url, '/v1/messages');
    assert.equal(sent.headers['x-api-key'], ANTHROPIC_KEY);
    assert.equal(sent.headers['anthropic-version'], '2023-06-01');
    const body = sent.body as Record<string, unknown>;
    assert.equal(body.model, 'claude-sonnet-4-5');
    assert.equal(body.max_tokens, 100);
    assert.equal(body.stream, true);
    assert.deepEqual(body.system, [{ type: 'text', text: 'Be brief.' }]);
  });

  it('streams tool-use.chunks.txt: one tool call with parsed input, finish tool-calls', async () => {
    route = () => ({ kind: 'sse', body: anthropicSse(fixtureLines('anthropic/tool-use.chunks.txt')) });
    const client = createProviderClient(anthropicSettings(upstream.url), env);
    const events = await collect(client, { model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool], maxOutputTokens: 200 });
    assert.deepEqual(events, [
      {
        type: 'tool-call',
        id: 'toolu_01KFbKqPYSuAKujiL6mTfzYA',
        name: 'json',
        input: { elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }] },
      },
      { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 849, outputTokens: 47 }, model: 'claude-haiku-4-5', responseModel: 'claude-haiku-4-5-20251001' },
    ]);
    const tools = (upstream.requests.at(-1)!.body as { tools: Array<{ name: string; input_schema: unknown }> }).tools;
    assert.equal(tools[0]!.name, 'json');
    assert.deepEqual(tools[0]!.input_schema, weatherTool.inputSchema);
  });

  it('generates from text.json and tool-use.json (non-stream)', async () => {
    const client = createProviderClient(anthropicSettings(upstream.url), env);
    route = () => ({ kind: 'json', body: fixtureText('anthropic/text.json') });
    const text = await client.generate({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }], maxOutputTokens: 50 });
    assert.equal(text.text, "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?");
    assert.deepEqual(text.usage, { inputTokens: 12, outputTokens: 29 });
    assert.equal(text.finishReason, 'stop');
    assert.equal((upstream.requests.at(-1)!.body as { stream?: boolean }).stream, undefined);

    route = () => ({ kind: 'json', body: fixtureText('anthropic/tool-use.json') });
    const tool = await client.generate({
      model: 'claude-3-opus',
      messages: [{ role: 'user', content: 'Update the issues' }],
      tools: [{ name: 'updateIssueList', description: 'Update the list.', inputSchema: { type: 'object', properties: {} } }],
      maxOutputTokens: 200,
    });
    assert.match(tool.text, /^<thinking>\nThe updateIssueList tool/);
    assert.ok(tool.text.endsWith('Okay, I will update the current issue list:'));
    assert.deepEqual(tool.toolCalls, [{ id: 'toolu_01LRmxn9vGM1d2DZSDBowdZ1', name: 'updateIssueList', input: {} }]);
    assert.equal(tool.finishReason, 'tool-calls');
    assert.deepEqual(tool.usage, { inputTokens: 602, outputTokens: 93 });
  });

  it('sends a neutral history with tool calls and results as tool_use / tool_result blocks', async () => {
    route = () => ({ kind: 'json', body: fixtureText('anthropic/text.json') });
    const client = createProviderClient(anthropicSettings(upstream.url), env);
    await client.generate({
      model: 'claude-sonnet-4-5',
      messages: [
        { role: 'user', content: 'Sales by region?' },
        { role: 'assistant', parts: [{ type: 'text', text: 'Let me look.' }, { type: 'tool-call', id: 'toolu_1', name: 'run_query', input: { sql: 'select 1' } }] },
        { role: 'tool', results: [{ type: 'tool-result', id: 'toolu_1', name: 'run_query', output: { rows: [[1]] } }] },
      ],
      tools: [{ name: 'run_query', description: 'Run SQL.', inputSchema: { type: 'object', properties: { sql: { type: 'string' } } } }],
      maxOutputTokens: 50,
    });
    const messages = (upstream.requests.at(-1)!.body as { messages: Array<{ role: string; content: Array<Record<string, unknown>> }> }).messages;
    assert.equal(messages.length, 3);
    const toolUse = messages[1]!.content.find((b) => b.type === 'tool_use')!;
    assert.deepEqual({ id: toolUse.id, name: toolUse.name, input: toolUse.input }, { id: 'toolu_1', name: 'run_query', input: { sql: 'select 1' } });
    const toolResult = messages[2]!.content[0]!;
    assert.equal(toolResult.type, 'tool_result');
    assert.equal(toolResult.tool_use_id, 'toolu_1');
    assert.equal(JSON.stringify(toolResult.content).includes('{\\"rows\\":[[1]]}'), true);
  });
});

describe('OpenAI fixtures', () => {
  it('streams chat-text.chunks.txt over Chat Completions with include_usage and max_completion_tokens', async () => {
    const lines = fixtureLines('openai/chat-text.chunks.txt');
    route = () => ({ kind: 'sse', body: openAISse(lines) });
    const client = createProviderClient(openaiSettings(upstream.url), env);
    const events = await collect(client, { model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'Invent a holiday.' }], maxOutputTokens: 300 });
    assert.equal(textOf(events), joinedDeltas(lines, (c) => c.choices[0]?.delta?.content));
    assert.ok(textOf(events).startsWith('**Holiday Name:** Harmony Day'));
    assert.deepEqual(events.at(-1), {
      type: 'finish',
      finishReason: 'stop',
      usage: { inputTokens: 16, outputTokens: 300 },
      model: 'gpt-4.1-nano',
      responseModel: 'gpt-4.1-nano-2025-04-14',
    });
    const sent = upstream.requests.at(-1)!;
    assert.equal(sent.url, '/v1/chat/completions');
    assert.equal(sent.headers.authorization, `Bearer ${OPENAI_KEY}`);
    const body = sent.body as Record<string, unknown>;
    assert.equal(body.max_completion_tokens, 300);
    assert.equal('max_tokens' in body, false, 'never the deprecated max_tokens');
    assert.deepEqual(body.stream_options, { include_usage: true });
  });

  it('generates from chat-text.json, sending max_completion_tokens for a reasoning model too', async () => {
    route = () => ({ kind: 'json', body: fixtureText('openai/chat-text.json') });
    const client = createProviderClient(openaiSettings(upstream.url), env);
    const result = await client.generate({ model: 'o4-mini', messages: [{ role: 'user', content: 'Invent a holiday.' }], maxOutputTokens: 500 });
    assert.ok(result.text.startsWith('**Holiday Name:** Galaxy Day'));
    assert.ok(result.text.endsWith('inspiring individuals to look up and dream beyond our world.'));
    assert.deepEqual(result.usage, { inputTokens: 16, outputTokens: 363 });
    const body = upstream.requests.at(-1)!.body as Record<string, unknown>;
    assert.equal(body.max_completion_tokens, 500);
    assert.equal('max_tokens' in body, false);
  });

  it('streams tool calls (wire-notes shape) and sends tool results as role "tool" JSON', async () => {
    const chunk = (delta: unknown, finish: string | null = null) =>
      JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1', choices: [{ index: 0, delta, finish_reason: finish }], usage: null });
    const lines = [
      chunk({ role: 'assistant', content: null }),
      chunk({ tool_calls: [{ index: 0, id: 'call_abc', type: 'function', function: { name: 'run_query', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"sql":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"select 1"}' } }] }),
      chunk({}, 'tool_calls'),
      JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1', choices: [], usage: { prompt_tokens: 40, completion_tokens: 9, total_tokens: 49 } }),
    ];
    route = () => ({ kind: 'sse', body: openAISse(lines) });
    const client = createProviderClient(openaiSettings(upstream.url), env);
    const events = await collect(client, {
      model: 'gpt-4.1',
      messages: [
        { role: 'user', content: 'Sales?' },
        { role: 'assistant', parts: [{ type: 'tool-call', id: 'call_0', name: 'run_query', input: { sql: 'select 0' } }] },
        { role: 'tool', results: [{ type: 'tool-result', id: 'call_0', name: 'run_query', output: { error: 'no table' }, isError: true }] },
      ],
      tools: [{ name: 'run_query', description: 'Run SQL.', inputSchema: { type: 'object', properties: { sql: { type: 'string' } } } }],
      maxOutputTokens: 100,
    });
    assert.deepEqual(events, [
      { type: 'tool-call', id: 'call_abc', name: 'run_query', input: { sql: 'select 1' } },
      { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 40, outputTokens: 9 }, model: 'gpt-4.1', responseModel: 'gpt-4.1' },
    ]);
    const messages = (upstream.requests.at(-1)!.body as { messages: Array<Record<string, any>> }).messages;
    assert.equal(messages[1]!.tool_calls[0].id, 'call_0');
    assert.deepEqual(JSON.parse(messages[1]!.tool_calls[0].function.arguments), { sql: 'select 0' });
    assert.equal(messages[2]!.role, 'tool');
    assert.equal(messages[2]!.tool_call_id, 'call_0');
    // An error result reaches the model marked as an error (the SDK wraps it as {error: output}).
    assert.deepEqual(JSON.parse(messages[2]!.content), { error: { error: 'no table' } });
  });
});

describe('Azure fixtures', () => {
  const azureLines = () => fixtureLines('azure/chat-content-filter-fields.chunks.txt');

  it('streams the chunk with empty choices and prompt_filter_results on the v1 path with api-key', async () => {
    route = () => ({ kind: 'sse', body: openAISse(azureLines()) });
    const client = createProviderClient(azureSettings(`${upstream.url}/`, 'openai'), env);
    const events = await collect(client, { model: 'chat-prod', messages: [{ role: 'user', content: 'Capital of Denmark?' }], maxOutputTokens: 200 });
    assert.equal(textOf(events), 'Capital of Denmark.');
    assert.deepEqual(events.at(-1), {
      type: 'finish',
      finishReason: 'stop',
      usage: { inputTokens: 15, outputTokens: 78 },
      model: 'chat-prod',
      responseModel: 'gpt-5-nano-2025-08-07',
    });
    const sent = upstream.requests.at(-1)!;
    assert.equal(sent.url, '/openai/v1/chat/completions');
    assert.equal(sent.headers['api-key'], AZURE_KEY);
    assert.equal(sent.headers.authorization, undefined);
    assert.equal((sent.body as { model: string }).model, 'chat-prod');
    assert.equal((sent.body as Record<string, unknown>).max_completion_tokens, 200);
  });

  it('uses the dated deployments path when apiVersion is set', async () => {
    route = () => ({ kind: 'sse', body: openAISse(azureLines()) });
    const client = createProviderClient(azureSettings(upstream.url, 'openai', '2024-10-21'), env);
    const events = await collect(client, { model: 'chat-prod', messages: [{ role: 'user', content: 'Capital of Denmark?' }], maxOutputTokens: 200 });
    assert.equal(textOf(events), 'Capital of Denmark.');
    assert.equal(upstream.requests.at(-1)!.url, '/openai/deployments/chat-prod/chat/completions?api-version=2024-10-21');
  });

  it('a 200 with finish_reason content_filter is a normal finish with content-filter', async () => {
    const lines = azureLines().map((line) => line.replace('"finish_reason":"stop"', '"finish_reason":"content_filter"'));
    route = () => ({ kind: 'sse', body: openAISse(lines) });
    const client = createProviderClient(azureSettings(upstream.url, 'openai'), env);
    const events = await collect(client, { model: 'chat-prod', messages: [{ role: 'user', content: 'x' }], maxOutputTokens: 200 });
    const finish = events.at(-1)!;
    assert.equal(finish.type === 'finish' && finish.finishReason, 'content-filter');
  });

  it('Claude on Foundry: Anthropic stream at /anthropic/v1/messages with api-key, not x-api-key', async () => {
    route = () => ({ kind: 'sse', body: anthropicSse(fixtureLines('anthropic/text.chunks.txt')) });
    const client = createProviderClient(azureSettings(upstream.url, 'anthropic'), env);
    const events = await collect(client, { model: 'claude-deploy', messages: [{ role: 'user', content: 'Hi' }], maxOutputTokens: 100 });
    assert.ok(textOf(events).startsWith("Hello! I'm doing well"));
    const sent = upstream.requests.at(-1)!;
    assert.equal(sent.url, '/anthropic/v1/messages');
    assert.equal(sent.headers['api-key'], AZURE_KEY);
    assert.equal(sent.headers['x-api-key'], undefined);
    assert.equal((sent.body as { model: string }).model, 'claude-deploy');
  });
});
