// The simulated Anthropic API, proven with the official client (@anthropic-ai/sdk) and against the
// recorded streams.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { startSimulator } from './simulator.ts';
import type { Simulator } from './simulator.ts';
import { collapseRuns, fixtureChunks, fixtureJson, keysOf, parseSse } from './sim-test-support.ts';

const MODEL = 'claude-sonnet-4-5-20250929';
const RUN_QUERY = {
  name: 'run_query',
  description: 'Run a read-only SQL query',
  input_schema: { type: 'object' as const, properties: { sql: { type: 'string' }, limit: { type: 'integer' } }, required: ['sql'] },
};

let sim: Simulator;
let client: Anthropic;
before(async () => {
  sim = await startSimulator();
  client = new Anthropic({ baseURL: sim.anthropic.baseUrl, apiKey: sim.anthropic.apiKey, maxRetries: 0 });
});
after(() => sim.close());

const ceilQuarter = (value: unknown) => Math.ceil(Buffer.byteLength(JSON.stringify(value)) / 4);

async function rawStream(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(`${sim.anthropic.baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': sim.anthropic.apiKey, 'anthropic-version': '2023-06-01', 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: MODEL, max_tokens: 200, stream: true, ...body }),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

describe('messages: text', () => {
  test('a non-stream answer echoes the question, with usage from the request size and the chunk count', async () => {
    const messages = [{ role: 'user' as const, content: 'How many orders last week?' }];
    const message = await client.messages.create({ model: MODEL, max_tokens: 200, system: 'Be brief.', messages });
    assert.equal(message.type, 'message');
    assert.equal(message.model, MODEL);
    assert.match(message.id, /^msg_01/);
    assert.equal(message.stop_reason, 'end_turn');
    const block = message.content[0];
    assert.equal(block?.type, 'text');
    assert.equal(block.type === 'text' && block.text, 'Simulated answer: you asked "How many orders last week?". The quick brown fox jumps over the lazy dog.');
    assert.equal(message.usage.input_tokens, Math.ceil((Buffer.byteLength('"Be brief."') + Buffer.byteLength(JSON.stringify(messages))) / 4));
    assert.equal(message.usage.output_tokens, 18);
    assert.deepEqual(keysOf(message.usage), keysOf(fixtureJson('anthropic/text.json').usage));
    assert.deepEqual(keysOf(message), keysOf(fixtureJson('anthropic/text.json')));
    const logged = sim.requests.last('anthropic');
    assert.match(logged?.headers['anthropic-version'] ?? '', /^\d{4}-\d{2}-\d{2}$/);
    assert.equal((logged?.body as { system?: string }).system, 'Be brief.');
  });

  test('the SDK stream yields the same text and usage as the non-stream answer', async () => {
    const messages = [{ role: 'user' as const, content: 'Top customers?' }];
    const stream = client.messages.stream({ model: MODEL, max_tokens: 200, messages });
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const final = await stream.finalMessage();
    const plain = await client.messages.create({ model: MODEL, max_tokens: 200, messages });
    assert.ok(deltas.length > 5, 'streamed in word-sized chunks');
    assert.deepEqual(final.content, plain.content);
    assert.equal(final.usage.output_tokens, deltas.length);
    assert.equal(final.usage.input_tokens, ceilQuarter(messages));
    assert.equal(final.stop_reason, 'end_turn');
  });

  test('the text stream has the recorded event sequence, with event: lines matching each data type', async () => {
    const { status, text, headers } = await rawStream({ messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(status, 200);
    assert.match(headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.match(headers.get('request-id') ?? '', /^req_/);
    const events = parseSse(text);
    for (const e of events) assert.equal(e.event, (JSON.parse(e.data) as { type: string }).type);
    const recorded = fixtureChunks('anthropic/text.chunks.txt').map((c) => c.type as string);
    assert.deepEqual(collapseRuns(events.map((e) => e.event as string)), collapseRuns(recorded));
    const start = JSON.parse(events[0]?.data ?? '{}') as { message: { usage: unknown } };
    assert.deepEqual(keysOf(start.message.usage), keysOf((fixtureChunks('anthropic/text.chunks.txt')[0]?.message as { usage: unknown }).usage));
    const delta = JSON.parse(events.at(-2)?.data ?? '{}') as { usage: unknown };
    assert.deepEqual(keysOf(delta.usage), keysOf(fixtureChunks('anthropic/text.chunks.txt').at(-2)?.usage));
  });

  test('max_tokens cuts the answer with stop_reason max_tokens', async () => {
    const message = await client.messages.create({ model: MODEL, max_tokens: 3, messages: [{ role: 'user', content: 'Tell me everything' }] });
    assert.equal(message.stop_reason, 'max_tokens');
    assert.equal(message.usage.output_tokens, 3);
    assert.equal(message.content[0]?.type === 'text' && message.content[0].text, 'Simulated answer: you');
  });
});

describe('messages: tools', () => {
  test('offered tools: the first is called with an input built from its schema, then the result is summarised', async () => {
    const question = { role: 'user' as const, content: 'How many orders?' };
    const first = await client.messages.create({ model: MODEL, max_tokens: 500, tools: [RUN_QUERY], messages: [question] });
    assert.equal(first.stop_reason, 'tool_use');
    const call = first.content[0];
    assert.ok(call?.type === 'tool_use');
    assert.match(call.id, /^toolu_01/);
    assert.equal(call.name, 'run_query');
    assert.deepEqual(call.input, { sql: 'SELECT COUNT(*) AS n FROM orders' });

    const second = await client.messages.create({
      model: MODEL,
      max_tokens: 500,
      tools: [RUN_QUERY],
      messages: [question, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '[{"n":4211}]' }] }],
    });
    assert.equal(second.stop_reason, 'end_turn');
    assert.equal(second.content[0]?.type === 'text' && second.content[0].text, 'I looked at the data (run_query): [{"n":4211}]. The quick brown fox jumps over the lazy dog.');
  });

  test('the tool stream has the recorded sequence and the SDK reassembles the input from fragments', async () => {
    const { text } = await rawStream({ tools: [RUN_QUERY], messages: [{ role: 'user', content: 'count' }] });
    const events = parseSse(text);
    const recorded = fixtureChunks('anthropic/tool-use.chunks.txt').map((c) => c.type as string);
    assert.deepEqual(collapseRuns(events.map((e) => e.event as string)), collapseRuns(recorded));
    const fragments = events.filter((e) => e.event === 'content_block_delta').map((e) => (JSON.parse(e.data) as { delta: { partial_json: string } }).delta.partial_json);
    assert.equal(fragments[0], '', 'the first input_json_delta is empty, as recorded');
    assert.ok(fragments.length >= 3);

    const final = await client.messages.stream({ model: MODEL, max_tokens: 500, tools: [RUN_QUERY], messages: [{ role: 'user', content: 'count' }] }).finalMessage();
    assert.equal(final.stop_reason, 'tool_use');
    assert.deepEqual(final.content[0]?.type === 'tool_use' && final.content[0].input, { sql: 'SELECT COUNT(*) AS n FROM orders' });
  });

  test('directives: scripted calls in order, then text; no-tools; steps:N keeps calling', async () => {
    const content = 'Go [[sim:call:describe_dataset:{}]] [[sim:call:run_query:{"sql":"SELECT 1"}]]';
    const tools = [RUN_QUERY, { name: 'describe_dataset', input_schema: { type: 'object' as const, properties: {} } }];
    const history: Anthropic.MessageParam[] = [{ role: 'user', content }];
    const calls: unknown[] = [];
    for (let step = 0; step < 3; step += 1) {
      const reply = await client.messages.create({ model: MODEL, max_tokens: 500, tools, messages: history });
      const block = reply.content[0];
      if (block?.type !== 'tool_use') break;
      calls.push({ name: block.name, input: block.input });
      history.push({ role: 'assistant', content: reply.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: block.id, content: `result ${step}` }] });
    }
    assert.deepEqual(calls, [
      { name: 'describe_dataset', input: {} },
      { name: 'run_query', input: { sql: 'SELECT 1' } },
    ]);

    const plain = await client.messages.create({ model: MODEL, max_tokens: 500, tools, messages: [{ role: 'user', content: 'Hi [[sim:no-tools]]' }] });
    assert.equal(plain.stop_reason, 'end_turn');
    assert.equal(plain.content[0]?.type === 'text' && plain.content[0].text.includes('[[sim'), false, 'directives are not echoed');

    const steps: Anthropic.MessageParam[] = [{ role: 'user', content: 'loop [[sim:steps:3]]' }];
    let toolTurns = 0;
    for (let i = 0; i < 5; i += 1) {
      const reply = await client.messages.create({ model: MODEL, max_tokens: 500, tools, messages: steps });
      const block = reply.content[0];
      if (block?.type !== 'tool_use') break;
      toolTurns += 1;
      steps.push({ role: 'assistant', content: reply.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: block.id, content: 'ok' }] });
    }
    assert.equal(toolTurns, 3);
  });
});

describe('models', () => {
  test('the list pages by limit and after_id, and the SDK follows has_more', async () => {
    const page = await client.models.list({ limit: 2 });
    assert.equal(page.data.length, 2);
    assert.equal(page.has_more, true);
    assert.equal(page.first_id, 'claude-haiku-4-5-20251001');
    assert.equal(page.last_id, page.data[1]?.id);
    const all: Array<{ id: string; display_name: string; type: string }> = [];
    for await (const model of client.models.list({ limit: 4 })) all.push(model);
    assert.equal(all.length, 6);
    assert.ok(all.every((m) => m.type === 'model'));
    assert.deepEqual(
      all.find((m) => m.id === 'claude-3-5-sonnet-20241022'),
      { type: 'model', id: 'claude-3-5-sonnet-20241022', display_name: 'Claude Sonnet 3.5 (New)', created_at: '2024-10-22T00:00:00Z' },
    );
    assert.equal(sim.requests.byProvider('anthropic').filter((r) => r.path === '/v1/models' && r.query.after_id === all[3]?.id).length, 1);
    const one = await client.models.retrieve('claude-opus-4-1-20250805');
    assert.equal(one.display_name, 'Claude Opus 4.1');
  });
});

describe('errors', () => {
  test('a wrong key is the real 401; an unknown model the real 404', async () => {
    const wrong = new Anthropic({ baseURL: sim.anthropic.baseUrl, apiKey: 'sk-ant-api03-wrong', maxRetries: 0 });
    const denied = await wrong.messages.create({ model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    assert.ok(denied instanceof Anthropic.AuthenticationError);
    assert.deepEqual((denied.error as { error: unknown }).error, { type: 'authentication_error', message: 'invalid x-api-key' });
    assert.match(denied.requestID ?? '', /^req_/);

    const missing = await client.messages.create({ model: 'claude-9', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    assert.ok(missing instanceof Anthropic.NotFoundError);
    assert.deepEqual((missing.error as { error: unknown }).error, { type: 'not_found_error', message: 'model: claude-9' });
  });

  test('each status fault raises the typed SDK error with the real error type', async () => {
    const cases: Array<[string, new (...args: never[]) => Error, number, string]> = [
      ['401', Anthropic.AuthenticationError, 401, 'authentication_error'],
      ['403', Anthropic.PermissionDeniedError, 403, 'permission_error'],
      ['404-model', Anthropic.NotFoundError, 404, 'not_found_error'],
      ['429', Anthropic.RateLimitError, 429, 'rate_limit_error'],
      ['quota', Anthropic.BadRequestError, 400, 'invalid_request_error'],
      ['500', Anthropic.InternalServerError, 500, 'api_error'],
      ['529', Anthropic.InternalServerError, 529, 'overloaded_error'],
    ];
    for (const [fault, type, status, errorType] of cases) {
      const error = await client.messages.create({ model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: `x [[sim:${fault}]]` }] }).catch((e: unknown) => e);
      assert.ok(error instanceof type, `${fault} → ${type.name}`);
      assert.equal((error as InstanceType<typeof Anthropic.APIError>).status, status);
      assert.equal(((error as InstanceType<typeof Anthropic.APIError>).error as { error: { type: string } }).error.type, errorType);
    }
  });

  test('429 carries retry-after; the SDK honours retry-after-ms and 429-once succeeds on the retry', async () => {
    const limited = await client.messages.create({ model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-sim-fault': '429:1500' } }).catch((e: unknown) => e);
    assert.ok(limited instanceof Anthropic.RateLimitError);
    assert.equal(limited.headers?.get('retry-after'), '2');
    assert.equal(limited.headers?.get('retry-after-ms'), '1500');

    const retrying = new Anthropic({ baseURL: sim.anthropic.baseUrl, apiKey: sim.anthropic.apiKey, maxRetries: 1 });
    const question = 'retry me [[sim:429-once:n1:20]]';
    const started = Date.now();
    const message = await retrying.messages.create({ model: MODEL, max_tokens: 50, messages: [{ role: 'user', content: question }] });
    assert.equal(message.stop_reason, 'end_turn');
    const attempts = sim.requests.byProvider('anthropic').filter((r) => String(JSON.stringify(r.body)).includes('429-once:n1'));
    assert.deepEqual(attempts.map((r) => r.status), [429, 200]);
    assert.ok(Date.now() - started < 1000, 'waited retry-after-ms (20 ms), not a default backoff');
  });

  test('error-mid-stream: some text, then event: error overloaded_error, which the SDK raises', async () => {
    const stream = client.messages.stream({ model: MODEL, max_tokens: 200, messages: [{ role: 'user', content: 'x [[sim:error-mid-stream]]' }] });
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    const error = await stream.finalMessage().catch((e: unknown) => e);
    assert.ok(error instanceof Anthropic.APIError);
    assert.match(String(error.message), /overloaded_error/);
    assert.ok(texts.length > 0, 'text arrived before the error');
    const { text } = await rawStream({ messages: [{ role: 'user', content: 'y' }] }, { 'x-sim-fault': 'error-mid-stream' });
    const last = parseSse(text).at(-1);
    assert.equal(last?.event, 'error');
    assert.deepEqual(JSON.parse(last?.data ?? '{}'), { type: 'error', error: { details: null, type: 'overloaded_error', message: 'Overloaded' } });
  });

  test('reset-mid-stream: the socket is destroyed after some text', async () => {
    const stream = client.messages.stream({ model: MODEL, max_tokens: 200, messages: [{ role: 'user', content: 'x [[sim:reset-mid-stream]]' }] });
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    const error = await stream.finalMessage().catch((e: unknown) => e);
    assert.ok(error instanceof Error);
    assert.ok(texts.length > 0);
    assert.equal(await sim.requests.last('anthropic')?.done, 'reset-by-sim');
  });

  test('a missing anthropic-version header and a missing max_tokens are 400s, as for real', async () => {
    const response = await fetch(`${sim.anthropic.baseUrl}/v1/messages`, { method: 'POST', headers: { 'x-api-key': sim.anthropic.apiKey }, body: '{}' });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: { message: string } }).error.message, 'anthropic-version: header is required');
    const error = await client.messages.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] } as never).catch((e: unknown) => e);
    assert.ok(error instanceof Anthropic.BadRequestError);
  });
});
